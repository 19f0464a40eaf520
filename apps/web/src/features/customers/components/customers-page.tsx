import {
  Anchor,
  Badge,
  Box,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { customerConsentFilters } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListPage } from '../../../components/list-page';
import { formatPhone } from '../../../lib/phone';
import { useSession } from '../../../lib/session';
import { branchesQueryOptions } from '../../../lib/tenant-data';
import { type CustomerFilters, customersQueryOptions } from '../api/customers';

/** "Clientes": every customer of the shop (a seller: of their branches), found however they are remembered. */
export function CustomersPage() {
  const me = useSession();
  return <CustomersView tenantId={me.tenant.id} />;
}

export function CustomersView({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [filters, setFilters] = useState<Omit<CustomerFilters, 'q'>>({});
  const [tag, setTag] = useState('');
  const [debouncedTag] = useDebouncedValue(tag.trim(), 300);
  const branches = useQuery(branchesQueryOptions(tenantId));
  const query = useInfiniteQuery(
    customersQueryOptions(tenantId, {
      ...filters,
      q: q || undefined,
      tag: debouncedTag || undefined,
    }),
  );
  const any = { value: '', label: t('customers.any') };

  return (
    <ListPage
      title={t('customers.title')}
      filters={
        <Box mb="sm">
          <TextInput
            type="search"
            aria-label={t('customers.search')}
            placeholder={t('customers.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            mb="xs"
          />
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            <NativeSelect
              label={t('customers.branch')}
              size="xs"
              value={filters.branchId ?? ''}
              data={[
                { value: '', label: t('customers.allBranches') },
                ...(branches.data ?? []).map((b) => ({ value: b.id, label: b.name })),
              ]}
              onChange={(e) => setFilters({ ...filters, branchId: e.currentTarget.value || undefined })}
            />
            <NativeSelect
              label={t('customers.consent')}
              size="xs"
              value={filters.consent ?? ''}
              data={[
                any,
                ...customerConsentFilters.map((c) => ({ value: c, label: t(`customers.consentName.${c}`) })),
              ]}
              onChange={(e) =>
                setFilters({
                  ...filters,
                  consent: (e.currentTarget.value || undefined) as CustomerFilters['consent'],
                })
              }
            />
            <NativeSelect
              label={t('customers.openLead')}
              size="xs"
              value={filters.hasOpenLead === undefined ? '' : String(filters.hasOpenLead)}
              data={[
                any,
                { value: 'true', label: t('customers.withOpenLead') },
                { value: 'false', label: t('customers.withoutOpenLead') },
              ]}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setFilters({ ...filters, hasOpenLead: value === '' ? undefined : value === 'true' });
              }}
            />
            <TextInput
              label={t('customers.tag')}
              size="xs"
              value={tag}
              onChange={(e) => setTag(e.currentTarget.value)}
            />
          </SimpleGrid>
        </Box>
      }
      query={query}
      empty={{ title: t('customers.empty') }}
      renderItem={(customer) => (
        <Paper withBorder p="sm" radius="md" data-testid="customer-row">
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Box miw={0}>
              <Anchor
                fw={600}
                style={{ overflowWrap: 'anywhere' }}
                renderRoot={(props) => (
                  <Link {...props} to="/customers/$customerId" params={{ customerId: customer.id }} />
                )}
              >
                {customer.name ?? (formatPhone(customer.phone) || t('customers.noName'))}
              </Anchor>
              <Text size="sm" c="dimmed" truncate>
                {[formatPhone(customer.phone), customer.email].filter(Boolean).join(' · ')}
              </Text>
              {customer.tags.length > 0 && (
                <Group gap={4} mt={4}>
                  {customer.tags.map((tagName) => (
                    <Badge key={tagName} size="xs" variant="light">
                      {tagName}
                    </Badge>
                  ))}
                </Group>
              )}
            </Box>
            <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
              {customer.openLeads > 0 && (
                <Badge color="blue" variant="light">
                  {t('customers.openLeads', { count: customer.openLeads })}
                </Badge>
              )}
              {customer.optedOutAt ? (
                <Badge color="gray" variant="light">
                  {t('customers.consentName.OPTED_OUT')}
                </Badge>
              ) : customer.marketingConsent ? (
                <Badge color="green" variant="light">
                  {t('customers.consentName.GIVEN')}
                </Badge>
              ) : null}
            </Stack>
          </Group>
        </Paper>
      )}
    />
  );
}
