import { Alert, Button, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';

import { type WhatsappChannel, type WhatsappChannelInput, whatsappChannelBody } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { contractResolver, problemFieldErrors } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { connectChannel } from '../api/whatsapp-channel';

const fields = Object.keys(whatsappChannelBody.shape);

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
  const form = useForm<WhatsappChannelInput>({
    // Ids are shown again for a change; secrets never are (the API does not give them back).
    initialValues: {
      phoneNumberId: current?.phoneNumberId ?? '',
      businessAccountId: current?.businessAccountId ?? '',
      accessToken: '',
      appSecret: '',
      verifyToken: '',
    },
    validate: contractResolver(whatsappChannelBody, t),
  });
  const connect = useApiMutation({
    mutationFn: (input: WhatsappChannelInput) => connectChannel(tenantId, branchId, input),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('waChannel.connected') });
      onDone();
    },
    // What Meta or the API refuses of a field (a token it does not take) goes under that field.
    onError: (error) => form.setErrors(problemFieldErrors(error, fields, t).errors),
  });
  const unplaced = connect.isError && problemFieldErrors(connect.error, fields, t).unplaced;
  const field = (name: keyof WhatsappChannelInput) => ({ ...form.getInputProps(name), required: true });
  const submit = form.onSubmit((values) => connect.mutate(values));

  return (
    <form onSubmit={submit} noValidate aria-label={t('waChannel.connect')}>
      <Stack gap="xs">
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
        {unplaced && (
          <Alert color="red" p="xs" role="alert">
            {problemMessage(connect.error, t)}
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
    </form>
  );
}
