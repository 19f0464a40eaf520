import type { createLeadBody, Lead } from '@techmarket/contracts';
import type { z } from 'zod';
import type { UserPrincipal } from '../../platform/auth';
import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import { forbidden, invalidField } from '../../platform/errors';
import type { ContactsService } from '../contacts';
import type { IdentityService } from '../identity';
import { assignNewLead } from './assignment';
import { createLeadsRepository, type NewLeadEvent } from './leads.repository';

/**
 * A lead entered by hand: a walk-in, a phone call, an Instagram message (`POST /tenants/{tenantId}/leads`).
 * - A seller adds leads to their own branches only, and a lead a seller enters is theirs: they are the one
 *   serving that customer, at the counter or on the phone.
 * - Entered by a manager or owner, the lead goes to the branch's strategy (round-robin or fewest open, on shift
 *   first; assignment.ts), the same turn a tracked click's lead takes, and the same ASSIGNED event says so.
 * - The phone is stored in E.164, read in the branch's country when it has no country code; one contact per phone.
 * - `channel` (how the customer reached the shop) only for source MANUAL; it is recorded on the CREATED event.
 * It does not go through capture_lead as clicks and messages do: a lead entered by hand is always a new one (a person
 * decided so; it never joins the customer's open lead), a seller's is their own rather than the branch's turn, it
 * carries no reference code (nobody will quote one), and its events are the person's (actor, channel). What it shares
 * with them, the branch's turn, it takes from the same function, assign_next_seller (assignment.ts).
 */

export type CreateLeadInput = z.output<typeof createLeadBody>;

export interface ManualEntryDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  contacts: Pick<ContactsService, 'findOrCreateByPhone'>;
  identity: Pick<IdentityService, 'findBranch'>;
}

/** Where the customer's phone is read when it has no country code and the branch has no country. */
const FALLBACK_COUNTRY = 'PE';

/** Where the customer said what they said: told in person unless they called or wrote on Instagram. */
const messageChannel = (channel: CreateLeadInput['channel']) =>
  channel === 'PHONE_CALL' || channel === 'INSTAGRAM' ? channel : 'IN_PERSON';

export function createManualEntry({ database, clock, contacts, identity }: ManualEntryDeps) {
  const repo = createLeadsRepository();
  const now = () => clock.now().toISOString();

  async function enterLead(actor: UserPrincipal, input: CreateLeadInput): Promise<Lead> {
    const { tenantId } = actor;
    if (actor.role === 'SELLER' && !actor.branchIds.includes(input.branchId)) {
      throw forbidden('A seller can add leads to their own branches only');
    }
    if (input.channel && input.source !== 'MANUAL') {
      throw invalidField(
        'channel',
        'only a lead entered by hand (source MANUAL) has a channel',
        'CHANNEL_NOT_MANUAL',
      );
    }
    return database.withTenant(tenantId, async (tx) => {
      const branch = await identity.findBranch(tx, tenantId, input.branchId);
      if (!branch?.active)
        throw invalidField('branchId', 'no active branch of this shop has this id', 'NOT_FOUND_IN_SHOP');
      if (input.listingId && !(await repo.listingExists(tx, tenantId, input.listingId))) {
        throw invalidField('listingId', 'no listing of this shop has this id', 'NOT_FOUND_IN_SHOP');
      }
      const customer = await contacts.findOrCreateByPhone(tx, tenantId, {
        name: input.contact.name,
        phone: input.contact.phone,
        defaultCountry: branch.countryCode ?? FALLBACK_COUNTRY,
      });
      const at = now();
      // A seller who enters a lead is the one serving that customer (at the counter, on the phone): it is theirs.
      // Anyone else's goes to the branch's strategy, the same turn a tracked click takes (assignment.ts).
      const assignment =
        actor.role === 'SELLER' ? null : await assignNewLead(tx, tenantId, input.branchId, new Date(at));
      const assignedToUserId = assignment ? assignment.userId : actor.userId;
      const created = await repo.insertLead(tx, {
        tenantId,
        branchId: input.branchId,
        contactId: customer.id,
        source: input.source,
        listingId: input.listingId ?? null,
        ...(input.priority ? { priority: input.priority } : {}),
        assignedToUserId,
        statusChangedAt: at,
        lastActivityAt: at,
        createdAt: at,
        updatedAt: at,
      });
      const event = (type: NewLeadEvent['type'], payload: Record<string, unknown>): NewLeadEvent => ({
        tenantId,
        leadId: created.id,
        type,
        payload,
        actorUserId: actor.userId,
        createdAt: at,
      });
      // With no seller at the branch the lead waits unassigned, and the manager who entered it needs no flag.
      const assigned = !assignment
        ? { fromUserId: null, toUserId: actor.userId }
        : assignment.userId
          ? assignment.assigned
          : null;
      await repo.insertEvents(tx, [
        event('CREATED', {
          source: input.source,
          listingId: input.listingId ?? null,
          contactId: customer.id,
          ...(input.channel ? { channel: input.channel } : {}),
        }),
        ...(input.message
          ? [event('MESSAGE_RECEIVED', { channel: messageChannel(input.channel), text: input.message })]
          : []),
        ...(assigned ? [event('ASSIGNED', assigned)] : []),
      ]);
      return { ...created, contact: customer };
    });
  }

  return { enterLead };
}
