import { z } from 'zod';
import { id, textField } from './common';
import { timezone } from './identity';

/** `GET /push/public-key`: the VAPID key (RFC 8292) a browser subscribes with, base64url. */
export const pushPublicKeyResponse = z.object({ publicKey: z.string() }).meta({ id: 'PushPublicKey' });

/** The languages a push is written in: the web app's own. */
export const pushLanguages = ['es-419', 'pt-BR', 'en'] as const;
export type PushLanguage = (typeof pushLanguages)[number];

// base64url (padding tolerated): a P-256 public point is 65 bytes (87 characters), the auth secret 16 (22).
const base64urlOf = (chars: number) =>
  textField().regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}={0,2}$`), `expected ${chars} base64url characters`);

/**
 * `POST /me/push-subscriptions`: the browser's `PushSubscription.toJSON()`, and optionally the language the app
 * is shown in (pushes are written in it; Spanish otherwise).
 */
export const pushSubscriptionBody = z.object({
  endpoint: textField()
    .max(2048)
    .refine(
      (value) => URL.canParse(value) && new URL(value).protocol === 'https:',
      'expected the https address of a push service',
    )
    .describe("the push service's address for this browser"),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64urlOf(87), auth: base64urlOf(22) }),
  language: z.enum(pushLanguages).optional(),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionBody>;

export const pushUnsubscribeBody = z.object({ endpoint: textField().min(1).max(2048) });

export const pushSubscriptionSchema = z
  .object({ id, endpoint: z.string(), language: z.enum(pushLanguages), createdAt: z.string() })
  .meta({ id: 'PushSubscription' });

/** The alerts a user may be pushed; each can be turned off. */
export const pushAlerts = [
  'leadAssigned',
  'customerReplied',
  'taskDue',
  'escalation',
  'quoteDecided',
] as const;
export type PushAlert = (typeof pushAlerts)[number];

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');

/**
 * `GET`/`PUT /me/push-preferences`: which alerts this user is pushed, and the quiet hours when none is (from
 * `from` until `to`, across midnight when `to` is earlier), in `timeZone`, or the lead's branch's when null.
 */
export const pushPreferencesSchema = z
  .object({
    alerts: z.object(
      Object.fromEntries(pushAlerts.map((alert) => [alert, z.boolean()])) as Record<PushAlert, z.ZodBoolean>,
    ),
    quietHours: z
      .object({ from: clockTime, to: clockTime })
      .refine((q) => q.from !== q.to, { message: 'from and to must differ', path: ['to'] })
      .nullable(),
    timeZone: timezone.nullable(),
  })
  .meta({ id: 'PushPreferences' });
export type PushPreferences = z.infer<typeof pushPreferencesSchema>;

/** What the service worker receives in a push (decrypted): enough to show it and to open the lead on a tap. */
export const pushMessageSchema = z.object({
  alert: z.enum(pushAlerts),
  title: z.string(),
  body: z.string(),
  leadId: id,
  /** The page a tap opens: the lead's. */
  url: z.string(),
  /** One notification per lead: a newer alert about the same lead replaces the older one. */
  tag: z.string(),
});
export type PushMessage = z.infer<typeof pushMessageSchema>;
