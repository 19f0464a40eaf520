import * as v from 'valibot';
import { inboxScopes, inboxSorts, inboxStatusList, leadPriorityList, leadSourceList } from './domain';

/**
 * The routes' search params, as valibot schemas that TanStack Router's `validateSearch` takes as they are (valibot
 * implements Standard Schema). Every field falls back to "absent" (`fallback`), so a bad value in a shared or old
 * link is dropped instead of showing an error page. valibot, not zod like the forms: the router is on every first
 * visit's path, and valibot's functions bring only what these schemas use (zod/mini was 16 KB gzip of it).
 */
const dropped = <T extends v.GenericSchema>(schema: T) => v.fallback(v.optional(schema), undefined);

const uuid = v.pipe(v.string(), v.uuid());

/** The router reads `?q=123` as the number 123: a search text may arrive as either. */
const searchText = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.transform(String))]),
  v.trim(),
  v.minLength(1),
  v.maxLength(100),
);

export const inboxSearch = v.object({
  status: dropped(v.picklist(inboxStatusList)),
  scope: dropped(v.picklist(inboxScopes)),
  branchId: dropped(uuid),
  assignedTo: dropped(uuid),
  priority: dropped(v.picklist(leadPriorityList)),
  source: dropped(v.picklist(leadSourceList)),
  q: dropped(searchText),
  sort: dropped(v.picklist(inboxSorts)),
});
export type InboxSearch = v.InferOutput<typeof inboxSearch>;

export const boardSearch = v.object({ branchId: dropped(uuid) });

export const settingsTabs = [
  'branches',
  'team',
  'listings',
  'links',
  'apiKeys',
  'followups',
  'commerce',
  'shopFacts',
  'whatsapp',
  'quickReplies',
] as const;
export type SettingsTab = (typeof settingsTabs)[number];
export const settingsSearch = v.object({ tab: dropped(v.picklist(settingsTabs)) });

/** Where to go after logging in: a path of this app only (`//host` would leave it). */
export const loginSearch = v.object({ redirect: dropped(v.pipe(v.string(), v.regex(/^\/(?!\/)/))) });

/** The pages a reset or invitation link opens: the token is in the query string. */
export const tokenSearch = v.object({ token: dropped(v.string()) });
