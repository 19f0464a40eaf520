import {
  leadPriorities,
  leadSources,
  leadStatuses,
  leadTypes,
  lostReasons,
  userRoles,
} from '@techmarket/contracts';
import { pgEnum } from 'drizzle-orm/pg-core';

export const userRoleEnum = pgEnum('user_role', userRoles);
export const leadStatusEnum = pgEnum('lead_status', leadStatuses);
export const leadSourceEnum = pgEnum('lead_source', leadSources);
// Declared HIGH first: PostgreSQL sorts an enum in declaration order, so `ORDER BY priority` puts HIGH first.
export const leadPriorityEnum = pgEnum('lead_priority', leadPriorities);
export const leadTypeEnum = pgEnum('lead_type', leadTypes);
export const lostReasonEnum = pgEnum('lost_reason', lostReasons);
