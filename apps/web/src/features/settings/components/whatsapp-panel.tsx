import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Branch, WhatsappChannel } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { fieldError, templatesKey } from '../../../lib/whatsapp';
import {
  type ChannelTestResult,
  channelsKey,
  channelsQueryOptions,
  disconnectChannel,
  testChannel,
} from '../api/whatsapp-channel';
import { ConnectForm } from './whatsapp-connect-form';
import { Templates } from './whatsapp-templates';

/**
 * The WhatsApp tab of the settings: per branch, its Cloud API number (connect, test, disconnect: OWNER; MANAGER
 * reads), the templates of its business account (sync: OWNER and MANAGER), and the webhook address to paste in
 * Meta's console. Secrets are write-only: typed in, sealed by the API, never shown again.
 */
export function WhatsappPanel({ tenantId, canEdit }: { tenantId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const branches = useQuery(branchesQueryOptions(tenantId));
  const channels = useQuery(channelsQueryOptions(tenantId));
  const webhookUrl = `${window.location.origin}/api/v1/webhooks/whatsapp`;
  if (branches.isPending || channels.isPending) return <Loading />;
  if (branches.isError) return <ErrorState error={branches.error} onRetry={() => void branches.refetch()} />;
  if (channels.isError) return <ErrorState error={channels.error} onRetry={() => void channels.refetch()} />;
  return (
    <Stack gap="sm">
      <Card withBorder padding="sm">
        <Text size="sm" fw={500}>
          {t('waChannel.webhook')}
        </Text>
        <Text size="xs" c="dimmed" mb={6}>
          {t('waChannel.webhookHint')}
        </Text>
        <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="webhook-url">
          {webhookUrl}
        </Code>
        <CopyButton value={webhookUrl}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" onClick={copy} mt={6}>
              {copied ? t('waChannel.copied') : t('waChannel.copy')}
            </Button>
          )}
        </CopyButton>
      </Card>
      {branches.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {branches.data.map((branch) => (
        <BranchChannel
          key={branch.id}
          tenantId={tenantId}
          branch={branch}
          channel={channels.data.find((c) => c.branchId === branch.id) ?? null}
          canEdit={canEdit}
        />
      ))}
    </Stack>
  );
}

const statusColor: Record<WhatsappChannel['status'], string> = {
  PENDING: 'yellow',
  CONNECTED: 'green',
  ERROR: 'red',
};

function BranchChannel({
  tenantId,
  branch,
  channel,
  canEdit,
}: {
  tenantId: string;
  branch: Branch;
  channel: WhatsappChannel | null;
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [tested, setTested] = useState<ChannelTestResult | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: channelsKey(tenantId) }),
      queryClient.invalidateQueries({ queryKey: templatesKey(tenantId, branch.id) }),
    ]);
  const test = useApiMutation({
    mutationFn: () => testChannel(tenantId, branch.id),
    onSuccess: (result) => setTested(result),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: channelsKey(tenantId) }),
  });
  const disconnect = useApiMutation({
    mutationFn: () => disconnectChannel(tenantId, branch.id),
    onSuccess: () => {
      setConfirming(false);
      setTested(null);
      notifications.show({ color: 'teal', message: t('waChannel.disconnected') });
      void refresh();
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
  });

  return (
    <Card withBorder padding="sm" data-testid={`branch-channel-${branch.id}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {branch.name}
        </Title>
        {channel && (
          <Badge color={statusColor[channel.status]} variant="light">
            {t(`waChannel.status.${channel.status}`)}
          </Badge>
        )}
      </Group>
      {channel === null || editing ? (
        canEdit ? (
          <ConnectForm
            tenantId={tenantId}
            branchId={branch.id}
            current={channel}
            onDone={() => {
              setEditing(false);
              setTested(null);
              void refresh();
            }}
            onCancel={channel ? () => setEditing(false) : undefined}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('waChannel.notConnected')}
          </Text>
        )
      ) : (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4}>
            <Detail label={t('waChannel.phoneNumberId')} value={channel.phoneNumberId} />
            <Detail label={t('waChannel.businessAccountId')} value={channel.businessAccountId} />
            <Detail label={t('waChannel.displayNumber')} value={channel.displayPhoneNumber} />
            <Detail label={t('waChannel.verifiedName')} value={channel.verifiedName} />
            <Detail
              label={t('waChannel.quality')}
              value={
                channel.qualityRating && t(`waChannel.qualityRating.${qualityKey(channel.qualityRating)}`)
              }
            />
            <Detail
              label={t('waChannel.lastTested')}
              value={
                channel.lastTestedAt && formatDateTime(channel.lastTestedAt, i18n.language, branch.timezone)
              }
            />
          </SimpleGrid>
          {channel.status === 'ERROR' && channel.lastError && (
            <Alert color="red" p="xs">
              {channel.lastError}
            </Alert>
          )}
          {tested && (
            <Alert color="green" p="xs" data-testid="test-result">
              {t('waChannel.testOk', {
                name: tested.verifiedName ?? '—',
                number: tested.displayPhoneNumber,
                quality: tested.qualityRating
                  ? t(`waChannel.qualityRating.${qualityKey(tested.qualityRating)}`)
                  : '—',
              })}
            </Alert>
          )}
          {test.isError && (
            <Alert color="red" p="xs" role="alert">
              {fieldError(test.error, t, 'accessToken') ?? problemMessage(test.error, t)}
            </Alert>
          )}
          {canEdit && (
            <Group gap="xs">
              <Button size="xs" onClick={() => test.mutate()} loading={test.isPending}>
                {t('waChannel.test')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                {t('waChannel.change')}
              </Button>
              {confirming ? (
                <>
                  <Button
                    size="xs"
                    color="red"
                    onClick={() => disconnect.mutate()}
                    loading={disconnect.isPending}
                  >
                    {t('waChannel.confirmDisconnect')}
                  </Button>
                  <Button size="xs" variant="subtle" onClick={() => setConfirming(false)}>
                    {t('waChannel.cancel')}
                  </Button>
                </>
              ) : (
                <Button size="xs" variant="outline" color="red" onClick={() => setConfirming(true)}>
                  {t('waChannel.disconnect')}
                </Button>
              )}
            </Group>
          )}
          <Templates tenantId={tenantId} branch={branch} />
        </Stack>
      )}
    </Card>
  );
}

const qualityRatings = ['GREEN', 'YELLOW', 'RED'] as const;
/** Meta's quality rating, as one the catalog names (any other is UNKNOWN). */
const qualityKey = (rating: string) =>
  qualityRatings.find((known) => known === rating.toUpperCase()) ?? 'UNKNOWN';

function Detail({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {value || '—'}
      </Text>
    </div>
  );
}
