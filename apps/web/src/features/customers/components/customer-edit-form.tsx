import { Alert, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type Customer, updateCustomerBody } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../../../lib/api-client';
import { contractResolver } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { normalizePhone } from '../../../lib/phone';
import { isVersionConflict, problemMessage } from '../../../lib/problem-message';
import { customersKey, updateCustomer } from '../api/customers';

const fields = updateCustomerBody.shape;
const blankIsNull = <Field extends z.ZodType<string | null, string | null>>(field: Field) =>
  z
    .string()
    .trim()
    .transform((text) => text || null)
    .pipe(field);
/** The edit as typed, turned into the API's body by the contract's own fields. */
const customerForm = z.object({
  name: blankIsNull(fields.name.unwrap()),
  phone: blankIsNull(fields.phone.unwrap()),
  email: blankIsNull(fields.email.unwrap()),
  tags: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    )
    .pipe(fields.tags.unwrap()),
  notes: blankIsNull(fields.notes.unwrap()),
});
type CustomerFormValues = z.input<typeof customerForm>;

/** The customer's header edit: name, phone (shown as it will be stored), e-mail, tags and notes. */
export function CustomerEditForm({
  customer,
  country,
  onDone,
}: {
  customer: Customer;
  /** Where a phone typed without its code is read (the shop's first branch). */
  country: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<CustomerFormValues>({
    initialValues: {
      name: customer.name ?? '',
      phone: customer.phone ?? '',
      email: customer.email ?? '',
      tags: customer.tags.join(', '),
      notes: customer.notes ?? '',
    },
    validate: contractResolver(customerForm, t),
  });
  const mutation = useApiMutation({
    mutationFn: (body: z.output<typeof customerForm>) =>
      updateCustomer(customer.id, { ...body, version: customer.version }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: customersKey });
      notifications.show({ color: 'green', message: t('customers.saved') });
      onDone();
    },
    onError: (error) => {
      if (isVersionConflict(error)) void queryClient.invalidateQueries({ queryKey: customersKey });
      if (error instanceof ApiError && error.problem?.errors?.some((e) => e.path === 'phone')) {
        form.setFieldError('phone', t('customers.phoneInvalid'));
      }
    },
  });
  const typed = form.values.phone.trim();
  const stored = typed && typed !== customer.phone ? normalizePhone(typed, country) : null;
  const phoneRefused =
    mutation.error instanceof ApiError && mutation.error.problem?.errors?.some((e) => e.path === 'phone');

  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(customerForm.parse(values)))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('customers.name')}
          maxLength={200}
          {...form.getInputProps('name')}
          data-autofocus
        />
        <TextInput
          label={t('customers.phone')}
          type="tel"
          maxLength={40}
          description={stored ? t('customers.phoneStored', { phone: stored }) : undefined}
          {...form.getInputProps('phone')}
        />
        <TextInput
          label={t('customers.email')}
          type="email"
          maxLength={200}
          {...form.getInputProps('email')}
        />
        <TextInput
          label={t('customers.tags')}
          description={t('customers.tagsHint')}
          {...form.getInputProps('tags')}
        />
        <Textarea label={t('customers.notes')} rows={3} maxLength={5000} {...form.getInputProps('notes')} />
        {mutation.isError && !phoneRefused && (
          <Alert color={isVersionConflict(mutation.error) ? 'yellow' : 'red'} role="alert">
            {isVersionConflict(mutation.error)
              ? t('customers.changedMeanwhile')
              : problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t('customers.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
