import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Branch, WhatsappChannel, WhatsappChannelInput } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { problemMessage } from '../../../lib/problem-message';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { fieldError, templatesKey, templatesQueryOptions } from '../../../lib/whatsapp';
import {
  type ChannelTestResult,
  channelsKey,
  channelsQueryOptions,
  connectChannel,
  disconnectChannel,
  syncTemplates,
  testChannel,
} from '../api/whatsapp-channel';

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
  const test = useMutation({
    mutationFn: () => testChannel(tenantId, branch.id),
    onSuccess: (result) => setTested(result),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: channelsKey(tenantId) }),
  });
  const disconnect = useMutation({
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
              {fieldError(test.error, 'accessToken') ?? problemMessage(test.error, t)}
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

const qualityKey = (rating: string) =>
  ['GREEN', 'YELLOW', 'RED'].includes(rating.toUpperCase()) ? rating.toUpperCase() : 'UNKNOWN';

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

const emptyForm: WhatsappChannelInput = {
  phoneNumberId: '',
  businessAccountId: '',
  accessToken: '',
  appSecret: '',
  verifyToken: '',
};

function ConnectForm({
  tenantId,
  branchId,
  current,
  onDone,
  onCancel,
}: {
  tenantId: string;
  branchId: string;
  current: WhatsappChannel | null;
  onDone: () => void;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  // Ids are shown again for a change; secrets never are (the API does not give them back).
  const [form, setForm] = useState<WhatsappChannelInput>({
    ...emptyForm,
    phoneNumberId: current?.phoneNumberId ?? '',
    businessAccountId: current?.businessAccountId ?? '',
  });
  const connect = useMutation({
    mutationFn: () => connectChannel(tenantId, branchId, form),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('waChannel.connected') });
      onDone();
    },
  });
  const error = connect.error;
  const field = (name: keyof WhatsappChannelInput) => ({
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
    error: fieldError(error, name),
    required: true,
  });
  const named = Object.keys(emptyForm).some((name) => fieldError(error, name));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" aria-label={t('waChannel.connect')}>
      <Text size="xs" c="dimmed">
        {t('waChannel.connectHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <TextInput label={t('waChannel.phoneNumberId')} inputMode="numeric" {...field('phoneNumberId')} />
        <TextInput
          label={t('waChannel.businessAccountId')}
          inputMode="numeric"
          {...field('businessAccountId')}
        />
      </SimpleGrid>
      <PasswordInput
        label={t('waChannel.accessToken')}
        description={t('waChannel.secretHint')}
        autoComplete="off"
        {...field('accessToken')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <PasswordInput label={t('waChannel.appSecret')} autoComplete="off" {...field('appSecret')} />
        <PasswordInput
          label={t('waChannel.verifyToken')}
          description={t('waChannel.verifyTokenHint')}
          autoComplete="off"
          {...field('verifyToken')}
        />
      </SimpleGrid>
      {error && !named && (
        <Alert color="red" p="xs" role="alert">
          {problemMessage(error, t)}
        </Alert>
      )}
      <Group gap="xs">
        <Button type="submit" size="xs" loading={connect.isPending}>
          {t('waChannel.connect')}
        </Button>
        {onCancel && (
          <Button size="xs" variant="subtle" onClick={onCancel}>
            {t('waChannel.cancel')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

const templateColor = (status: string) =>
  status === 'APPROVED' ? 'green' : status === 'PENDING' ? 'yellow' : status === 'REJECTED' ? 'red' : 'gray';

function Templates({ tenantId, branch }: { tenantId: string; branch: Branch }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useQuery(templatesQueryOptions(tenantId, branch.id));
  const sync = useMutation({
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
