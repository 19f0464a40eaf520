import {
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { createListingBody, currencies, listingCategories, parseMoney } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { MoneyInput } from '../../../components/money-input';
import { AddButton, SettingsPanel } from '../../../components/settings-panel';
import { useBackCloses } from '../../../lib/back-closes';
import { contractResolver, moneyTextOf } from '../../../lib/form';
import { formatMoney } from '../../../lib/format';
import { listingsQueryOptions } from '../../../lib/tenant-data';
import { createListing, updateListing } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

/** The API's listing body, with the price as typed (major units) until it is read in the chosen currency. */
const listingForm = createListingBody
  .pick({ title: true, category: true, currency: true, stock: true })
  .extend({ price: z.string() })
  .superRefine(moneyTextOf('price', 'currency'));
type ListingFormValues = z.input<typeof listingForm>;
const emptyListing: ListingFormValues = {
  title: '',
  category: 'LAPTOPS',
  price: '',
  currency: 'PEN',
  stock: 0,
};

export function ListingsPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const listings = useQuery(listingsQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  const form = useForm<ListingFormValues>({
    initialValues: emptyListing,
    validate: contractResolver(listingForm, t),
  });
  const key = listingsQueryOptions(tenantId).queryKey;
  // The form takes the price in major units (3499.00 PEN, 1500000 CLP); the API takes minor units.
  const create = useAdminMutation(
    (values: ListingFormValues) =>
      createListing(tenantId, { ...values, price: parseMoney(values.price, values.currency) ?? 0 }),
    key,
    () => {
      close();
      form.reset();
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean; version: number }) =>
      updateListing(tenantId, input.id, { active: input.active, version: input.version }),
    key,
  );

  return (
    <SettingsPanel
      query={listings}
      header={<AddButton label={t('settings.addListing')} onClick={open} />}
      renderItem={(listing) => (
        <Card key={listing.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate>
                {listing.title}
              </Text>
              <Text size="sm" c="dimmed">
                {formatMoney(listing.price, listing.currency, i18n.language)} · {t('settings.stock')}{' '}
                {listing.stock} ·{' '}
                {t(`campaigns.category.${listing.category}`, { defaultValue: listing.category })}
              </Text>
            </div>
            <Switch
              aria-label={`${listing.title}: ${t('settings.active')}`}
              checked={listing.active}
              onChange={(e) =>
                toggle.mutate({ id: listing.id, active: e.currentTarget.checked, version: listing.version })
              }
            />
          </Group>
        </Card>
      )}
    >
      <Modal opened={opened} onClose={close} title={t('settings.addListing')}>
        <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
          <Stack>
            <TextInput label={t('settings.title_')} withAsterisk {...form.getInputProps('title')} />
            <Select
              label={t('settings.category')}
              allowDeselect={false}
              data={[...listingCategories]}
              {...form.getInputProps('category')}
            />
            <Group grow>
              <MoneyInput
                label={t('settings.price')}
                withAsterisk
                currency={form.values.currency}
                {...form.getInputProps('price')}
              />
              <Select
                label={t('settings.currency')}
                allowDeselect={false}
                data={[...currencies]}
                {...form.getInputProps('currency')}
              />
            </Group>
            <NumberInput
              label={t('settings.stock')}
              min={0}
              allowDecimal={false}
              {...form.getInputProps('stock')}
              onChange={(value) => form.setFieldValue('stock', Number(value) || 0)}
            />
            <Button type="submit" loading={create.isPending}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </SettingsPanel>
  );
}
