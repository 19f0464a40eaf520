import type { QuoteStatus, UpdateQuoteInput } from '@techmarket/contracts';
import type { UserPrincipal } from '../../platform/auth';
import type { Tx } from '../../platform/db';
import { invalidField } from '../../platform/errors';
import type { LeadProgress } from '../leads';
import { statusError } from './quote-view';
import type { QuoteChanges, QuoteRow, QuotesRepository } from './quotes.repository';

type DecisionEvent = { type: 'QUOTE_ACCEPTED' | 'QUOTE_REJECTED'; payload: Record<string, unknown> };

export function createQuoteDecision({ repo, progress }: { repo: QuotesRepository; progress: LeadProgress }) {
  /**
   * The customer's answer: the quote's decision and the lead's move, in the caller's transaction. A customer given
   * up on (LOST, DORMANT) who accepts after all has the lead reopened first; another quote still in the customer's
   * hands keeps a rejected lead alive.
   */
  async function decide(
    tx: Tx,
    actor: UserPrincipal,
    current: QuoteRow,
    effective: QuoteStatus,
    decision: { status: 'ACCEPTED' | 'REJECTED'; lostReason?: UpdateQuoteInput['lostReason'] },
    iso: string,
  ) {
    if (effective !== 'DRAFT' && effective !== 'SENT') {
      throw statusError(`a ${effective} quote cannot become ${decision.status}`);
    }
    let lead = await progress.lockLead(tx, actor, current.leadId);
    const changes: QuoteChanges = { status: decision.status, decidedAt: iso };
    const events: DecisionEvent[] = [];
    const cause = { quoteId: current.id };
    if (decision.status === 'ACCEPTED') {
      events.push({ type: 'QUOTE_ACCEPTED', payload: { quoteId: current.id, number: current.number } });
      if (lead.status === 'LOST' || lead.status === 'DORMANT') {
        await progress.advance(
          tx,
          lead,
          { to: 'CONTACTED', cause: { ...cause, reopened: true } },
          actor.userId,
          iso,
        );
        lead = await progress.lockLead(tx, actor, current.leadId);
      }
      const moved = await progress.advance(tx, lead, { to: 'WON', cause }, actor.userId, iso);
      return { changes, events, moved };
    }
    const { lostReason } = decision;
    if (!lostReason) throw invalidField('lostReason', 'say why the customer said no', 'REASON_REQUIRED');
    changes.rejectionReason = lostReason;
    events.push({
      type: 'QUOTE_REJECTED',
      payload: { quoteId: current.id, number: current.number, lostReason },
    });
    const stillOpen = await repo.hasOtherOpenQuote(tx, actor.tenantId, current.leadId, current.id, iso);
    const moved = stillOpen
      ? null
      : await progress.advance(tx, lead, { to: 'LOST', lostReason, cause }, actor.userId, iso);
    return { changes, events, moved };
  }

  return decide;
}
