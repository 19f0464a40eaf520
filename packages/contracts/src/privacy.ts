import { z } from 'zod';
import { id, isoInstant } from './common';

/**
 * Customers' rights (LGPD, Ley 29733, LFPDPPP, Ley 1581, Ley 25.326): a customer's data handed over, erased on
 * request, and the shop's retention period after which closed leads' customers are anonymised.
 */

/** `GET /contacts/{id}/data-export?format=json|html`: everything the shop holds on one customer. */
export const contactDataFormats = ['json', 'html'] as const;
export const contactDataQuery = z.object({ format: z.enum(contactDataFormats).default('json') });

/** `POST /contacts/{id}/erase`: the owner confirms in the body, so no stray call erases anyone. */
export const eraseContactBody = z.object({ confirm: z.literal(true) });

export const erasureSchema = z
  .object({
    contactId: id,
    erasedAt: isoInstant,
    erasedByUserId: id.nullable(),
    /** Kept, anonymised: leads with their stages and times, so the shop's figures stay. */
    leads: z.number().int(),
    messages: z.number().int(),
    notes: z.number().int(),
    events: z.number().int(),
  })
  .meta({ id: 'Erasure' });
export type Erasure = z.infer<typeof erasureSchema>;

/** `GET`/`PUT /tenants/{tenantId}/privacy-settings` (OWNER). */
export const privacySettingsSchema = z
  .object({
    /** Months after a lead closed (WON, LOST) before its customer is anonymised; null keeps them. */
    retentionMonths: z.number().int().min(1).max(240).nullable(),
  })
  .meta({ id: 'PrivacySettings' });
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

export const privacyAuditSchema = z.object({
  id,
  contactId: id,
  action: z.enum(['EXPORT', 'ERASE', 'RETENTION_ERASE']),
  actorUserId: id.nullable(),
  createdAt: isoInstant,
});
export type PrivacyAudit = z.infer<typeof privacyAuditSchema>;
