import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { AssistanceAlternative, Quote } from '@techmarket/contracts';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/query-state';
import { useBackCloses } from '../../../lib/back-closes';
import type { QuoteListing } from '../lib/quote-lines';
import type { QuoteTarget } from './quote-builder';
import { quoteNumber } from './quote-status-badge';

// The builder downloads when a dialog first opens, not with the lead or quote view.
const QuoteBuilder = lazy(() => import('./quote-builder').then((m) => ({ default: m.QuoteBuilder })));

/** "Cotizar" on the lead view (or a ticket's): the builder in a dialog, then the quote's page. */
export function QuoteButton({
  leadId,
  ticketId,
  tenantId,
  userId,
  canSetPrices,
  initialListing,
  alternatives,
}: QuoteTarget & {
  tenantId: string;
  /** The signed-in user: their half-made quote is kept as a draft (none without). */
  userId?: string | undefined;
  /** OWNER and MANAGER set a line's price and discount. */
  canSetPrices: boolean;
  initialListing?: QuoteListing | null | undefined;
  /** The assistant's alternatives for the lead, offered in the builder one tap away. */
  alternatives?: AssistanceAlternative[] | undefined;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  return (
    <>
      <Button variant="default" onClick={open}>
        {t('quotes.quote')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('quotes.builderTitle')} size="lg">
        {opened && (
          <Suspense fallback={<Loading />}>
            <QuoteBuilder
              {...(ticketId ? { ticketId } : { leadId: leadId ?? '' })}
              tenantId={tenantId}
              userId={userId}
              canSetPrices={canSetPrices}
              initialListing={initialListing}
              alternatives={alternatives}
              onDone={close}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}

/** "Editar" on a DRAFT: the same builder with its lines, saved over the quote (PATCH with its version). */
export function EditQuoteButton({
  quote,
  userId,
  canSetPrices,
  onOpen,
  onConflict,
}: {
  quote: Quote;
  /** The signed-in user: their half-made edit of the quote is kept as a draft. */
  userId?: string | undefined;
  canSetPrices: boolean;
  onOpen?: () => void;
  /** Someone else changed the quote while it was being edited: the dialog closed and the quote reloads. */
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          onOpen?.();
          open();
        }}
      >
        {t('quotes.edit')}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t('quotes.editTitle', { number: quoteNumber(quote.number) })}
        size="lg"
      >
        {opened && (
          <Suspense fallback={<Loading />}>
            <QuoteBuilder
              tenantId={quote.tenantId}
              canSetPrices={canSetPrices}
              quote={quote}
              userId={userId}
              onDone={close}
              onConflict={() => {
                close();
                onConflict();
              }}
            />
          </Suspense>
        )}
      </Modal>
    </>
  );
}
