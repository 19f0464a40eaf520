import {
  ActionIcon,
  Alert,
  Box,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import {
  type AssistanceAlternative,
  moneyInputText,
  type Quote,
  type QuoteTotals,
} from '@techmarket/contracts';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MoneyInput } from '../../../components/money-input';
import { ErrorState, Loading } from '../../../components/query-state';
import { formatMoney } from '../../../lib/format';
import { isVersionConflict, problemMessage } from '../../../lib/problem-message';
import { byId, commerceSettingsQueryOptions, listingsByIdQueryOptions } from '../../../lib/tenant-data';
import {
  catalogSearchQueryOptions,
  createQuote,
  editQuote,
  type QuoteItemInput,
  quoteQueryOptions,
  quotesKey,
} from '../api/quotes';
import {
  itemsOf,
  type Line,
  type LineProblem,
  newLine,
  priceDraft,
  type QuoteListing,
} from '../lib/quote-lines';

/** The tax rule the totals are computed under, with the name the quote shows. */
type NamedTaxRule = { taxName: string; taxRateBps: number; pricesIncludeTax: boolean };

interface BuilderBase {
  tenantId: string;
  /** OWNER and MANAGER: a unit price and a discount per line (the API refuses both from a seller). */
  canSetPrices: boolean;
  /** The assistant's alternatives for the lead, one tap away. */
  alternatives?: AssistanceAlternative[] | undefined;
  onDone?: () => void;
}

/**
 * "Cotizar": lines from the catalog (or the assistant's alternatives) in one currency, and the totals the server
 * will compute, live. A new quote for a lead, or a DRAFT's lines edited (`quote`).
 */
export function QuoteBuilder(
  props: BuilderBase &
    (
      | { leadId: string; initialListing?: QuoteListing | null | undefined; quote?: undefined }
      | {
          quote: Quote;
          /** Someone else changed the quote meanwhile: it is being reloaded. */
          onConflict?: () => void;
        }
    ),
) {
  return props.quote ? (
    <EditQuoteBuilder {...props} quote={props.quote} />
  ) : (
    <NewQuoteBuilder {...props} leadId={props.leadId} />
  );
}

function NewQuoteBuilder({
  tenantId,
  canSetPrices,
  alternatives,
  onDone,
  leadId,
  initialListing,
}: BuilderBase & { leadId: string; initialListing?: QuoteListing | null | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The shop's rule as the server reads it when it prices the new quote.
  const settings = useQuery(commerceSettingsQueryOptions(tenantId));
  const create = useMutation({
    mutationFn: (draft: { items: QuoteItemInput[]; notes: string }) =>
      createQuote(leadId, { items: draft.items, ...(draft.notes ? { notes: draft.notes } : {}) }),
    onSuccess: (quote) => {
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('quotes.created') });
      onDone?.();
      void navigate({ to: '/quotes/$quoteId', params: { quoteId: quote.id } });
    },
  });
  return (
    <QuoteForm
      tenantId={tenantId}
      canSetPrices={canSetPrices}
      alternatives={alternatives}
      initialLines={initialListing ? [newLine(initialListing)] : []}
      initialNotes=""
      rule={settings.data ?? null}
      ruleFailed={settings.isError}
      submitLabel={t('quotes.create')}
      saving={create.isPending}
      error={create.error}
      onSave={(draft) => create.mutate(draft)}
    />
  );
}

function EditQuoteBuilder({
  tenantId,
  canSetPrices,
  alternatives,
  onDone,
  quote,
  onConflict,
}: BuilderBase & { quote: Quote; onConflict?: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // The lines' listings as the catalog has them now: the price the server uses when none is given, the stock.
  const ids = [...new Set(quote.items.map((item) => item.listingId))];
  const listings = useQuery({ ...listingsByIdQueryOptions(tenantId, ids), staleTime: 0 });
  const detailKey = quoteQueryOptions(quote.id).queryKey;
  const save = useMutation({
    mutationFn: (draft: { items: QuoteItemInput[]; notes: string }) =>
      editQuote(quote, {
        items: draft.items,
        ...(draft.notes !== (quote.notes ?? '') ? { notes: draft.notes || null } : {}),
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(detailKey, saved);
      void queryClient.invalidateQueries({ queryKey: [...quotesKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('quotes.saved') });
      onDone?.();
    },
    onError: (error) => {
      if (!isVersionConflict(error)) return;
      void queryClient.invalidateQueries({ queryKey: detailKey });
      onConflict?.();
    },
  });

  // The lines start from what the catalog says now (not a cached page of it): wait for this mount's answer.
  if (listings.isError) return <ErrorState error={listings.error} onRetry={() => void listings.refetch()} />;
  if (listings.isPending || !listings.isFetchedAfterMount) return <Loading />;
  const catalog = byId(listings.data);
  const catalogPrice = (item: Quote['items'][number]) => catalog.get(item.listingId)?.price ?? item.unitPrice;
  // A manager's price or discount on the quote: a seller cannot keep them (the API refuses both from a seller).
  const special = quote.items.some((item) => item.unitPrice !== catalogPrice(item) || item.discount > 0);
  const lines = quote.items.map((item): Line => {
    const listed = catalog.get(item.listingId);
    const currency = listed?.currency ?? quote.currency;
    return {
      listing: {
        id: item.listingId,
        title: item.title,
        price: catalogPrice(item),
        currency,
        stock: listed?.stock ?? null,
      },
      quantity: item.quantity,
      // A manager keeps the quoted price and discount; a seller's lines go back to the catalog's.
      price:
        canSetPrices && item.unitPrice !== catalogPrice(item) ? moneyInputText(item.unitPrice, currency) : '',
      discount: canSetPrices && item.discount > 0 ? moneyInputText(item.discount, currency) : '',
      inactive: !listed?.active,
    };
  });
  return (
    <QuoteForm
      tenantId={tenantId}
      canSetPrices={canSetPrices}
      alternatives={alternatives}
      initialLines={lines}
      initialNotes={quote.notes ?? ''}
      rule={quote}
      ruleFailed={false}
      notice={special && !canSetPrices ? t('quotes.sellerReprices') : null}
      submitLabel={t('quotes.save')}
      saving={save.isPending}
      error={save.isError && !isVersionConflict(save.error) ? save.error : null}
      onSave={(draft) => save.mutate(draft)}
    />
  );
}

const exceedsStock = (line: Line) => line.listing.stock !== null && line.quantity > line.listing.stock;

function QuoteForm({
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
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [lines, setLines] = useState<Line[]>(initialLines);
  const [notes, setNotes] = useState(initialNotes);
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

  const { problems, totals } = priceDraft(lines, rule);
  const money = (minor: number, c: string) => formatMoney(minor, c, i18n.language);
  const blocked = lines.length === 0 || problems.some(Boolean) || lines.some((line) => line.inactive);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!blocked) onSave({ items: itemsOf(lines, canSetPrices), notes: notes.trim() });
  };

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
        <Textarea
          label={t('quotes.notes')}
          value={notes}
          maxLength={2000}
          rows={2}
          onChange={(event) => setNotes(event.currentTarget.value)}
        />
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

const problemKey: Record<LineProblem, string> = {
  price: 'quotes.invalidAmount',
  discount: 'quotes.invalidAmount',
  discountTooLarge: 'quotes.discountTooLarge',
  tooLarge: 'quotes.lineTooLarge',
};

/** One line: title, its total as the server will price it, quantity; for a manager, price and discount. */
function LineEditor({
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

/** Subtotal, tax (named, with its rate) and total as the server will compute them; the discounts first. */
function DraftTotals({
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
