import { Alert, Button, Group, Loader, NumberInput, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FollowupPolicy, putFollowupPolicyBody } from '@techmarket/contracts';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorState, Loading } from '../../../components/query-state';
import { contractResolver, type MessageKey, problemFieldErrors } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { type PolicyInput, policyQueryOptions, putPolicy } from '../api/policy';

// The calendar (@mantine/dates, dayjs) comes with the follow-up rules only.
const HolidayPicker = lazy(() => import('./holiday-picker'));

/** The shop's follow-up rules (settings tab): alert, escalation, quote follow-up, dormancy, holidays. */
export function FollowupPolicyPanel({ tenantId }: { tenantId: string }) {
  const query = useQuery(policyQueryOptions(tenantId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Keyed by version: a save (or someone else's) resets the form to what the server holds.
  return <PolicyForm key={query.data.version} tenantId={tenantId} policy={query.data} />;
}

/**
 * The API's body as the form holds it: the escalation as a switch with its minutes, checked only while it is on
 * (off, the API is sent null). Holidays are chosen on a calendar, so they are dates already.
 */
const body = putFollowupPolicyBody.shape;
const policyForm = z
  .object({
    newLeadAlertMinutes: body.newLeadAlertMinutes,
    reassign: z.boolean(),
    reassignAfterMinutes: z.union([z.number(), z.string()]),
    quotedFollowUpDays: body.quotedFollowUpDays,
    dormantAfterDays: body.dormantAfterDays,
    businessHoursOnly: body.businessHoursOnly,
    holidays: body.holidays,
  })
  .superRefine((values, context) => {
    if (values.reassign && !body.newLeadAlertMinutes.safeParse(values.reassignAfterMinutes).success)
      context.addIssue({ code: 'custom', path: ['reassignAfterMinutes'], message: 'form.invalid' });
  });
type PolicyFormValues = z.input<typeof policyForm>;

const sentences: Record<string, MessageKey> = {};
const fields = [
  'newLeadAlertMinutes',
  'reassignAfterMinutes',
  'quotedFollowUpDays',
  'dormantAfterDays',
  'holidays',
] as const;

const valuesOf = (policy: FollowupPolicy): PolicyFormValues => ({
  newLeadAlertMinutes: policy.newLeadAlertMinutes,
  reassign: policy.reassignAfterMinutes !== null,
  reassignAfterMinutes: policy.reassignAfterMinutes ?? 30,
  quotedFollowUpDays: policy.quotedFollowUpDays,
  dormantAfterDays: policy.dormantAfterDays,
  businessHoursOnly: policy.businessHoursOnly,
  holidays: policy.holidays,
});

/** The PUT body of valid values, at the version read. */
function inputOf(values: PolicyFormValues, version: number): PolicyInput {
  const { reassign, reassignAfterMinutes, ...rest } = values;
  return {
    ...rest,
    reassignAfterMinutes: reassign ? Number(reassignAfterMinutes) : null,
    version,
  };
}

function PolicyForm({ tenantId, policy }: { tenantId: string; policy: FollowupPolicy }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<PolicyFormValues>({
    initialValues: valuesOf(policy),
    validate: contractResolver(policyForm, t, sentences),
    validateInputOnChange: true,
  });
  const mutation = useApiMutation({
    mutationFn: (input: PolicyInput) => putPolicy(tenantId, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyQueryOptions(tenantId).queryKey, saved);
      notifications.show({ color: 'teal', message: t('policy.saved') });
    },
    onError: (error) => {
      form.setErrors(problemFieldErrors(error, fields, t, sentences).errors);
      void queryClient.invalidateQueries({ queryKey: policyQueryOptions(tenantId).queryKey });
    },
  });
  const unplaced = mutation.isError && problemFieldErrors(mutation.error, fields, t).unplaced;
  const submit = form.onSubmit((values) => mutation.mutate(inputOf(values, policy.version)));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={560}>
        <Title order={2} size="h4">
          {t('policy.title')}
        </Title>
        {policy.version === 0 && (
          <Text size="sm" c="dimmed">
            {t('policy.defaults')}
          </Text>
        )}
        <NumberInput
          label={t('policy.newLeadAlertMinutes')}
          {...form.getInputProps('newLeadAlertMinutes')}
          min={1}
          max={10080}
          allowDecimal={false}
          required
        />
        <Switch label={t('policy.reassign')} {...form.getInputProps('reassign', { type: 'checkbox' })} />
        {form.values.reassign && (
          <NumberInput
            label={t('policy.reassignAfterMinutes')}
            {...form.getInputProps('reassignAfterMinutes')}
            min={1}
            max={10080}
            allowDecimal={false}
          />
        )}
        <NumberInput
          label={t('policy.quotedFollowUpDays')}
          {...form.getInputProps('quotedFollowUpDays')}
          min={1}
          max={90}
          allowDecimal={false}
        />
        <NumberInput
          label={t('policy.dormantAfterDays')}
          {...form.getInputProps('dormantAfterDays')}
          min={1}
          max={365}
          allowDecimal={false}
        />
        <Switch
          label={t('policy.businessHoursOnly')}
          {...form.getInputProps('businessHoursOnly', { type: 'checkbox' })}
        />
        <Suspense fallback={<Loader size="sm" aria-label={t('policy.holidays')} />}>
          <HolidayPicker
            label={t('policy.holidays')}
            value={form.values.holidays ?? []}
            onChange={(days) => form.setFieldValue('holidays', days)}
            error={form.errors.holidays as string | undefined}
          />
        </Suspense>
        {unplaced && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={mutation.isPending} disabled={!form.isValid()}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
