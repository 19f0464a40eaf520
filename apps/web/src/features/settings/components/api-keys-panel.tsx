import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { type ApiKeyScope, apiKeyScopes, createApiKeyBody } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { SettingsPanel } from '../../../components/settings-panel';
import { contractResolver, type MessageKey } from '../../../lib/form';
import { formatDateTime } from '../../../lib/format';
import { apiKeysQueryOptions, createApiKey, revokeApiKey } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

/** The label's key: i18next reads ':' as a namespace separator, so the catalog spells it '_'. */
/** Each scope's sentence in the catalog (its key cannot hold the scope's colon). */
const scopeLabel = {
  'tracking:write': 'account.scope.tracking_write',
  'leads:read': 'account.scope.leads_read',
  'analytics:read': 'account.scope.analytics_read',
  'shop:read': 'account.scope.shop_read',
  'campaigns:read': 'account.scope.campaigns_read',
  'consent:write': 'account.scope.consent_write',
  'catalog:write': 'account.scope.catalog_write',
} as const satisfies Record<ApiKeyScope, MessageKey>;

/** Days a new key lives; '' never expires. */
const expiryChoices = ['', '30', '90', '365'] as const;

/** The API's key body, the expiry chosen as a number of days (the instant is taken when it is sent). */
const apiKeyForm = createApiKeyBody
  .pick({ name: true })
  .extend({ scopes: createApiKeyBody.shape.scopes.unwrap(), expiryDays: z.enum(expiryChoices) });
type ApiKeyFormValues = z.input<typeof apiKeyForm>;

export function ApiKeysPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const keys = useQuery(apiKeysQueryOptions(tenantId));
  const form = useForm<ApiKeyFormValues>({
    initialValues: { name: '', scopes: ['tracking:write'], expiryDays: '' },
    validate: contractResolver(apiKeyForm, t),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const queryKey = apiKeysQueryOptions(tenantId).queryKey;
  const create = useAdminMutation(
    ({ name, scopes, expiryDays }: ApiKeyFormValues) =>
      createApiKey(tenantId, {
        name,
        scopes,
        expiresAt: expiryDays
          ? new Date(Date.now() + Number(expiryDays) * 86_400_000).toISOString()
          : undefined,
      }),
    queryKey,
    (created) => {
      setSecret(created.key);
      // The scopes and expiry stay: the next key is often a sibling of this one.
      form.setFieldValue('name', '');
    },
  );
  const revoke = useAdminMutation((keyId: string) => revokeApiKey(tenantId, keyId), queryKey);
  const { name, scopes } = form.values;

  return (
    <SettingsPanel
      query={keys}
      header={
        <>
          <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
            <Stack gap="xs">
              <TextInput label={t('settings.keyName')} {...form.getInputProps('name')} />
              <Checkbox.Group label={t('account.scopes')} {...form.getInputProps('scopes')}>
                <Stack gap={4} mt={4}>
                  {apiKeyScopes.map((scope) => (
                    <Checkbox key={scope} value={scope} label={t(scopeLabel[scope])} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <NativeSelect
                label={t('account.expiry')}
                data={expiryChoices.map((days) => ({
                  value: days,
                  label: days ? t('account.expiresIn', { days }) : t('account.expiresNever'),
                }))}
                {...form.getInputProps('expiryDays')}
              />
              <Group justify="flex-end">
                <Button
                  type="submit"
                  loading={create.isPending}
                  disabled={!name.trim() || scopes.length === 0}
                >
                  {t('settings.createKey')}
                </Button>
              </Group>
            </Stack>
          </form>
          {secret && (
            <Alert color="teal">
              <Text size="sm">{t('settings.keyCreated')}</Text>
              <Code block mt="xs">
                {secret}
              </Code>
            </Alert>
          )}
        </>
      }
      renderItem={(key) => {
        const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();
        return (
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
                  {!key.revokedAt && expired && (
                    <Badge size="xs" color="gray">
                      {t('account.expired')}
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  <Code>{key.prefix}…</Code> · {t('settings.lastUsed')}:{' '}
                  {key.lastUsedAt ? formatDateTime(key.lastUsedAt, i18n.language) : t('settings.never')} ·{' '}
                  {t('account.expiresAt')}:{' '}
                  {key.expiresAt ? formatDateTime(key.expiresAt, i18n.language) : t('account.expiresNever')}
                </Text>
                <Group gap={4} mt={4}>
                  {key.scopes.map((scope) => (
                    <Badge key={scope} size="xs" variant="light" title={t(scopeLabel[scope])}>
                      {scope}
                    </Badge>
                  ))}
                </Group>
              </div>
              {!key.revokedAt && (
                <Button size="xs" variant="outline" color="red" onClick={() => revoke.mutate(key.id)}>
                  {t('settings.revoke')}
                </Button>
              )}
            </Group>
          </Card>
        );
      }}
    ></SettingsPanel>
  );
}
