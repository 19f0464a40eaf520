import type { Tx } from '../../platform/db';
import type { BranchScope } from './lead-columns';
import { createLeadsRepository } from './leads.repository';

/** How another module (the assistant) reads a lead, in its own transaction, without reaching into the repository. */
export function createLeadLookup() {
  const repo = createLeadsRepository();

  return {
    /** The lead with its contact when it is within the scope (null: the whole tenant), else null. */
    find: (tx: Tx, tenantId: string, leadId: string, scope: BranchScope) =>
      repo.findLead(tx, tenantId, leadId, scope),
  };
}

export type LeadLookup = ReturnType<typeof createLeadLookup>;
