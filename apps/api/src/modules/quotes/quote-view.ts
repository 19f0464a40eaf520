import type { Quote } from '@techmarket/contracts';
import { branchScope, type Principal } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { QuoteItemRow, QuoteRow, QuotesRepository } from './quotes.repository';

/** What the quote services share: reading a quote the viewer may see, its wire shape, and their refusals. */

export const versionConflict = () =>
  new AppError('VERSION_CONFLICT', 'The quote was changed by someone else; reload it and try again', {
    errors: [{ path: 'version', message: 'stale version' }],
  });

export const statusError = (message: string) =>
  new AppError('INVALID_TRANSITION', message, { errors: [{ path: 'status', message }] });

/** What the wire shows: the columns, the lines, the stock warnings and the status as of `at`. */
export function toQuote(row: QuoteRow, items: QuoteItemRow[], at: Date): Quote {
  const open = row.status === 'DRAFT' || row.status === 'SENT';
  const expired = open && Date.parse(row.validUntil) <= at.getTime();
  const lines = items.filter((i) => i.quoteId === row.id).map(({ quoteId: _q, ...item }) => item);
  const { linkGeneration: _generation, ...columns } = row;
  return {
    ...columns,
    status: expired ? 'EXPIRED' : row.status,
    items: lines,
    warnings: lines.flatMap((line) =>
      line.stockAtQuote !== null && line.quantity > line.stockAtQuote
        ? [
            {
              path: `items.${line.position}.quantity`,
              code: 'EXCEEDS_STOCK' as const,
              message: `${line.quantity} asked, ${Math.max(0, line.stockAtQuote)} in stock`,
            },
          ]
        : [],
    ),
  };
}

/** The quote if the viewer may see it (their branches), locked for the caller's transaction when asked; else 404. */
export async function loadQuote(
  repo: Pick<QuotesRepository, 'findQuote'>,
  tx: Tx,
  viewer: Principal,
  quoteId: string,
  lock = false,
) {
  const row = await repo.findQuote(tx, viewer.tenantId, quoteId, branchScope(viewer), lock);
  if (!row) throw notFound('Quote');
  return row;
}
