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
import type { AssistanceAlternative, Listing } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../lib/format';
import { problemMessage } from '../../../lib/problem-message';
import { catalogSearchQueryOptions, createQuote, estimateTotal, quotesKey } from '../api/quotes';

export type Line = {
  /** `stock` null: not known here (an assistant's alternative); the server still warns on the quote. */
  listing: Pick<Listing, 'id' | 'title' | 'price' | 'currency'> & { stock: number | null };
  quantity: number;
};

const exceedsStock = (line: Line) => line.listing.stock !== null && line.quantity > line.listing.stock;

export function QuoteBuilder({
  leadId,
  tenantId,
  initialListing,
  alternatives = [],
  onDone,
}: {
  leadId: string;
  tenantId: string;
  initialListing?: Line['listing'] | null | undefined;
  alternatives?: AssistanceAlternative[] | undefined;
  onDone?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [lines, setLines] = useState<Line[]>(
    initialListing ? [{ listing: initialListing, quantity: 1 }] : [],
  );
  const [notes, setNotes] = useState('');
  const results = useQuery({
    ...catalogSearchQueryOptions(tenantId, debounced),
    placeholderData: keepPreviousData,
  });
  const mutation = useMutation({
    mutationFn: () =>
      createQuote(leadId, {
        items: lines.map((line) => ({ listingId: line.listing.id, quantity: line.quantity })),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      }),
    onSuccess: (quote) => {
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('quotes.created') });
      onDone?.();
      void navigate({ to: '/quotes/$quoteId', params: { quoteId: quote.id } });
    },
  });

  const add = (listing: Line['listing']) =>
    setLines((current) =>
      current.some((line) => line.listing.id === listing.id)
        ? current.map((line) =>
            line.listing.id === listing.id ? { ...line, quantity: line.quantity + 1 } : line,
          )
        : [...current, { listing, quantity: 1 }],
    );
  const currency = lines[0]?.listing.currency;
  const money = (minor: number, c: string) => formatMoney(minor, c, i18n.language);
  const estimate = estimateTotal(
    lines.map((line) => ({ price: line.listing.price, quantity: line.quantity })),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (lines.length > 0) mutation.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {alternatives.length > 0 && (
          <Box>
            <Text size="xs" c="dimmed" mb={4}>
              {t('quotes.suggested')}
            </Text>
            <Group gap={6}>
              {alternatives.map((alt) => (
                <Button
                  key={alt.listingId}
                  size="compact-sm"
                  variant="light"
                  color="grape"
                  title={alt.why}
                  aria-label={t('quotes.addSuggested', { title: alt.title })}
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
                  py={4}
                >
                  + {alt.title} · {money(alt.price, alt.currency)}
                </Button>
              ))}
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
            <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {(results.data ?? []).map((listing) => (
                <Group key={listing.id} component="li" justify="space-between" gap="xs" wrap="nowrap">
                  <Box miw={0}>
                    <Text size="sm" truncate>
                      {listing.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {money(listing.price, listing.currency)} · {t('quotes.stock', { count: listing.stock })}
                    </Text>
                  </Box>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => add(listing)}
                    aria-label={t('quotes.addItem', { title: listing.title })}
                  >
                    {t('quotes.add')}
                  </Button>
                </Group>
              ))}
            </Stack>
          )}
        </Box>
        <Paper withBorder p="xs" radius="md">
          {lines.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('quotes.noItems')}
            </Text>
          ) : (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {lines.map((line) => (
                <Group key={line.listing.id} component="li" gap="xs" wrap="nowrap" data-testid="quote-line">
                  <Box miw={0} style={{ flex: 1 }}>
                    <Text size="sm" truncate>
                      {line.listing.title}
                    </Text>
                    <Text size="xs" c={exceedsStock(line) ? 'orange.8' : 'dimmed'}>
                      {money(line.listing.price * line.quantity, line.listing.currency)}
                      {exceedsStock(line) ? ` · ${t('quotes.exceedsStock')}` : ''}
                    </Text>
                  </Box>
                  <NumberInput
                    aria-label={t('quotes.quantity', { title: line.listing.title })}
                    value={line.quantity}
                    min={1}
                    max={100_000}
                    allowDecimal={false}
                    allowNegative={false}
                    w={84}
                    onChange={(value) => {
                      const quantity = Math.max(1, Math.floor(Number(value) || 1));
                      setLines((current) =>
                        current.map((l) => (l.listing.id === line.listing.id ? { ...l, quantity } : l)),
                      );
                    }}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    aria-label={t('quotes.remove', { title: line.listing.title })}
                    onClick={() =>
                      setLines((current) => current.filter((l) => l.listing.id !== line.listing.id))
                    }
                  >
                    <span aria-hidden="true">✕</span>
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
        {currency && (
          <Box>
            <Group justify="space-between">
              <Text size="sm">{t('quotes.estimate')}</Text>
              <Text fw={700} data-testid="quote-estimate">
                {money(estimate, currency)}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {t('quotes.estimateHint')}
            </Text>
          </Box>
        )}
        <Textarea
          label={t('quotes.notes')}
          value={notes}
          maxLength={2000}
          rows={2}
          onChange={(event) => setNotes(event.currentTarget.value)}
        />
        {mutation.isError && (
          <Alert color="red" role="alert">
            {problemMessage(mutation.error, t)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending} disabled={lines.length === 0}>
            {t('quotes.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
