import {
  ActionIcon,
  Alert,
  Button,
  Chip,
  Fieldset,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  moneyInputText,
  type PaymentMethod,
  parseMoney,
  paymentMethod,
  paymentMethods,
  type ShopFacts,
  type UpdateShopFactsInput,
  updateShopFactsBody,
} from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { MoneyInput } from '../../../components/money-input';
import { ErrorState, Loading } from '../../../components/query-state';
import { ApiError } from '../../../lib/api-client';
import { contractResolver, problemFieldErrors } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { putShopFacts, shopFactsQueryOptions } from '../api/shop-facts';

/** What the shop tells its customers, as the assistant answers from it (settings tab, OWNER and MANAGER). */
export function ShopFactsPanel({ tenantId }: { tenantId: string }) {
  const query = useQuery(shopFactsQueryOptions(tenantId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  // Keyed by the version: a save (ours or someone else's, once read) starts the form again from it.
  return <ShopFactsForm key={query.data.version} tenantId={tenantId} facts={query.data} />;
}

type Said = 'yes' | 'no' | 'unknown';
const saidOf = (value: boolean | null): Said => (value === null ? 'unknown' : value ? 'yes' : 'no');
const said = z
  .enum(['yes', 'no', 'unknown'])
  .transform((value) => (value === 'unknown' ? null : value === 'yes'));
/** An empty number field is a fact not given. */
const count = z.union([z.number(), z.literal('')]).transform((value) => (value === '' ? null : value));
const note = z.string().transform((text) => (text.trim() === '' ? null : text.trim()));

/**
 * The form's values read as the API's body, then checked by the contract's own schema (the same paths, so a
 * refusal of the server lands under the field too). Amounts are typed as text and read in the shop's currency.
 */
function factsForm(currency: string) {
  const amount = z.string().transform((text, context) => {
    const minor = parseMoney(text, currency);
    if (minor === null) context.addIssue({ code: 'custom', message: 'form.invalidAmount' });
    return minor ?? 0;
  });
  const optionalAmount = z.string().transform((text, context) => {
    if (text.trim() === '') return null;
    const minor = parseMoney(text, currency);
    if (minor === null) context.addIssue({ code: 'custom', message: 'form.invalidAmount' });
    return minor ?? 0;
  });
  return z
    .object({
      delivery: z.object({
        offered: said,
        zones: z.array(z.object({ name: z.string(), price: amount, days: count })),
        note,
      }),
      pickup: z.object({ offered: said, note }),
      payment: z.object({
        methods: z.array(paymentMethod),
        installments: z.object({ offered: said, maxCount: count, interestFree: z.boolean() }),
        note,
      }),
      warranty: z.object({ months: count, note }),
      repair: z.object({ turnaroundDays: count, diagnosisPrice: optionalAmount, note }),
      branches: z.array(z.object({ branchId: z.string(), address: note })),
      version: z.number().optional(),
    })
    .transform((values) => ({
      ...values,
      payment: {
        ...values.payment,
        installments: {
          ...values.payment.installments,
          // Whether they are interest-free only means something when instalments are offered.
          interestFree:
            values.payment.installments.offered === true ? values.payment.installments.interestFree : null,
        },
      },
    }))
    .pipe(updateShopFactsBody);
}

type FactsFormValues = {
  delivery: { offered: Said; zones: { name: string; price: string; days: number | '' }[]; note: string };
  pickup: { offered: Said; note: string };
  payment: {
    methods: PaymentMethod[];
    installments: { offered: Said; maxCount: number | ''; interestFree: boolean };
    note: string;
  };
  warranty: { months: number | ''; note: string };
  repair: { turnaroundDays: number | ''; diagnosisPrice: string; note: string };
  branches: { branchId: string; address: string }[];
  version: number;
};

const valuesOf = (facts: ShopFacts): FactsFormValues => ({
  delivery: {
    offered: saidOf(facts.delivery.offered),
    zones: facts.delivery.zones.map((zone) => ({
      name: zone.name,
      price: moneyInputText(zone.price, facts.currency),
      days: zone.days ?? '',
    })),
    note: facts.delivery.note ?? '',
  },
  pickup: { offered: saidOf(facts.pickup.offered), note: facts.pickup.note ?? '' },
  payment: {
    methods: [...facts.payment.methods],
    installments: {
      offered: saidOf(facts.payment.installments.offered),
      maxCount: facts.payment.installments.maxCount ?? '',
      interestFree: facts.payment.installments.interestFree ?? false,
    },
    note: facts.payment.note ?? '',
  },
  warranty: { months: facts.warranty.months ?? '', note: facts.warranty.note ?? '' },
  repair: {
    turnaroundDays: facts.repair.turnaroundDays ?? '',
    diagnosisPrice:
      facts.repair.diagnosisPrice === null ? '' : moneyInputText(facts.repair.diagnosisPrice, facts.currency),
    note: facts.repair.note ?? '',
  },
  branches: facts.branches.map((branch) => ({ branchId: branch.branchId, address: branch.address ?? '' })),
  version: facts.version,
});

/** Every field of the form, as the API names them in a problem+json (`body.delivery.zones.0.price`). */
function fieldsOf(values: FactsFormValues) {
  return [
    'delivery.note',
    'pickup.note',
    'payment.methods',
    'payment.installments.maxCount',
    'payment.note',
    'warranty.months',
    'warranty.note',
    'repair.turnaroundDays',
    'repair.diagnosisPrice',
    'repair.note',
    ...values.delivery.zones.flatMap((_, i) => [
      `delivery.zones.${i}.name`,
      `delivery.zones.${i}.price`,
      `delivery.zones.${i}.days`,
    ]),
    ...values.branches.flatMap((_, i) => [`branches.${i}.address`, `branches.${i}.branchId`]),
  ];
}

function ShopFactsForm({ tenantId, facts }: { tenantId: string; facts: ShopFacts }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const schema = factsForm(facts.currency);
  const form = useForm<FactsFormValues>({
    initialValues: valuesOf(facts),
    validate: contractResolver(schema, t),
  });
  const mutation = useApiMutation({
    mutationFn: (input: UpdateShopFactsInput) => putShopFacts(tenantId, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(shopFactsQueryOptions(tenantId).queryKey, saved);
      notifications.show({ color: 'teal', message: t('shopFacts.saved') });
    },
    onError: (error) => form.setErrors(problemFieldErrors(error, fieldsOf(form.values), t).errors),
  });
  const stale = mutation.error instanceof ApiError && mutation.error.status === 409;
  const unplaced =
    mutation.isError && !stale && problemFieldErrors(mutation.error, fieldsOf(form.values), t).unplaced;
  const submit = form.onSubmit((values) => {
    const parsed = schema.safeParse(values);
    if (parsed.success) mutation.mutate(parsed.data);
  });
  const saidOptions = [
    { value: 'yes', label: t('shopFacts.yes') },
    { value: 'no', label: t('shopFacts.no') },
    { value: 'unknown', label: t('shopFacts.unknown') },
  ];
  const branchOf = (branchId: string) => facts.branches.find((branch) => branch.branchId === branchId);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={640}>
        <Title order={2} size="h4">
          {t('shopFacts.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('shopFacts.intro')}
        </Text>

        <Fieldset legend={t('shopFacts.delivery')}>
          <Stack gap="sm">
            <SegmentedControl
              aria-label={t('shopFacts.deliveryOffered')}
              data={saidOptions}
              {...form.getInputProps('delivery.offered')}
            />
            {form.values.delivery.zones.map((zone, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved; a row is its position
              <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput
                  label={t('shopFacts.zoneName')}
                  placeholder="Miraflores"
                  maxLength={60}
                  style={{ flex: 2 }}
                  {...form.getInputProps(`delivery.zones.${index}.name`)}
                />
                <MoneyInput
                  label={t('shopFacts.zonePrice', { currency: facts.currency })}
                  currency={facts.currency}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`delivery.zones.${index}.price`)}
                />
                <NumberInput
                  label={t('shopFacts.zoneDays')}
                  min={0}
                  max={60}
                  allowDecimal={false}
                  allowNegative={false}
                  style={{ flex: 1 }}
                  {...form.getInputProps(`delivery.zones.${index}.days`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={28}
                  aria-label={t('shopFacts.removeZone', { name: zone.name || index + 1 })}
                  onClick={() => form.removeListItem('delivery.zones', index)}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => form.insertListItem('delivery.zones', { name: '', price: '', days: '' })}
              >
                {t('shopFacts.addZone')}
              </Button>
            </Group>
            <Textarea
              label={t('shopFacts.deliveryNote')}
              placeholder={t('shopFacts.deliveryNotePlaceholder')}
              maxLength={300}
              autosize
              {...form.getInputProps('delivery.note')}
            />
            <Text size="sm" fw={500}>
              {t('shopFacts.pickup')}
            </Text>
            <SegmentedControl
              aria-label={t('shopFacts.pickup')}
              data={saidOptions}
              {...form.getInputProps('pickup.offered')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('shopFacts.payment')}>
          <Stack gap="sm">
            <Chip.Group multiple {...form.getInputProps('payment.methods')}>
              <Group gap="xs">
                {paymentMethods.map((method) => (
                  <Chip key={method} value={method} size="sm">
                    {t(`shopFacts.method.${method}`)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            {form.errors['payment.methods'] && (
              <Text size="sm" c="red">
                {form.errors['payment.methods']}
              </Text>
            )}
            <Text size="sm" fw={500}>
              {t('shopFacts.installments')}
            </Text>
            <SegmentedControl
              aria-label={t('shopFacts.installments')}
              data={saidOptions}
              {...form.getInputProps('payment.installments.offered')}
            />
            {form.values.payment.installments.offered === 'yes' && (
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
                <NumberInput
                  label={t('shopFacts.maxInstallments')}
                  min={2}
                  max={48}
                  allowDecimal={false}
                  allowNegative={false}
                  {...form.getInputProps('payment.installments.maxCount')}
                />
                <Switch
                  mt={28}
                  label={t('shopFacts.interestFree')}
                  {...form.getInputProps('payment.installments.interestFree', { type: 'checkbox' })}
                />
              </SimpleGrid>
            )}
            <Textarea
              label={t('shopFacts.note')}
              maxLength={300}
              autosize
              {...form.getInputProps('payment.note')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('shopFacts.warrantyAndRepairs')}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <NumberInput
                label={t('shopFacts.warrantyMonths')}
                min={0}
                max={120}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('warranty.months')}
              />
              <NumberInput
                label={t('shopFacts.turnaroundDays')}
                min={0}
                max={90}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps('repair.turnaroundDays')}
              />
              <MoneyInput
                label={t('shopFacts.diagnosisPrice', { currency: facts.currency })}
                currency={facts.currency}
                {...form.getInputProps('repair.diagnosisPrice')}
              />
            </SimpleGrid>
            <Textarea
              label={t('shopFacts.warrantyNote')}
              maxLength={300}
              autosize
              {...form.getInputProps('warranty.note')}
            />
            <Textarea
              label={t('shopFacts.repairNote')}
              maxLength={300}
              autosize
              {...form.getInputProps('repair.note')}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('shopFacts.branches')}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('shopFacts.hoursOnBranches')}
            </Text>
            {form.values.branches.map((branch, index) => (
              <TextInput
                key={branch.branchId}
                label={t('shopFacts.address', { branch: branchOf(branch.branchId)?.name ?? '' })}
                maxLength={200}
                {...form.getInputProps(`branches.${index}.address`)}
              />
            ))}
          </Stack>
        </Fieldset>

        <Text size="sm" c="dimmed">
          {t('shopFacts.unknownMeans')}
        </Text>
        {stale && (
          <Alert color="yellow" role="alert">
            {t('shopFacts.stale')}
          </Alert>
        )}
        {unplaced && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={mutation.isPending} disabled={!form.isDirty()}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
