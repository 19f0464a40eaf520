import { Alert, Anchor, Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { convertToTicketBody, type LeadPriority, leadPriority, ticketDevice } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { leadPriorityList } from '../../../lib/domain';
import { contractResolver } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { type ConvertInput, convertToTicket, existingTicket, ticketsKey } from '../api/tickets';

/** A field left blank is not sent; typed, it is checked by the contract's field. */
const blankIsUnset = <Field extends z.ZodType<unknown, string | undefined>>(field: Field) =>
  z
    .string()
    .trim()
    .transform((text) => text || undefined)
    .pipe(field);
const body = convertToTicketBody.unwrap().shape;
const part = ticketDevice.shape;
/** The API's body as typed: blanks left out, and the device only when some part of it is known. */
const convertForm = z.object({
  subject: blankIsUnset(body.subject),
  description: blankIsUnset(body.description),
  device: z
    .object({
      type: blankIsUnset(part.type),
      brand: blankIsUnset(part.brand),
      model: blankIsUnset(part.model),
      serial: blankIsUnset(part.serial),
    })
    .transform((device) => (Object.values(device).some(Boolean) ? device : undefined)),
  priority: leadPriority,
});
type ConvertFormValues = z.input<typeof convertForm>;

export function ConvertTicketForm({
  leadId,
  priority: initialPriority,
  defaultSubject,
  onDone,
}: {
  leadId: string;
  priority: LeadPriority;
  defaultSubject?: string | undefined;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<ConvertFormValues>({
    initialValues: {
      subject: defaultSubject ?? '',
      description: '',
      device: { type: '', brand: '', model: '', serial: '' },
      priority: initialPriority,
    },
    validate: contractResolver(convertForm, t),
  });
  const mutation = useApiMutation({
    mutationFn: (input: ConvertInput) => convertToTicket(leadId, input),
    onSuccess: (ticket) => {
      void queryClient.invalidateQueries({ queryKey: ticketsKey });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('tickets.created') });
      onDone?.();
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
    },
  });
  const existing = existingTicket(mutation.error);

  const submit = form.onSubmit((values) => mutation.mutate(convertForm.parse(values)));
  const deviceField = (key: keyof ConvertFormValues['device'], label: string) => (
    <TextInput
      label={label}
      maxLength={120}
      {...form.getInputProps(`device.${key}`)}
      style={{ flex: '1 1 140px' }}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('tickets.subject')}
          maxLength={200}
          {...form.getInputProps('subject')}
          data-autofocus
        />
        <Textarea
          label={t('tickets.description')}
          maxLength={5000}
          rows={3}
          {...form.getInputProps('description')}
        />
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontWeight: 500, fontSize: 'var(--mantine-font-size-sm)', marginBottom: 4 }}>
            {t('tickets.device')}
          </legend>
          <Group gap="xs" align="flex-start">
            {deviceField('type', t('tickets.deviceType'))}
            {deviceField('brand', t('tickets.brand'))}
            {deviceField('model', t('tickets.model'))}
            {deviceField('serial', t('tickets.serial'))}
          </Group>
        </fieldset>
        <NativeSelect
          label={t('tickets.priority')}
          {...form.getInputProps('priority')}
          data={leadPriorityList.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        />
        {existing ? (
          <Alert color="yellow" role="alert">
            {t('tickets.exists')}{' '}
            <Anchor
              renderRoot={(props) => (
                <Link
                  {...props}
                  to="/tickets/$ticketId"
                  params={{ ticketId: existing.id }}
                  onClick={onDone}
                />
              )}
            >
              {t('tickets.openExisting')}
            </Anchor>
          </Alert>
        ) : (
          mutation.isError && (
            <Alert color="red" role="alert">
              {problemMessage(mutation.error, t)}
            </Alert>
          )
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t('tickets.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
