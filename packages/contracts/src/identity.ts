import { z } from 'zod';
import { currency, id, isoInstant, problemSchema, textField } from './common';

export const userRoles = ['OWNER', 'MANAGER', 'SELLER'] as const;
export const userRole = z.enum(userRoles);
export type UserRole = z.infer<typeof userRole>;

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');
const interval = z
  .object({ open: clock, close: clock })
  .refine((i) => i.open < i.close, { message: 'open must be before close', path: ['close'] });
/** Opening intervals per weekday, in the branch's time zone; a missing or empty day is closed. */
export const businessHours = z
  .partialRecord(z.enum(weekdays), z.array(interval).max(4))
  .meta({ id: 'BusinessHours' });
export type BusinessHours = z.infer<typeof businessHours>;

export const timezone = textField().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as America/Lima' },
);

export const tenantSchema = z
  .object({ id, name: z.string(), slug: z.string(), defaultCurrency: z.string(), timezone: z.string() })
  .meta({ id: 'Tenant' });

export const branchSchema = z
  .object({
    id,
    tenantId: id,
    name: z.string(),
    whatsappPhone: z.string().nullable(),
    countryCode: z.string().nullable(),
    zone: z.string().nullable(),
    timezone: z.string(),
    businessHours,
    active: z.boolean(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'Branch' });
export type Branch = z.infer<typeof branchSchema>;

export const createBranchBody = z.object({
  name: textField().trim().min(1).max(120),
  whatsappPhone: textField().trim().min(5).max(32),
  timezone,
  zone: textField().trim().min(1).max(120).optional(),
  businessHours: businessHours.optional(),
});
export const updateBranchBody = createBranchBody.partial().extend({
  active: z.boolean().optional(),
  version: z.number().int().min(1).optional(),
});

export const userSchema = z
  .object({
    id,
    tenantId: id,
    email: z.string(),
    name: z.string(),
    role: userRole,
    branchIds: z.array(id),
    active: z.boolean(),
    available: z.boolean(),
    invitationPending: z.boolean(),
    lastLoginAt: isoInstant.nullable(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    version: z.number().int(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
const password = textField().min(10, 'at least 10 characters').max(200);

export const createUserBody = z.object({
  name: textField().trim().min(1).max(120),
  email,
  role: userRole,
  branchIds: z.array(id).max(50).default([]),
  password: password.optional(),
});
export const createdUserSchema = z.object({ user: userSchema, invitationUrl: z.string().nullable() });
export const updateUserBody = z.object({
  name: textField().trim().min(1).max(120).optional(),
  role: userRole.optional(),
  branchIds: z.array(id).max(50).optional(),
  active: z.boolean().optional(),
  available: z.boolean().optional(),
  /** Required: an edit made on a stale copy is refused (409) instead of overwriting someone else's. */
  version: z.number().int().min(1),
});

export const signupBody = z.object({
  tenantName: textField().trim().min(2).max(120),
  name: textField().trim().min(1).max(120),
  email,
  password,
  timezone: timezone.optional(),
  currency: currency.optional(),
  branch: createBranchBody.partial().optional(),
});
/** `tenantId` picks the shop when one e-mail and password open accounts in several (see `loginProblem`). */
export const loginBody = z.object({ email, password: textField().min(1).max(200), tenantId: id.optional() });
/**
 * A login's problem answers: 409 TENANT_CHOICE lists the shops the password opens (log in again naming one);
 * 429 ACCOUNT_LOCKED carries `retryAfter`, the seconds until the lock ends.
 */
export const loginProblem = problemSchema
  .extend({
    tenants: z.array(z.object({ id, name: z.string() })).optional(),
    retryAfter: z.number().int().optional(),
  })
  .meta({ id: 'LoginProblem' });
export type LoginProblem = z.infer<typeof loginProblem>;
export const acceptInvitationBody = z.object({ token: textField().min(20).max(200), password });

export const changePasswordBody = z.object({
  currentPassword: textField().min(1).max(200),
  newPassword: password,
});
export const resetPasswordBody = z.object({ token: textField().min(20).max(200), password });
export const passwordResetLinkSchema = z
  .object({ resetUrl: z.string(), expiresAt: isoInstant })
  .meta({ id: 'PasswordResetLink' });

export const sessionSchema = z
  .object({ token: z.string(), csrfToken: z.string(), user: userSchema })
  .meta({ id: 'Session' });
export const signupResponse = sessionSchema.extend({ tenant: tenantSchema, branch: branchSchema });
export const meResponse = z.object({
  user: userSchema,
  tenant: tenantSchema,
  csrfToken: z.string().nullable(),
});
/**
 * `GET /session`: whether the caller is signed in, and as whom. 200 either way, so that a logged-out visit (the
 * first one of every browser) is an answer, not an error; `GET /me` keeps its 401.
 */
export const sessionStateResponse = z
  .discriminatedUnion('authenticated', [
    z.object({ authenticated: z.literal(false) }),
    meResponse.extend({ authenticated: z.literal(true) }),
  ])
  .meta({ id: 'SessionState' });

/**
 * What a tenant API key may do: the calls the marketplace's servers make today. A key without the scope a
 * call needs is answered 403; calls not listed (writes of the CRM's own screens) need a signed-in user.
 */
export const apiKeyScopes = [
  /** POST /tracking/whatsapp-click and /tracking/listing-view with the raised limits. */
  'tracking:write',
  /** Leads, their events, tasks, tickets and quotes (and their PDFs), the live stream. */
  'leads:read',
  /** KPIs and the response-time reputation figure. */
  'analytics:read',
  /** The shop's branches, listings, tracked links and settings. */
  'shop:read',
  /** Campaigns, their metrics, sends, assets and segment previews. */
  'campaigns:read',
  /** A customer's marketing consent: read it, record consent, opt out. */
  'consent:write',
  /** The shop's listings, created or updated by SKU (the marketplace keeps the catalog in sync). */
  'catalog:write',
] as const;
export const apiKeyScope = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof apiKeyScope>;

export const apiKeySchema = z
  .object({
    id,
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(apiKeyScope),
    expiresAt: isoInstant.nullable(),
    lastUsedAt: isoInstant.nullable(),
    revokedAt: isoInstant.nullable(),
    createdAt: isoInstant,
  })
  .meta({ id: 'ApiKey' });
export const createApiKeyBody = z.object({
  name: textField().trim().min(1).max(80),
  /** Without it the key gets every scope, as keys did before scopes existed. */
  scopes: z
    .array(apiKeyScope)
    .min(1)
    .max(apiKeyScopes.length)
    .refine((list) => new Set(list).size === list.length, 'each scope once')
    .optional(),
  /** Must be in the future; without it the key never expires. */
  expiresAt: isoInstant.optional(),
});
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });
