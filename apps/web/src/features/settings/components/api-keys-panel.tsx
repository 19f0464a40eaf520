import { Alert, Badge, Button, Card, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { formatDateTime } from '../../../lib/format';
import { apiKeysQueryOptions, createApiKey, revokeApiKey } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

export function ApiKeysPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const keys = useQuery(apiKeysQueryOptions(tenantId));
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const queryKey = apiKeysQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    () => createApiKey(tenantId, name),
    queryKey,
    (created) => {
      setSecret(created.key);
      setName('');
    },
  );
  const revoke = useAdminMutation((keyId: string) => revokeApiKey(tenantId, keyId), queryKey);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate(undefined);
  };

  if (keys.isPending) return <Loading />;
  if (keys.isError) return <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />;
  return (
    <Stack gap="xs">
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('settings.keyName')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('settings.createKey')}
          </Button>
        </Group>
      </form>
      {secret && (
        <Alert color="teal">
          <Text size="sm">{t('settings.keyCreated')}</Text>
          <Code block mt="xs">
            {secret}
          </Code>
        </Alert>
      )}
      {keys.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {keys.data.map((key) => (
        <Card key={key.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text fw={600} truncate>
                  {key.name}
                </Text>
                {key.revokedAt && (
                  <Badge size="xs" color="gray">
                    {t('settings.revoked')}
                  </Badge>
                )}
              </Group>
              <Text size="sm" c="dimmed">
                <Code>{key.prefix}…</Code> · {t('settings.lastUsed')}:{' '}
                {key.lastUsedAt ? formatDateTime(key.lastUsedAt, i18n.language) : t('settings.never')}
              </Text>
            </div>
            {!key.revokedAt && (
              <Button size="xs" variant="outline" color="red" onClick={() => revoke.mutate(key.id)}>
                {t('settings.revoke')}
              </Button>
            )}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
