/**
 * The wire's lead enums under the names the screens use. They come from the contracts' zod-free module:
 * the package's index would pull zod's classic API into every page that lists a status.
 */
import { leadStatuses } from '@techmarket/contracts/lead-enums';

export {
  leadPriorities as leadPriorityList,
  leadSorts as inboxSorts,
  leadSources as leadSourceList,
  leadStatuses as leadStatusList,
  lostReasons as lostReasonList,
  /** The stages still being worked: the inbox's `status=OPEN`. */
  openLeadStatuses as openLeadStatusList,
} from '@techmarket/contracts/lead-enums';

/** The inbox's stage filter in its URL: a status, OPEN (the default) or ALL. */
export const inboxStatusList = [...leadStatuses, 'OPEN', 'ALL'] as const;
/** Whose leads the inbox shows: mine (a seller's default) or the team's (an owner's or manager's). */
export const inboxScopes = ['mine', 'team'] as const;

/** Whether a value the wire sends untyped (an event's payload, a drop target's id) is one of `values`. */
export const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  (values as readonly unknown[]).includes(value);
