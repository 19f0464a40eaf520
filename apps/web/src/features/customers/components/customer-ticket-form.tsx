import { Alert, Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { leadPriority, openCustomerTicketBody } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { leadPriorityList } from '../../../lib/domain';
import { contractResolver } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { customersKey, openCustomerTicket } from '../api/customers';

const body = openCustomerTicketBody.shape;
const ticketForm = z.object({
  branchId: body.branchId,
  subject: body.subject,
  description: z
    .string()
    .trim()
    .transform((text) => text || undefined)
    .pipe(body.description),
  priority: leadPriority,
});
type TicketFormValues = z.input<typeof ticketForm>;

/** A ticket for the customer without a lead (a device brought to the counter); then the ticket's page. */
export function CustomerTicketForm({
  customerId,
  branches,
}: {
  customerId: string;
  branches: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<TicketFormValues>({
    initialValues: { branchId: branches[0]?.id ?? '', subject: '', description: '', priority: 'MEDIUM' },
    validate: contractResolver(ticketForm, t),
  });
  const mutation = useApiMutation({
    mutationFn: (input: z.output<typeof ticketForm>) => openCustomerTicket(customerId, input),
    onSuccess: (ticket) => {
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'green', message: t('customers.ticketCreated') });
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: ticket.id } });
    },
  });
  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(ticketForm.parse(values)))} noValidate>
      <Stack gap="sm">
        <NativeSelect
          label={t('customers.ticketBranch')}
          data={branches.map((b) => ({ value: b.id, label: b.name }))}
          {...form.getInputProps('branchId')}
        />
        <TextInput
          label={t('customers.subject')}
          maxLength={200}
          {...form.getInputProps('subject')}
          data-autofocus
        />
        <Textarea
          label={t('customers.description')}
          rows={3}
          maxLength={5000}
          {...form.getInputProps('description')}
        />
        <NativeSelect
          label={t('customers.priority')}
          data={leadPriorityList.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          {...form.getInputProps('priority')}
        />
        {mutation.isError && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t('customers.openTicket')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
