import { pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/**
 * The global look-ups (migration 0031): what a request brings before its shop is known (a session cookie's or API
 * key's hash, an invitation or password-reset link's, a tracking link's code, a webhook's phone number id) →
 * the shop and row it names. One small table each, keyed by the value, so the tenant tables keep no key without
 * tenant_id (README, "Distributing tenants on Citus": these are reference tables there). A trigger on the tenant
 * table writes them with the row, in its transaction; their primary keys carry the names the unique indexes had,
 * so a clash is the same unique violation. The app role has no grant on them: the SECURITY DEFINER look-up
 * functions read them.
 */
const lookupTable = <N extends string>(name: N, keyName: string) =>
  pgTable(
    name,
    {
      key: text('key').notNull(),
      tenantId: uuid('tenant_id').notNull(),
      id: uuid('id').notNull(),
    },
    (t) => [primaryKey({ name: keyName, columns: [t.key] })],
  );

/** session.token_hash → session. */
export const sessionLookup = lookupTable('session_lookup', 'session_token_hash_key');
/** api_key.key_hash → API key. */
export const apiKeyLookup = lookupTable('api_key_lookup', 'api_key_hash_key');
/** app_user.invite_token_hash → invited user. */
export const invitationLookup = lookupTable('invitation_lookup', 'app_user_invite_token_key');
/** password_reset.token_hash → reset. */
export const passwordResetLookup = lookupTable('password_reset_lookup', 'password_reset_token_hash_key');
/** tracked_link.code → link (/w/{code}). */
export const trackedLinkLookup = lookupTable('tracked_link_lookup', 'tracked_link_code_key');
/** whatsapp_channel.phone_number_id → channel (webhook routing). */
export const whatsappChannelLookup = lookupTable(
  'whatsapp_channel_lookup',
  'whatsapp_channel_phone_number_key',
);
