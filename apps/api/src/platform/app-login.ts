import { createHmac } from 'node:crypto';
import pg from 'pg';
import { connectionErrorGuard } from './db-errors';

/**
 * The login role the application connects as (migration 0011): a member of crm_app, neither superuser nor
 * owner, so row-level security binds every query and no `SET ROLE` leads out of it.
 */
export const APP_LOGIN_ROLE = 'crm_app_login';

export class AppLoginError extends Error {}

/**
 * The app's connection string when APP_DATABASE_URL is not given: DATABASE_URL's server and database, the login
 * role, and a password derived from the owner's (HMAC-SHA256): every instance started with the same
 * DATABASE_URL computes the same one without storing it, and knowing it reveals nothing of the owner's. An owner
 * URL without a password (trust, peer) gives the role no password rather than a guessable one.
 */
export function appLoginUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  const ownerPassword = decodeURIComponent(url.password);
  url.username = APP_LOGIN_ROLE;
  url.password = ownerPassword ? appLoginPassword(ownerPassword) : '';
  return url.toString();
}

const appLoginPassword = (ownerPassword: string) =>
  createHmac('sha256', ownerPassword).update(`techmarket-crm:${APP_LOGIN_ROLE}`).digest('base64url');

/** PostgreSQL's "password authentication failed" (28P01) and "role cannot log in" style refusals (28000). */
const isLoginRefused = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  (error.code === '28P01' || error.code === '28000');

interface RoleFacts {
  role: string;
  superuser: boolean;
  bypass: boolean;
  owned: number;
}

async function describeLogin(url: string): Promise<RoleFacts> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', connectionErrorGuard);
  await client.connect();
  try {
    const { rows } = await client.query<RoleFacts>(
      `select r.rolname as role, r.rolsuper as superuser, r.rolbypassrls as bypass,
              (select count(*)::int from pg_class c where c.relowner = r.oid and c.relnamespace = 'public'::regnamespace) as owned
         from pg_roles r where r.rolname = session_user`,
    );
    const [facts] = rows;
    if (!facts) throw new AppLoginError('could not read the role of the app connection');
    return facts;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Sets the derived password on the login role, as the owner. Concurrent instances set the same value. */
async function setAppLoginPassword(ownerUrl: string): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  owner.on('error', connectionErrorGuard);
  await owner.connect();
  try {
    const ownerPassword = decodeURIComponent(new URL(ownerUrl).password);
    const password = ownerPassword ? owner.escapeLiteral(appLoginPassword(ownerPassword)) : 'null';
    await owner.query(`alter role ${APP_LOGIN_ROLE} password ${password}`).catch((error: unknown) => {
      // Another instance setting the same password at the same instant.
      if (!String(error).includes('tuple concurrently updated')) throw error;
    });
  } finally {
    await owner.end().catch(() => undefined);
  }
}

/**
 * The connection string the application runs on, checked: APP_DATABASE_URL when given, else the login role
 * with its derived password (set by the owner when the server refuses it). Refuses to go on when that
 * connection is a superuser, may bypass row-level security, or owns tables: RLS would not bind it.
 */
export async function ensureAppLogin(ownerUrl: string, appUrl?: string): Promise<string> {
  const url = appUrl ?? appLoginUrl(ownerUrl);
  let facts: RoleFacts;
  try {
    facts = await describeLogin(url);
  } catch (error) {
    if (appUrl || !isLoginRefused(error)) throw error;
    try {
      await setAppLoginPassword(ownerUrl);
      facts = await describeLogin(url);
    } catch (retryError) {
      throw new AppLoginError(
        `The app could not log in as ${APP_LOGIN_ROLE} (${retryError instanceof Error ? retryError.message : String(retryError)}). ` +
          `Create a login role that is a member of crm_app, with a password of its own, and pass it as APP_DATABASE_URL.`,
        { cause: retryError },
      );
    }
  }
  const why = facts.superuser
    ? 'is a superuser'
    : facts.bypass
      ? 'has BYPASSRLS'
      : facts.owned > 0
        ? `owns ${facts.owned} relations`
        : null;
  if (why) {
    throw new AppLoginError(
      `The app's database role ${facts.role} ${why}: row-level security would not bind it. ` +
        `Point ${appUrl ? 'APP_DATABASE_URL' : 'DATABASE_URL'} at a role that is a member of crm_app and owns nothing.`,
    );
  }
  return url;
}
