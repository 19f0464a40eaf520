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
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type CommerceSettings,
  leadPriorities,
  type UpdateCommerceSettingsInput,
  updateCommerceSettingsBody,
} from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorState, Loading } from '../../../components/query-state';
import { contractResolver, type MessageKey, problemFieldErrors } from '../../../lib/form';
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

/**
 * The API's body with every field there, the rate as typed (a percentage) until it is read as basis points.
 * The fields are named as the API names them in a problem+json (`body.slaHours.HIGH`), so a 400 lands under
 * its field.
 */
const body = updateCommerceSettingsBody.shape;
const commerceForm = z.object({
  taxName: body.taxName.unwrap(),
  taxRateBps: z.string().transform((text, context) => {
    const bps = parsePercent(text);
    if (bps === null) context.addIssue({ code: 'custom', message: 'not a percentage' });
    return bps ?? 0;
  }),
  pricesIncludeTax: body.pricesIncludeTax.unwrap(),
  quoteValidDays: body.quoteValidDays.unwrap(),
  slaHours: body.slaHours.unwrap().required(),
});
type CommerceFormValues = z.input<typeof commerceForm>;

/** Each field says what it takes, whatever was wrong with it. */
const sentences: Record<string, MessageKey> = {
  taxName: 'commerce.taxNameInvalid',
  taxRateBps: 'commerce.taxRateInvalid',
  quoteValidDays: 'commerce.quoteValidDaysInvalid',
  ...Object.fromEntries(leadPriorities.map((p) => [`slaHours.${p}`, 'commerce.slaHoursInvalid'] as const)),
};
const fields = Object.keys(sentences);

const valuesOf = (settings: CommerceSettings): CommerceFormValues => ({
  taxName: settings.taxName,
  taxRateBps: percentText(settings.taxRateBps),
  pricesIncludeTax: settings.pricesIncludeTax,
  quoteValidDays: settings.quoteValidDays,
  slaHours: { ...settings.slaHours },
});

/** The PATCH body: only what differs from what was read (null while a field does not hold a valid value). */
function changesOf(settings: CommerceSettings, values: CommerceFormValues) {
  const parsed = commerceForm.safeParse(values);
  if (!parsed.success) return null;
  const { taxName, taxRateBps, pricesIncludeTax, quoteValidDays, slaHours } = parsed.data;
  const input: UpdateCommerceSettingsInput = {};
  if (taxName !== settings.taxName) input.taxName = taxName;
  if (taxRateBps !== settings.taxRateBps) input.taxRateBps = taxRateBps;
  if (pricesIncludeTax !== settings.pricesIncludeTax) input.pricesIncludeTax = pricesIncludeTax;
  if (quoteValidDays !== settings.quoteValidDays) input.quoteValidDays = quoteValidDays;
  for (const priority of leadPriorities)
    if (slaHours[priority] !== settings.slaHours[priority])
      input.slaHours = { ...input.slaHours, [priority]: slaHours[priority] };
  return input;
}

function CommerceSettingsForm({ tenantId, settings }: { tenantId: string; settings: CommerceSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<CommerceFormValues>({
    initialValues: valuesOf(settings),
    validate: contractResolver(commerceForm, t, sentences),
    // A wrong rate is flagged while it is typed, not only on save.
    validateInputOnChange: true,
  });
  const changes = changesOf(settings, form.values);
  const changed = changes !== null && Object.keys(changes).length > 0;
  const mutation = useApiMutation({
    mutationFn: (input: UpdateCommerceSettingsInput) => patchCommerceSettings(tenantId, input),
    onSuccess: (saved) => {
      // Quotes and tickets read the same entry: new ones use the new values without a reload.
      queryClient.setQueryData(commerceSettingsQueryOptions(tenantId).queryKey, saved);
      notifications.show({ color: 'teal', message: t('commerce.saved') });
    },
    onError: (error) => form.setErrors(problemFieldErrors(error, fields, t, sentences).errors),
  });
  const unplaced = mutation.isError && problemFieldErrors(mutation.error, fields, t).unplaced;
  const submit = form.onSubmit((values) => {
    const input = changesOf(settings, values);
    if (input && Object.keys(input).length > 0) mutation.mutate(input);
  });

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
                maxLength={40}
                required
                {...form.getInputProps('taxName')}
              />
              <TextInput
                label={t('commerce.taxRate')}
                inputMode="decimal"
                rightSection="%"
                required
                {...form.getInputProps('taxRateBps')}
              />
            </SimpleGrid>
            <Switch
              label={t('commerce.pricesIncludeTax')}
              {...form.getInputProps('pricesIncludeTax', { type: 'checkbox' })}
            />
          </Stack>
        </Fieldset>
        <NumberInput
          label={t('commerce.quoteValidDays')}
          min={1}
          max={365}
          allowDecimal={false}
          allowNegative={false}
          required
          {...form.getInputProps('quoteValidDays')}
        />
        <Fieldset legend={t('commerce.slaHours')}>
          <Group gap="sm" align="flex-start" grow>
            {leadPriorities.map((priority) => (
              <NumberInput
                key={priority}
                label={t(`priority.${priority}`)}
                min={1}
                max={2000}
                allowDecimal={false}
                allowNegative={false}
                required
                {...form.getInputProps(`slaHours.${priority}`)}
              />
            ))}
          </Group>
        </Fieldset>
        {unplaced && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={mutation.isPending} disabled={!changed}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
