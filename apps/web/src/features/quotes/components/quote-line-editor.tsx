import { ActionIcon, Box, Group, NumberInput, Stack, Text } from '@mantine/core';
import { moneyInputText } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { MoneyInput } from '../../../components/money-input';
import type { MessageKey } from '../../../lib/form';
import { formatMoney } from '../../../lib/format';
import type { Line, LineProblem } from '../lib/quote-lines';

const exceedsStock = (line: Line) => line.listing.stock !== null && line.quantity > line.listing.stock;

const problemKey = {
  price: 'quotes.invalidAmount',
  discount: 'quotes.invalidAmount',
  discountTooLarge: 'quotes.discountTooLarge',
  tooLarge: 'quotes.lineTooLarge',
} as const satisfies Record<LineProblem, MessageKey>;

/** One line: title, its total as the server will price it, quantity; for a manager, price and discount. */
export function LineEditor({
  line,
  canSetPrices,
  problem,
  total,
  onChange,
  onRemove,
}: {
  line: Line;
  canSetPrices: boolean;
  problem: LineProblem | null;
  total: number | null;
  onChange: (patch: Partial<Line>) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { title, currency } = line.listing;
  const note = line.inactive
    ? t('quotes.inactive')
    : problem === 'tooLarge'
      ? t(problemKey.tooLarge)
      : exceedsStock(line)
        ? t('quotes.exceedsStock')
        : null;
  return (
    <Stack component="li" gap={6} data-testid="quote-line">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Box miw={0} style={{ flex: 1 }}>
          <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Text>
          <Text size="xs" c={note ? (line.inactive || problem ? 'red.8' : 'orange.9') : 'dimmed'}>
            {total !== null ? formatMoney(total, currency, i18n.language) : '—'}
            {note ? ` · ${note}` : ''}
          </Text>
        </Box>
        <NumberInput
          aria-label={t('quotes.quantity', { title })}
          value={line.quantity}
          min={1}
          max={100_000}
          allowDecimal={false}
          allowNegative={false}
          inputMode="numeric"
          w={84}
          onChange={(value) =>
            onChange({ quantity: Math.min(100_000, Math.max(1, Math.floor(Number(value) || 1))) })
          }
        />
        <ActionIcon
          variant="subtle"
          color="red"
          size="input-sm"
          aria-label={t('quotes.remove', { title })}
          onClick={onRemove}
        >
          <span aria-hidden="true">✕</span>
        </ActionIcon>
      </Group>
      {canSetPrices && (
        <Group grow gap="xs" align="flex-start">
          <MoneyInput
            label={t('quotes.unitPriceIn', { currency })}
            aria-label={t('quotes.unitPriceOf', { title })}
            currency={currency}
            placeholder={moneyInputText(line.listing.price, currency)}
            value={line.price}
            error={problem === 'price' ? t(problemKey.price) : undefined}
            onChange={(price) => onChange({ price })}
            miw={0}
          />
          <MoneyInput
            label={t('quotes.discountIn', { currency })}
            aria-label={t('quotes.discountOf', { title })}
            currency={currency}
            placeholder="0"
            value={line.discount}
            error={
              problem === 'discount' || problem === 'discountTooLarge' ? t(problemKey[problem]) : undefined
            }
            onChange={(discount) => onChange({ discount })}
            miw={0}
          />
        </Group>
      )}
    </Stack>
  );
}
