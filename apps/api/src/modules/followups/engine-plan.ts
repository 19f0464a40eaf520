import type { FollowupPolicy, FollowupRule } from '@techmarket/contracts';
import type { BusinessCalendar } from '../../platform/business-time';
import type { BookmarkUpdate, EngineRepository } from './engine.repository';
import {
  afterMinutes,
  ENGINE_STATUSES,
  evaluateLead,
  followUpMessage,
  ruleKey,
  TASK_WINDOW_MINUTES,
  taskTitle,
} from './rules';
import type { RuleTaskRow } from './tasks.service';

/**
 * What an engine batch's leads call for, worked out before anything is written (no I/O here): which leads moved
 * on, which go DORMANT, the rule tasks to insert (and which of them go out as a WhatsApp template), and each
 * lead's new bookmark. engine.service.ts reads what this needs and writes what it plans.
 */

export type Candidate = Awaited<ReturnType<EngineRepository['candidates']>>[number];
export type Managers = Awaited<ReturnType<EngineRepository['managers']>>;
export type Branches = Map<string, { calendar: BusinessCalendar; country: string | null }>;

export interface Evaluation {
  lead: Candidate;
  country: string | null;
  calendar: BusinessCalendar;
  result: ReturnType<typeof evaluateLead>;
}

/** What a batch reads once and every lead's rules consult. */
export interface RuleInputs {
  tenantId: string;
  at: Date;
  atIso: string;
  policy: FollowupPolicy;
  onChannel: (branchId: string) => boolean;
  /** The customer's last message of a QUOTED lead: WhatsApp's at a channel branch, else MESSAGE_RECEIVED. */
  lastInbound: Map<string, string>;
  lastMessages: Map<string, string>;
  managers: Managers;
}

export interface BatchPlan {
  bookmarks: BookmarkUpdate[];
  /** Leads that left the stage the engine last saw them in: their tasks of that stage close. */
  moved: string[];
  dormant: { lead: Candidate; at: Date }[];
  ruleTasks: (RuleTaskRow & { rule: FollowupRule; ruleKey: string })[];
  dueEvents: Map<string, { rule: FollowupRule; at: Date }>;
  templateSends: Map<string, { leadId: string; contactName: string | null }>;
}

/** Each candidate with its branch's calendar and what its rules say at `at`. */
export function evaluate(candidates: Candidate[], policy: FollowupPolicy, branches: Branches, at: Date) {
  return candidates.map((lead): Evaluation => {
    const branch = branches.get(lead.branchId);
    const calendar = branch?.calendar ?? { hours: {}, timeZone: 'UTC' };
    return {
      lead,
      country: branch?.country ?? null,
      calendar,
      result: evaluateLead(lead, policy, calendar, at),
    };
  });
}

/** The leads whose QUOTED follow-up is due: only those need the customer's last reply read. */
export const quotedDue = (evaluations: Evaluation[]) =>
  evaluations.filter((e) => e.result.due.some((d) => d.rule === 'QUOTED_FOLLOW_UP')).map((e) => e.lead.id);

/** Whether some task due goes to a manager (an unassigned lead, an escalation). */
export const needsManager = (evaluations: Evaluation[]) =>
  evaluations.some(
    (e) =>
      e.result.due.length > 0 &&
      (!e.lead.assignedToUserId || e.result.due.some((d) => d.rule === 'ESCALATION')),
  );

/** Whoever a rule's task goes to when the lead has no seller, or when it escalates: a manager of the branch. */
function managerFor(managers: Managers, branchId: string): string | null {
  const ofBranch = managers.find((m) => m.role === 'MANAGER' && m.branchIds.includes(branchId));
  const anyManager = managers.find((m) => m.role === 'MANAGER');
  const owner = managers.find((m) => m.role === 'OWNER');
  return (ofBranch ?? anyManager ?? owner)?.id ?? null;
}

/** Each lead in turn: closed ones only noted, idle ones to DORMANT, the others' due rules planned as tasks. */
export function planBatch(inputs: RuleInputs, evaluations: Evaluation[]): BatchPlan {
  const plan: BatchPlan = {
    bookmarks: [],
    moved: [],
    dormant: [],
    ruleTasks: [],
    dueEvents: new Map(),
    templateSends: new Map(),
  };
  for (const evaluation of evaluations) {
    const { lead, result } = evaluation;
    if (lead.followupStageAt !== null && lead.followupStageAt !== lead.statusChangedAt)
      plan.moved.push(lead.id);
    if (!ENGINE_STATUSES.includes(lead.status)) {
      // A closed lead the engine saw open: its tasks close (with the moved ones); nothing else applies.
      plan.bookmarks.push({ id: lead.id, stageAt: lead.statusChangedAt, dueAt: null });
      continue;
    }
    const dormant = result.due.find((d) => d.rule === 'DORMANT');
    if (dormant) {
      // No bookmark: its stage changes (or someone changed it meanwhile), so a later pass sees it again.
      plan.dormant.push({ lead, at: dormant.at });
      continue;
    }
    planRuleTasks(inputs, evaluation, plan);
    plan.bookmarks.push({
      id: lead.id,
      stageAt: lead.statusChangedAt,
      dueAt: result.nextAt?.toISOString() ?? null,
    });
  }
  return plan;
}

/** The tasks a lead's due rules call for (DORMANT aside), added to the plan. */
function planRuleTasks(inputs: RuleInputs, { lead, country, calendar, result }: Evaluation, plan: BatchPlan) {
  const { tenantId, at, atIso, policy } = inputs;
  for (const due of result.due) {
    if (due.rule === 'DORMANT') continue;
    if (due.rule === 'QUOTED_FOLLOW_UP') {
      const replied = inputs.onChannel(lead.branchId)
        ? inputs.lastInbound.get(lead.id)
        : inputs.lastMessages.get(lead.id);
      if (replied && replied > lead.statusChangedAt) continue;
    }
    const escalates = due.rule === 'ESCALATION';
    const assignee =
      escalates || !lead.assignedToUserId
        ? managerFor(inputs.managers, lead.branchId)
        : lead.assignedToUserId;
    const waited =
      due.rule === 'NEW_LEAD_ALERT'
        ? policy.newLeadAlertMinutes
        : policy.newLeadAlertMinutes + (policy.reassignAfterMinutes ?? 0);
    const key = ruleKey(due.rule, lead.id, lead.statusChangedAt);
    plan.dueEvents.set(key, due);
    // With a channel and a template, the follow-up goes out by itself (not to a customer who opted out:
    // their seller decides); the task is kept for the rule key and closed as done once the message is queued.
    if (
      due.rule === 'QUOTED_FOLLOW_UP' &&
      policy.quotedFollowUpTemplate &&
      inputs.onChannel(lead.branchId) &&
      !lead.contactOptedOut &&
      (lead.contactPhone || inputs.lastInbound.has(lead.id))
    ) {
      plan.templateSends.set(key, { leadId: lead.id, contactName: lead.contactName });
    }
    plan.ruleTasks.push({
      rule: due.rule,
      tenantId,
      leadId: lead.id,
      branchId: lead.branchId,
      assigneeUserId: assignee,
      kind: due.rule === 'QUOTED_FOLLOW_UP' ? 'FOLLOW_UP' : due.rule,
      title: taskTitle(due.rule, waited, country),
      suggestedMessage: due.rule === 'QUOTED_FOLLOW_UP' ? followUpMessage(lead.contactName, country) : null,
      // The window runs from now: normally within a minute of the rule falling due, and when the engine
      // catches up late (its first pass over old leads, or after an outage) the seller still gets all of it.
      dueAt: afterMinutes(policy, calendar, at, TASK_WINDOW_MINUTES).toISOString(),
      ruleKey: key,
      stageAt: lead.statusChangedAt,
      // Announced as it is created: an engine task is the alert itself.
      remindedAt: atIso,
      createdAt: atIso,
      updatedAt: atIso,
    });
  }
}
