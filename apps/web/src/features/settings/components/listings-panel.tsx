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
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { currencies, listingCategories } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { formatMoney } from '../../../lib/format';
import { listingsQueryOptions } from '../../../lib/tenant-data';
import { createListing, updateListing } from '../api/admin';
import { useAdminMutation } from './use-admin-mutation';

export function ListingsPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const listings = useQuery(listingsQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  const empty = { title: '', category: 'LAPTOPS', price: 0, currency: 'PEN', stock: 0 };
  const [form, setForm] = useState(empty);
  const key = listingsQueryOptions(tenantId).queryKey;
  // The form takes the price in units (3499.00); the API takes minor units (349900).
  const create = useAdminMutation(
    () => createListing(tenantId, { ...form, price: Math.round(form.price * 100) }),
    key,
    () => {
      close();
      setForm(empty);
    },
  );
  const toggle = useAdminMutation(
    (input: { id: string; active: boolean; version: number }) =>
      updateListing(tenantId, input.id, { active: input.active, version: input.version }),
    key,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(undefined);
  };

  if (listings.isPending) return <Loading />;
  if (listings.isError) return <ErrorState error={listings.error} onRetry={() => void listings.refetch()} />;
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <Button size="xs" onClick={open}>
          {t('settings.addListing')}
        </Button>
      </Group>
      {listings.data.length === 0 && <EmptyState title={t('settings.empty')} />}
      {listings.data.map((listing) => (
        <Card key={listing.id} withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate>
                {listing.title}
              </Text>
              <Text size="sm" c="dimmed">
                {formatMoney(listing.price, listing.currency, i18n.language)} · {t('settings.stock')}{' '}
                {listing.stock} · {listing.category}
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
      ))}
      <Modal opened={opened} onClose={close} title={t('settings.addListing')}>
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('settings.title_')}
              required
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
            />
            <Select
              label={t('settings.category')}
              allowDeselect={false}
              value={form.category}
              data={[...listingCategories]}
              onChange={(value) => value && setForm({ ...form, category: value })}
            />
            <Group grow>
              <NumberInput
                label={t('settings.price')}
                min={0}
                decimalScale={2}
                value={form.price}
                onChange={(value) => setForm({ ...form, price: Number(value) || 0 })}
              />
              <Select
                label={t('settings.currency')}
                allowDeselect={false}
                value={form.currency}
                data={[...currencies]}
                onChange={(value) => value && setForm({ ...form, currency: value })}
              />
            </Group>
            <NumberInput
              label={t('settings.stock')}
              min={0}
              allowDecimal={false}
              value={form.stock}
              onChange={(value) => setForm({ ...form, stock: Number(value) || 0 })}
            />
            <Button type="submit" loading={create.isPending}>
              {t('settings.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
