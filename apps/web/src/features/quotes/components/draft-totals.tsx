import { Box, Group, Text } from '@mantine/core';
import type { QuoteTotals } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../lib/format';

/** The tax rule the totals are computed under, with the name the quote shows. */
export type NamedTaxRule = { taxName: string; taxRateBps: number; pricesIncludeTax: boolean };

/** Subtotal, tax (named, with its rate) and total as the server will compute them; the discounts first. */
export function DraftTotals({
  totals,
  rule,
  currency,
  state,
}: {
  totals: QuoteTotals | null;
  rule: NamedTaxRule | null;
  currency: string;
  state: 'ready' | 'loading' | 'failed' | 'invalid';
}) {
  const { t, i18n } = useTranslation();
  if (state !== 'ready' || !totals || !rule) {
    const message = {
      ready: null,
      loading: t('quotes.totalsLoading'),
      failed: t('quotes.totalsUnavailable'),
      invalid: t('quotes.totalsInvalid'),
    }[state];
    return (
      <Text size="sm" c={state === 'loading' ? 'dimmed' : 'orange.9'} data-testid="quote-totals">
        {message}
      </Text>
    );
  }
  const money = (minor: number) => formatMoney(minor, currency, i18n.language);
  const rate = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 2 }).format(
    rule.taxRateBps / 10_000,
  );
  const row = (label: string, amount: string, testId: string, strong = false) => (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm" fw={strong ? 700 : undefined}>
        {label}
      </Text>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : undefined} data-testid={testId}>
        {amount}
      </Text>
    </Group>
  );
  return (
    <Box data-testid="quote-totals" aria-live="polite">
      {/* As on the PDF: the discounts are already in the lines, shown first as what the customer saves. */}
      {totals.discount > 0 && row(t('quotes.discounts'), `−${money(totals.discount)}`, 'quote-discount')}
      {row(t('quotes.subtotal'), money(totals.subtotal), 'quote-subtotal')}
      {row(`${rule.taxName} ${rate}`, money(totals.tax), 'quote-tax')}
      {row(t('quotes.total'), money(totals.total), 'quote-total', true)}
      <Text size="xs" c="dimmed">
        {t(rule.pricesIncludeTax ? 'quotes.taxIncluded' : 'quotes.taxExcluded', { name: rule.taxName })}
      </Text>
    </Box>
  );
}
