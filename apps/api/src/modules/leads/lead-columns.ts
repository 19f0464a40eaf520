import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { contact, lead } from '../../db/schema';

/**
 * What the module's repositories share: the lead as the wire shows it, the join to its contact and the branch
 * scope a caller may see. No queries here.
 */

/** The lead's own columns, in the wire's camelCase. */
export const leadColumns = {
  id: lead.id,
  tenantId: lead.tenantId,
  branchId: lead.branchId,
  customerUserId: lead.customerUserId,
  status: lead.status,
  source: lead.source,
  campaignId: lead.campaignId,
  listingId: lead.listingId,
  priority: lead.priority,
  leadType: lead.leadType,
  assignedToUserId: lead.assignedToUserId,
  lostReason: lead.lostReason,
  value: lead.value,
  currency: lead.valueCurrency,
  valueSource: lead.valueSource,
  firstResponseAt: lead.firstResponseAt,
  statusChangedAt: lead.statusChangedAt,
  lastActivityAt: lead.lastActivityAt,
  createdAt: lead.createdAt,
  updatedAt: lead.updatedAt,
  version: lead.version,
};

/** A lead as the wire shows it: its columns plus the contact, read in the same query. */
export const leadWithContact = {
  ...leadColumns,
  contact: { id: contact.id, name: contact.name, phone: contact.phone },
};

/** The lead's contact, in the lead's tenant. */
export const joinContact = and(eq(contact.tenantId, lead.tenantId), eq(contact.id, lead.contactId));

/** Which leads a caller may see: null is the whole tenant, otherwise only these branches. */
export type BranchScope = readonly string[] | null;

/** The narrowest branch condition: one branch is an equality the branch index can seek on. */
export function inBranches(branchIds: BranchScope): SQL | undefined {
  if (branchIds === null) return undefined;
  const [only] = branchIds;
  return branchIds.length === 1 && only !== undefined
    ? eq(lead.branchId, only)
    : inArray(lead.branchId, [...branchIds]);
}
