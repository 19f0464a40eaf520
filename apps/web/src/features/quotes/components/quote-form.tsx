import { Alert, Box, Button, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type AssistanceAlternative, parseMoney } from '@techmarket/contracts';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MoneyInput } from '../../../components/money-input';
import { formatMoney } from '../../../lib/format';
import { problemMessage } from '../../../lib/problem-message';
import { catalogSearchQueryOptions, type QuoteItemInput } from '../api/quotes';
import { itemsOf, type Line, newLine, priceDraft, type QuoteListing } from '../lib/quote-lines';
import { DraftTotals, type NamedTaxRule } from './draft-totals';
import { LineEditor } from './quote-line-editor';

/** What the form holds: a draft of a quote until it is saved. */
export interface QuoteDraft {
  lines: Line[];
  notes: string;
}

/**
 * The builder's form: the catalog search (and the assistant's alternatives), the lines in one currency, the live
 * totals and the notes. It knows nothing of saving: `onSave` gets the lines as the API takes them.
 */
export function QuoteForm({
  tenantId,
  canSetPrices,
  alternatives = [],
  initialLines,
  initialNotes,
  rule,
  ruleFailed,
  notice,
  submitLabel,
  saving,
  error,
  onSave,
  freeLineCurrency,
  onValuesChange,
}: {
  tenantId: string;
  canSetPrices: boolean;
  alternatives?: AssistanceAlternative[] | undefined;
  initialLines: Line[];
  initialNotes: string;
  rule: NamedTaxRule | null;
  ruleFailed: boolean;
  notice?: ReactNode;
  submitLabel: string;
  saving: boolean;
  error: unknown;
  onSave: (draft: { items: QuoteItemInput[]; notes: string }) => void;
  /** The currency of a free-text line on a quote with no line yet (the shop's). */
  freeLineCurrency?: string | undefined;
  /** Every change to the lines or the notes (the builder keeps them as a draft). */
  onValuesChange?: ((values: QuoteDraft) => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // The lines are checked by the contracts' quote arithmetic (priceDraft), which also blocks the button.
  const form = useForm<QuoteDraft>({
    initialValues: { lines: initialLines, notes: initialNotes },
    ...(onValuesChange ? { onValuesChange } : {}),
  });
  const { lines } = form.values;
  const setLines = (next: (current: Line[]) => Line[]) => form.setFieldValue('lines', next);
  const reasonId = useId();
  const results = useQuery({
    ...catalogSearchQueryOptions(tenantId, debounced),
    placeholderData: keepPreviousData,
  });

  // One currency per quote: the first line's. A listing in another one is offered disabled, with the reason.
  const currency = lines[0]?.listing.currency ?? null;
  const otherCurrency = (listingCurrency: string) =>
    currency !== null && listingCurrency !== currency
      ? t('quotes.otherCurrency', { currency: listingCurrency, quoteCurrency: currency })
      : null;
  const add = (listing: QuoteListing) => {
    if (otherCurrency(listing.currency)) return;
    setLines((current) =>
      current.some((line) => line.listing.id === listing.id)
        ? current.map((line) =>
            line.listing.id === listing.id ? { ...line, quantity: line.quantity + 1 } : line,
          )
        : [...current, newLine(listing)],
    );
  };
  const change = (id: string, patch: Partial<Line>) =>
    setLines((current) => current.map((line) => (line.listing.id === id ? { ...line, ...patch } : line)));

  // A free-text line (labour): its description and price, added like a catalog line.
  const [freeTitle, setFreeTitle] = useState('');
  const [freePrice, setFreePrice] = useState('');
  const freeCurrency = currency ?? freeLineCurrency ?? 'PEN';
  const freeAmount = freePrice.trim() ? parseMoney(freePrice, freeCurrency) : null;
  const addFree = () => {
    const title = freeTitle.trim();
    if (!title || freeAmount === null) return;
    const listing = {
      id: `free-${Date.now()}`,
      title,
      price: freeAmount,
      currency: freeCurrency,
      stock: null,
    };
    setLines((current) => [...current, { ...newLine(listing), free: true }]);
    setFreeTitle('');
    setFreePrice('');
  };
  const { problems, totals } = priceDraft(lines, rule);
  const money = (minor: number, c: string) => formatMoney(minor, c, i18n.language);
  const blocked = lines.length === 0 || problems.some(Boolean) || lines.some((line) => line.inactive);
  const submit = form.onSubmit((values) => {
    if (!blocked) onSave({ items: itemsOf(values.lines, canSetPrices), notes: values.notes.trim() });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {notice && <Alert color="orange">{notice}</Alert>}
        {alternatives.length > 0 && (
          <Box>
            <Text size="xs" c="dimmed" mb={4}>
              {t('quotes.suggested')}
            </Text>
            <Group gap={6}>
              {alternatives.map((alt) => {
                const refused = otherCurrency(alt.currency);
                return (
                  <Box key={alt.listingId} maw="100%">
                    <Button
                      size="compact-sm"
                      variant="light"
                      color="grape"
                      title={alt.why}
                      aria-label={t('quotes.addSuggested', { title: alt.title })}
                      disabled={refused !== null}
                      aria-describedby={refused ? `${reasonId}-alt-${alt.listingId}` : undefined}
                      onClick={() =>
                        add({
                          id: alt.listingId,
                          title: alt.title,
                          price: alt.price,
                          currency: alt.currency,
                          stock: null,
                        })
                      }
                      styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                      h="auto"
                      mih={36}
                      maw="100%"
                      py={4}
                    >
                      + {alt.title} · {money(alt.price, alt.currency)}
                    </Button>
                    {refused && (
                      <Text size="xs" c="orange.9" id={`${reasonId}-alt-${alt.listingId}`}>
                        {refused}
                      </Text>
                    )}
                  </Box>
                );
              })}
            </Group>
          </Box>
        )}
        <TextInput
          label={t('quotes.search')}
          placeholder={t('quotes.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          type="search"
          data-autofocus
        />
        <Box mah={220} style={{ overflowY: 'auto' }} aria-live="polite">
          {results.isError ? (
            <Text size="sm" c="red">
              {problemMessage(results.error, t)}
            </Text>
          ) : results.data && results.data.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('quotes.noResults')}
            </Text>
          ) : (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {(results.data ?? []).map((listing) => {
                const refused = otherCurrency(listing.currency);
                return (
                  <Group key={listing.id} component="li" justify="space-between" gap="xs" wrap="nowrap">
                    <Box miw={0}>
                      <Text size="sm" truncate>
                        {listing.title}
                      </Text>
                      <Text size="xs" c={refused ? 'orange.9' : 'dimmed'}>
                        {money(listing.price, listing.currency)} ·{' '}
                        <span id={`${reasonId}-${listing.id}`}>
                          {refused ?? t('quotes.stock', { count: listing.stock })}
                        </span>
                      </Text>
                    </Box>
                    <Button
                      variant="light"
                      disabled={refused !== null}
                      aria-describedby={refused ? `${reasonId}-${listing.id}` : undefined}
                      onClick={() => add(listing)}
                      aria-label={t('quotes.addItem', { title: listing.title })}
                      style={{ flexShrink: 0 }}
                    >
                      {t('quotes.add')}
                    </Button>
                  </Group>
                );
              })}
            </Stack>
          )}
        </Box>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            label={t('quotes.freeLine')}
            placeholder={t('quotes.freeLinePlaceholder')}
            maxLength={200}
            value={freeTitle}
            onChange={(event) => setFreeTitle(event.currentTarget.value)}
            style={{ flex: '2 1 200px' }}
          />
          <MoneyInput
            label={t('quotes.freeLinePrice')}
            currency={freeCurrency}
            value={freePrice}
            onChange={setFreePrice}
            style={{ flex: '1 1 100px' }}
          />
          <Button variant="light" onClick={addFree} disabled={!freeTitle.trim() || freeAmount === null}>
            {t('quotes.addFreeLine')}
          </Button>
        </Group>
        <Paper withBorder p="xs" radius="md">
          {lines.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('quotes.noItems')}
            </Text>
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {lines.map((line, index) => (
                <LineEditor
                  key={line.listing.id}
                  line={line}
                  canSetPrices={canSetPrices}
                  problem={problems[index] ?? null}
                  total={totals?.lines[index]?.total ?? null}
                  onChange={(patch) => change(line.listing.id, patch)}
                  onRemove={() =>
                    setLines((current) => current.filter((l) => l.listing.id !== line.listing.id))
                  }
                />
              ))}
            </Stack>
          )}
        </Paper>
        {currency && (
          <DraftTotals
            totals={totals}
            rule={rule}
            currency={currency}
            state={
              problems.some(Boolean) ? 'invalid' : ruleFailed ? 'failed' : rule === null ? 'loading' : 'ready'
            }
          />
        )}
        <Textarea label={t('quotes.notes')} {...form.getInputProps('notes')} maxLength={2000} rows={2} />
        {error ? (
          <Alert color="red" role="alert">
            {problemMessage(error, t)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button type="submit" loading={saving} disabled={blocked}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
