import { Alert, Anchor, Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { LeadPriority, TicketDevice } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { leadPriorityList } from '../../../lib/domain';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { type ConvertInput, convertToTicket, existingTicket, ticketsKey } from '../api/tickets';

const trimmed = (value: string) => value.trim() || undefined;

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
  const [subject, setSubject] = useState(defaultSubject ?? '');
  const [description, setDescription] = useState('');
  const [device, setDevice] = useState({ type: '', brand: '', model: '', serial: '' });
  const [priority, setPriority] = useState<LeadPriority>(initialPriority);
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parts: TicketDevice = {};
    for (const key of ['type', 'brand', 'model', 'serial'] as const) {
      const value = trimmed(device[key]);
      if (value) parts[key] = value;
    }
    const input: ConvertInput = { priority };
    const s = trimmed(subject);
    const d = trimmed(description);
    if (s) input.subject = s;
    if (d) input.description = d;
    if (Object.keys(parts).length > 0) input.device = parts;
    mutation.mutate(input);
  };
  const deviceField = (key: keyof typeof device, label: string) => (
    <TextInput
      label={label}
      value={device[key]}
      maxLength={120}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setDevice((current) => ({ ...current, [key]: value }));
      }}
      style={{ flex: '1 1 140px' }}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('tickets.subject')}
          value={subject}
          maxLength={200}
          onChange={(event) => setSubject(event.currentTarget.value)}
          data-autofocus
        />
        <Textarea
          label={t('tickets.description')}
          value={description}
          maxLength={5000}
          rows={3}
          onChange={(event) => setDescription(event.currentTarget.value)}
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
          value={priority}
          onChange={(event) => setPriority(event.currentTarget.value as LeadPriority)}
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
