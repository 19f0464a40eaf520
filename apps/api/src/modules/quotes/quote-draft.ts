import type { QuoteStatus, UpdateQuoteInput } from '@techmarket/contracts';
import type { UserPrincipal } from '../../platform/auth';
import { startOfLocalDay } from '../../platform/business-time';
import type { Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import type { IdentityService } from '../identity';
import { type PricedItems, priceItems } from './quote-pricing';
import type { QuoteChanges, QuoteRow, QuotesRepository } from './quotes.repository';

/** A quote's validity, counted in the branch's own days, and the edit of a DRAFT's lines, validity or notes. */
export function createDraftEditing({
  repo,
  identity,
}: {
  repo: QuotesRepository;
  identity: Pick<IdentityService, 'findBranch'>;
}) {
  /** The last instant of the `days`-th local day after `from`, where the branch is. */
  async function validThrough(tx: Tx, tenantId: string, branchId: string, from: Date, days: number) {
    const branch = await identity.findBranch(tx, tenantId, branchId);
    const timeZone = branch?.timezone ?? 'America/Lima';
    return new Date(startOfLocalDay(from, timeZone, days + 1).getTime() - 1).toISOString();
  }

  /** The changes an edit of lines, validity or notes makes; only a DRAFT is edited. */
  async function editDraft(
    tx: Tx,
    actor: UserPrincipal,
    current: QuoteRow,
    effective: QuoteStatus,
    input: UpdateQuoteInput,
    at: Date,
  ) {
    const changes: QuoteChanges = {};
    let newItems: PricedItems['rows'] | null = null;
    const edits = (['items', 'validDays', 'notes'] as const).filter((key) => input[key] !== undefined);
    if (edits.length > 0 && effective !== 'DRAFT') {
      throw invalidField(
        edits[0] ?? 'items',
        `only a DRAFT quote can be edited; this one is ${effective}`,
        'QUOTE_NOT_DRAFT',
      );
    }
    if (input.items) {
      const priced = await priceItems(repo, tx, actor, input.items, current, {
        code: current.currency,
        given: false,
      });
      Object.assign(changes, {
        currency: priced.currency,
        subtotal: priced.totals.subtotal,
        discount: priced.totals.discount,
        tax: priced.totals.tax,
        total: priced.totals.total,
      });
      newItems = priced.rows;
    }
    if (input.validDays !== undefined) {
      changes.validUntil = await validThrough(tx, actor.tenantId, current.branchId, at, input.validDays);
    }
    if (input.notes !== undefined) changes.notes = input.notes;
    return { changes, newItems };
  }

  return { validThrough, editDraft };
}
