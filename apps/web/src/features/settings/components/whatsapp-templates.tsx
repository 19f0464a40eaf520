import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Branch } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { templatesKey, templatesQueryOptions } from '../../../lib/whatsapp';
import { syncTemplates } from '../api/whatsapp-channel';

const templateColor = (status: string) =>
  status === 'APPROVED' ? 'green' : status === 'PENDING' ? 'yellow' : status === 'REJECTED' ? 'red' : 'gray';

/** The branch's message templates as Meta approved them, synced on demand. */
export function Templates({ tenantId, branch }: { tenantId: string; branch: Branch }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useQuery(templatesQueryOptions(tenantId, branch.id));
  const sync = useApiMutation({
    mutationFn: () => syncTemplates(tenantId, branch.id),
    onSuccess: (list) => {
      queryClient.setQueryData(templatesKey(tenantId, branch.id), list);
      notifications.show({ color: 'teal', message: t('waChannel.synced', { count: list.items.length }) });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
  });
  const items = templates.data?.items ?? [];
  const syncedAt = items[0]?.syncedAt;
  return (
    <Stack gap={4} mt="xs">
      <Group justify="space-between">
        <div>
          <Text size="sm" fw={500}>
            {t('waChannel.templates')}
          </Text>
          {syncedAt && (
            <Text size="xs" c="dimmed">
              {t('waChannel.syncedAt', { at: formatDateTime(syncedAt, i18n.language, branch.timezone) })}
            </Text>
          )}
        </div>
        <Button size="compact-xs" variant="light" onClick={() => sync.mutate()} loading={sync.isPending}>
          {t('waChannel.sync')}
        </Button>
      </Group>
      {templates.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('waChannel.noTemplates')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={280}>
          <Table striped fz="xs" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('waChannel.templateName')}</Table.Th>
                <Table.Th>{t('waChannel.language')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('waChannel.category')}</Table.Th>
                <Table.Th>{t('waChannel.templateStatus')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((tpl) => (
                <Table.Tr key={tpl.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{tpl.name}</Table.Td>
                  <Table.Td>{tpl.language}</Table.Td>
                  <Table.Td visibleFrom="sm">{tpl.category ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={templateColor(tpl.status)}>
                      {tpl.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
