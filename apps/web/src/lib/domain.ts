import type { LeadPriority, LeadSource, LeadStatus, LostReason } from '@techmarket/contracts';

/**
 * The wire's enums as plain arrays, for screens on the first-load path: importing them from
 * @techmarket/contracts would pull zod (about 32 KB gzip) into every page. The types still come
 * from the contracts, and `exhaustive` fails to compile if the contracts gain or lose a value.
 */
type Exhaustive<T extends string, A extends readonly T[]> = [T] extends [A[number]] ? A : never;
const exhaustive =
  <T extends string>() =>
  <const A extends readonly T[]>(values: Exhaustive<T, A>) =>
    values;

export const leadStatusList = exhaustive<LeadStatus>()([
  'NEW',
  'CONTACTED',
  'QUALIFIED',
  'QUOTED',
  'WON',
  'LOST',
  'DORMANT',
]);
export const leadPriorityList = exhaustive<LeadPriority>()(['HIGH', 'MEDIUM', 'LOW']);
export const leadSourceList = exhaustive<LeadSource>()([
  'MAP',
  'LISTING',
  'FEED',
  'WHATSAPP',
  'CAMPAIGN',
  'MANUAL',
]);
export const lostReasonList = exhaustive<LostReason>()([
  'PRICE',
  'STOCK',
  'NO_RESPONSE',
  'COMPETITOR',
  'OTHER',
]);
export const inboxSorts = ['priority', '-createdAt', '-lastActivityAt'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Search-param readers: a bad value in a shared link is dropped, never an error page. */
export const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): T | undefined =>
    values.includes(value as T) ? (value as T) : undefined;
export const uuidParam = (value: unknown): string | undefined =>
  typeof value === 'string' && UUID.test(value) ? value : undefined;
export const textParam = (value: unknown): string | undefined => {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return text.length > 0 && text.length <= 100 ? text : undefined;
};

/** Whether a value the wire sends untyped (an event's payload, a drop target's id) is one of `values`. */
export const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  (values as readonly unknown[]).includes(value);
