import { Alert, Button, Group, NumberInput, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FollowupPolicy } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { parseHolidays, policyQueryOptions, putPolicy } from '../api/policy';

/** The shop's follow-up rules (settings tab): alert, escalation, quote follow-up, dormancy, holidays. */
export function FollowupPolicyPanel({ tenantId }: { tenantId: string }) {
  const query = useQuery(policyQueryOptions(tenantId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Keyed by version: a save (or someone else's) resets the form to what the server holds.
  return <PolicyForm key={query.data.version} tenantId={tenantId} policy={query.data} />;
}

const toNumber = (value: string | number, fallback: number) => {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
};

function PolicyForm({ tenantId, policy }: { tenantId: string; policy: FollowupPolicy }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [alertMinutes, setAlertMinutes] = useState<string | number>(policy.newLeadAlertMinutes);
  const [reassign, setReassign] = useState(policy.reassignAfterMinutes !== null);
  const [reassignMinutes, setReassignMinutes] = useState<string | number>(policy.reassignAfterMinutes ?? 30);
  const [quotedDays, setQuotedDays] = useState<string | number>(policy.quotedFollowUpDays);
  const [dormantDays, setDormantDays] = useState<string | number>(policy.dormantAfterDays);
  const [businessHoursOnly, setBusinessHoursOnly] = useState(policy.businessHoursOnly);
  const [holidaysText, setHolidaysText] = useState(policy.holidays.join('\n'));
  const holidays = parseHolidays(holidaysText);
  const mutation = useApiMutation({
    mutationFn: () =>
      putPolicy(tenantId, {
        newLeadAlertMinutes: toNumber(alertMinutes, policy.newLeadAlertMinutes),
        quotedFollowUpDays: toNumber(quotedDays, policy.quotedFollowUpDays),
        dormantAfterDays: toNumber(dormantDays, policy.dormantAfterDays),
        businessHoursOnly,
        reassignAfterMinutes: reassign ? toNumber(reassignMinutes, 30) : null,
        holidays: holidays ?? [],
        version: policy.version,
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyQueryOptions(tenantId).queryKey, saved);
      notifications.show({ color: 'teal', message: t('policy.saved') });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: policyQueryOptions(tenantId).queryKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (holidays) mutation.mutate();
  };

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
          value={alertMinutes}
          onChange={setAlertMinutes}
          min={1}
          max={10080}
          allowDecimal={false}
          required
        />
        <Switch
          label={t('policy.reassign')}
          checked={reassign}
          onChange={(event) => setReassign(event.currentTarget.checked)}
        />
        {reassign && (
          <NumberInput
            label={t('policy.reassignAfterMinutes')}
            value={reassignMinutes}
            onChange={setReassignMinutes}
            min={1}
            max={10080}
            allowDecimal={false}
          />
        )}
        <NumberInput
          label={t('policy.quotedFollowUpDays')}
          value={quotedDays}
          onChange={setQuotedDays}
          min={1}
          max={90}
          allowDecimal={false}
        />
        <NumberInput
          label={t('policy.dormantAfterDays')}
          value={dormantDays}
          onChange={setDormantDays}
          min={1}
          max={365}
          allowDecimal={false}
        />
        <Switch
          label={t('policy.businessHoursOnly')}
          checked={businessHoursOnly}
          onChange={(event) => setBusinessHoursOnly(event.currentTarget.checked)}
        />
        <Textarea
          label={t('policy.holidays')}
          value={holidaysText}
          onChange={(event) => setHolidaysText(event.currentTarget.value)}
          rows={2}
          error={holidays ? undefined : t('policy.holidaysInvalid')}
        />
        {mutation.isError && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={mutation.isPending} disabled={!holidays}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
