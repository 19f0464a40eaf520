import { Alert, Button, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { WhatsappChannel, WhatsappChannelInput } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { fieldError } from '../../../lib/whatsapp';
import { connectChannel } from '../api/whatsapp-channel';

const emptyForm: WhatsappChannelInput = {
  phoneNumberId: '',
  businessAccountId: '',
  accessToken: '',
  appSecret: '',
  verifyToken: '',
};

/** Connects a branch's number, or changes its credentials: the ids shown again, the secrets typed anew. */
export function ConnectForm({
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
  const connect = useApiMutation({
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
