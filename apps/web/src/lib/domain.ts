/**
 * The wire's lead enums under the names the screens use. They come from the contracts' zod-free module:
 * the package's index would pull zod's classic API into every page that lists a status.
 */
export {
  leadPriorities as leadPriorityList,
  leadSorts as inboxSorts,
  leadSources as leadSourceList,
  leadStatuses as leadStatusList,
  lostReasons as lostReasonList,
} from '@techmarket/contracts/lead-enums';
