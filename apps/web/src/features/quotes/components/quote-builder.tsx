import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type AssistanceAlternative, moneyInputText, type Quote } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { clearDraft, readDraft, writeDraft } from '../../../lib/draft';
import { useApiMutation } from '../../../lib/mutation';
import { isVersionConflict } from '../../../lib/problem-message';
import { byId, commerceSettingsQueryOptions, listingsByIdQueryOptions } from '../../../lib/tenant-data';
import {
  createQuote,
  createTicketQuote,
  editQuote,
  type QuoteItemInput,
  quoteQueryOptions,
  quotesKey,
} from '../api/quotes';
import { type Line, newLine, type QuoteListing } from '../lib/quote-lines';
import { type QuoteDraft, QuoteForm } from './quote-form';

/** What a new quote is for: a lead, or a ticket (the ticket's lead; one is opened for a ticket without). */
export type QuoteTarget = { leadId: string; ticketId?: undefined } | { ticketId: string; leadId?: undefined };

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
      | ({
          initialListing?: QuoteListing | null | undefined;
          /** Whose half-made quote survives a reload (lib/draft.ts); none kept without it. */
          userId?: string | undefined;
          quote?: undefined;
        } & QuoteTarget)
      | {
          quote: Quote;
          /** Whose half-made edit of the quote survives a reload (lib/draft.ts); none kept without it. */
          userId?: string | undefined;
          /** Someone else changed the quote meanwhile: it is being reloaded. */
          onConflict?: () => void;
        }
    ),
) {
  return props.quote ? (
    <EditQuoteBuilder {...props} quote={props.quote} userId={props.userId} />
  ) : (
    <NewQuoteBuilder {...props} userId={props.userId} />
  );
}

const emptyDraft = (draft: QuoteDraft) => draft.lines.length === 0 && !draft.notes.trim();

/** A half-made edit, with the version of the quote it was made on. */
interface EditDraft extends QuoteDraft {
  version: number;
}

function NewQuoteBuilder({
  tenantId,
  canSetPrices,
  alternatives,
  onDone,
  leadId,
  ticketId,
  initialListing,
  userId,
}: BuilderBase & {
  initialListing?: QuoteListing | null | undefined;
  userId?: string | undefined;
} & QuoteTarget) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // One draft per lead and one per ticket: a ticket's quote is not its lead's.
  const draftName = ticketId ? `quote:ticket:${ticketId}` : `quote:${leadId}`;
  const [draft] = useState(() => (userId ? readDraft<QuoteDraft>(userId, draftName) : null));
  // The shop's rule as the server reads it when it prices the new quote.
  const settings = useQuery(commerceSettingsQueryOptions(tenantId));
  const create = useApiMutation({
    mutationFn: (draft: { items: QuoteItemInput[]; notes: string }) => {
      const input = { items: draft.items, ...(draft.notes ? { notes: draft.notes } : {}) };
      return ticketId ? createTicketQuote(ticketId, input) : createQuote(leadId ?? '', input);
    },
    onSuccess: (quote) => {
      if (userId) clearDraft(userId, draftName);
      void queryClient.invalidateQueries({ queryKey: quotesKey });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
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
      initialLines={draft?.lines ?? (initialListing ? [newLine(initialListing)] : [])}
      initialNotes={draft?.notes ?? ''}
      onValuesChange={userId ? (values) => writeDraft(userId, draftName, values, emptyDraft) : undefined}
      rule={settings.data ?? null}
      ruleFailed={settings.isError}
      submitLabel={t('quotes.create')}
      saving={create.isPending}
      error={create.error}
      onSave={(draft) => create.mutate(draft)}
      freeLineCurrency={settings.data?.currency}
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
  userId,
}: BuilderBase & { quote: Quote; userId?: string | undefined; onConflict?: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const draftName = `quote-edit:${quote.id}`;
  // Only a draft made on this version: one made on an older one would silently undo what changed since.
  const [draft] = useState(() => {
    if (!userId) return null;
    const kept = readDraft<EditDraft>(userId, draftName);
    if (kept?.version === quote.version) return kept;
    if (kept) clearDraft(userId, draftName);
    return null;
  });
  // The lines' listings as the catalog has them now: the price the server uses when none is given, the stock.
  const ids = [...new Set(quote.items.flatMap((item) => (item.listingId ? [item.listingId] : [])))];
  // Free-text lines (a ticket's labour) are not the builder's to edit: they are kept as they are on save.
  const freeLines = quote.items.flatMap((item): QuoteItemInput[] =>
    item.listingId === null
      ? [
          {
            title: item.title,
            quantity: item.quantity,
            unitPrice: item.unitPrice,
            ...(item.discount > 0 ? { discount: item.discount } : {}),
          },
        ]
      : [],
  );
  const listings = useQuery({ ...listingsByIdQueryOptions(tenantId, ids), staleTime: 0 });
  const detailKey = quoteQueryOptions(quote.id).queryKey;
  const save = useApiMutation({
    mutationFn: (draft: { items: QuoteItemInput[]; notes: string }) =>
      editQuote(quote, {
        items: [...draft.items, ...freeLines],
        ...(draft.notes !== (quote.notes ?? '') ? { notes: draft.notes || null } : {}),
      }),
    onSuccess: (saved) => {
      if (userId) clearDraft(userId, draftName);
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
  type CatalogItem = Quote['items'][number] & { listingId: string };
  const catalogItems = quote.items.filter((item): item is CatalogItem => item.listingId !== null);
  const catalogPrice = (item: CatalogItem) => catalog.get(item.listingId)?.price ?? item.unitPrice;
  // A manager's price or discount on the quote: a seller cannot keep them (the API refuses both from a seller).
  const special = catalogItems.some((item) => item.unitPrice !== catalogPrice(item) || item.discount > 0);
  const lines = catalogItems.map((item): Line => {
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
      initialLines={draft?.lines ?? lines}
      initialNotes={draft?.notes ?? quote.notes ?? ''}
      onValuesChange={
        userId
          ? (values) => writeDraft(userId, draftName, { ...values, version: quote.version }, emptyDraft)
          : undefined
      }
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
