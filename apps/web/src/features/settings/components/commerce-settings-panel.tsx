import {
  Alert,
  Button,
  Fieldset,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type CommerceSettings,
  type LeadPriority,
  leadPriorities,
  type UpdateCommerceSettingsInput,
} from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { ApiError } from '../../../lib/api-client';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { commerceSettingsQueryOptions } from '../../../lib/tenant-data';
import { parsePercent, patchCommerceSettings, percentText } from '../api/commerce-settings';

/** The shop's tax rule, quote validity and ticket SLAs (settings tab, OWNER and MANAGER). */
export function CommerceSettingsPanel({ tenantId }: { tenantId: string }) {
  const query = useQuery(commerceSettingsQueryOptions(tenantId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // There is no version: keyed by the values, a save (or someone else's, once read) resets the form to them.
  return <CommerceSettingsForm key={JSON.stringify(query.data)} tenantId={tenantId} settings={query.data} />;
}

/** The fields of the form, as the API names them in a problem+json (`body.slaHours.HIGH`). */
type Field = 'taxName' | 'taxRateBps' | 'quoteValidDays' | `slaHours.${LeadPriority}`;
type FieldErrors = Partial<Record<Field, true>>;

interface Draft {
  taxName: string;
  rate: string;
  pricesIncludeTax: boolean;
  quoteValidDays: string | number;
  slaHours: Record<LeadPriority, string | number>;
}

const draftOf = (settings: CommerceSettings): Draft => ({
  taxName: settings.taxName,
  rate: percentText(settings.taxRateBps),
  pricesIncludeTax: settings.pricesIncludeTax,
  quoteValidDays: settings.quoteValidDays,
  slaHours: { ...settings.slaHours },
});

const wholeIn = (value: string | number, min: number, max: number) => {
  const n = typeof value === 'number' ? value : Number(value);
  return value !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/** The PATCH body: only what differs from what was read. Fields that do not hold a valid value are flagged. */
function changesOf(settings: CommerceSettings, draft: Draft) {
  const input: UpdateCommerceSettingsInput = {};
  const invalid: FieldErrors = {};
  const taxName = draft.taxName.trim();
  if (taxName !== settings.taxName) {
    if (taxName.length >= 1 && taxName.length <= 40) input.taxName = taxName;
    else invalid.taxName = true;
  }
  const taxRateBps = parsePercent(draft.rate);
  if (taxRateBps === null) invalid.taxRateBps = true;
  else if (taxRateBps !== settings.taxRateBps) input.taxRateBps = taxRateBps;
  if (draft.pricesIncludeTax !== settings.pricesIncludeTax) input.pricesIncludeTax = draft.pricesIncludeTax;
  const quoteValidDays = wholeIn(draft.quoteValidDays, 1, 365);
  if (quoteValidDays === null) invalid.quoteValidDays = true;
  else if (quoteValidDays !== settings.quoteValidDays) input.quoteValidDays = quoteValidDays;
  for (const priority of leadPriorities) {
    const hours = wholeIn(draft.slaHours[priority], 1, 2000);
    if (hours === null) invalid[`slaHours.${priority}`] = true;
    else if (hours !== settings.slaHours[priority]) input.slaHours = { ...input.slaHours, [priority]: hours };
  }
  return { input, invalid, changed: Object.keys(input).length > 0 };
}

const formFields: readonly Field[] = [
  'taxName',
  'taxRateBps',
  'quoteValidDays',
  ...leadPriorities.map((p) => `slaHours.${p}` as const),
];

/** The fields a 400 names; `unplaced` when it names none of them (or is another failure). */
function apiErrorsOf(error: unknown): { fields: FieldErrors; unplaced: boolean } {
  const fields: FieldErrors = {};
  if (!(error instanceof ApiError) || error.status !== 400) return { fields, unplaced: true };
  let unplaced = !error.problem?.errors?.length;
  for (const e of error.problem?.errors ?? []) {
    const field = formFields.find((f) => e.path.replace(/^body\./, '') === f);
    if (field) fields[field] = true;
    else unplaced = true;
  }
  return { fields, unplaced };
}

function CommerceSettingsForm({ tenantId, settings }: { tenantId: string; settings: CommerceSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(settings));
  const { input, invalid, changed } = changesOf(settings, draft);
  const mutation = useApiMutation({
    mutationFn: (body: UpdateCommerceSettingsInput) => patchCommerceSettings(tenantId, body),
    onSuccess: (saved) => {
      // Quotes and tickets read the same entry: new ones use the new values without a reload.
      queryClient.setQueryData(commerceSettingsQueryOptions(tenantId).queryKey, saved);
      notifications.show({ color: 'teal', message: t('commerce.saved') });
    },
  });
  const apiErrors = mutation.isError ? apiErrorsOf(mutation.error) : { fields: {}, unplaced: false };
  // What is typed now is wrong first; else what the server said of the last save.
  const errorOf = (field: Field, message: string) =>
    invalid[field] || apiErrors.fields[field] ? message : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed && Object.keys(invalid).length === 0) mutation.mutate(input);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={560}>
        <Title order={2} size="h4">
          {t('commerce.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('commerce.appliesToNew')}
          {!settings.customized && ` ${t('commerce.defaults', { currency: settings.currency })}`}
        </Text>
        <Fieldset legend={t('commerce.tax')}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput
                label={t('commerce.taxName')}
                placeholder="IGV, IVA"
                value={draft.taxName}
                maxLength={40}
                required
                error={errorOf('taxName', t('commerce.taxNameInvalid'))}
                onChange={(event) => setDraft({ ...draft, taxName: event.currentTarget.value })}
              />
              <TextInput
                label={t('commerce.taxRate')}
                value={draft.rate}
                inputMode="decimal"
                rightSection="%"
                required
                error={errorOf('taxRateBps', t('commerce.taxRateInvalid'))}
                onChange={(event) => setDraft({ ...draft, rate: event.currentTarget.value })}
              />
            </SimpleGrid>
            <Switch
              label={t('commerce.pricesIncludeTax')}
              checked={draft.pricesIncludeTax}
              onChange={(event) => setDraft({ ...draft, pricesIncludeTax: event.currentTarget.checked })}
            />
          </Stack>
        </Fieldset>
        <NumberInput
          label={t('commerce.quoteValidDays')}
          value={draft.quoteValidDays}
          min={1}
          max={365}
          allowDecimal={false}
          allowNegative={false}
          required
          error={errorOf('quoteValidDays', t('commerce.quoteValidDaysInvalid'))}
          onChange={(value) => setDraft({ ...draft, quoteValidDays: value })}
        />
        <Fieldset legend={t('commerce.slaHours')}>
          <Group gap="sm" align="flex-start" grow>
            {leadPriorities.map((priority) => (
              <NumberInput
                key={priority}
                label={t(`priority.${priority}`)}
                value={draft.slaHours[priority]}
                min={1}
                max={2000}
                allowDecimal={false}
                allowNegative={false}
                required
                error={errorOf(`slaHours.${priority}`, t('commerce.slaHoursInvalid'))}
                onChange={(value) =>
                  setDraft({ ...draft, slaHours: { ...draft.slaHours, [priority]: value } })
                }
              />
            ))}
          </Group>
        </Fieldset>
        {apiErrors.unplaced && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group>
          <Button
            type="submit"
            loading={mutation.isPending}
            disabled={!changed || Object.keys(invalid).length > 0}
          >
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
