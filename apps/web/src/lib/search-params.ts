import * as z from 'zod/mini';
import { inboxScopes, inboxSorts, inboxStatusList, leadPriorityList, leadSourceList } from './domain';

/**
 * The routes' search params, as zod schemas that TanStack Router's `validateSearch` takes as they are (zod 4
 * implements Standard Schema). Every field falls back to "absent" (`catch`), so a bad value in a shared or
 * old link is dropped instead of showing an error page. zod/mini, not zod: the router is on the first-load
 * path, and the functional API lets the bundler keep only the checks used here.
 */
const dropped = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);

/** The router reads `?q=123` as the number 123: a search text may arrive as either. */
const searchText = z.pipe(
  z.union([z.string(), z.pipe(z.number(), z.transform(String))]),
  z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
);

export const inboxSearch = z.object({
  status: dropped(z.enum(inboxStatusList)),
  scope: dropped(z.enum(inboxScopes)),
  branchId: dropped(z.uuid()),
  assignedTo: dropped(z.uuid()),
  priority: dropped(z.enum(leadPriorityList)),
  source: dropped(z.enum(leadSourceList)),
  q: dropped(searchText),
  sort: dropped(z.enum(inboxSorts)),
});
export type InboxSearch = z.infer<typeof inboxSearch>;

export const boardSearch = z.object({ branchId: dropped(z.uuid()) });

export const settingsTabs = [
  'branches',
  'team',
  'listings',
  'links',
  'apiKeys',
  'followups',
  'commerce',
  'whatsapp',
  'quickReplies',
] as const;
export type SettingsTab = (typeof settingsTabs)[number];
export const settingsSearch = z.object({ tab: dropped(z.enum(settingsTabs)) });

/** Where to go after logging in: a path of this app only (`//host` would leave it). */
export const loginSearch = z.object({ redirect: dropped(z.string().check(z.regex(/^\/(?!\/)/))) });

/** The pages a reset or invitation link opens: the token is in the query string. */
export const tokenSearch = z.object({ token: dropped(z.string()) });
