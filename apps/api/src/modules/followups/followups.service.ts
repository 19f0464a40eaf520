import type {
  createTaskBody,
  FollowupPolicy,
  FollowupRule,
  FollowupRun,
  Lead,
  patchFollowupPolicyBody,
  putFollowupPolicyBody,
  Task,
  TaskListQuery,
  updateTaskBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { branchScope, narrowScope, type Principal, type UserPrincipal } from '../../platform/auth';
import { type BusinessCalendar, businessMsBetween, startOfLocalDay } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import { AppError, badField, forbidden, invalidField, notFound } from '../../platform/errors';
import type { RealtimeBus } from '../../platform/realtime';
import type { IdentityService } from '../identity/identity.service';
import type { LeadAutomation } from '../leads/lead-automation';
import type { LeadFeed } from '../leads/lead-feed';
import { type AutomaticSends, fillTemplate } from '../whatsapp/automatic-sends';
import { type BookmarkUpdate, createFollowupsRepository, type TaskRow } from './followups.repository';
import {
  afterMinutes,
  ENGINE_STATUSES,
  evaluateLead,
  type FollowupPolicyRules,
  followUpMessage,
  ruleKey,
  TASK_WINDOW_MINUTES,
  taskTitle,
} from './rules';
import { decodeTaskCursor, encodeTaskCursor } from './task-cursor';

/**
 * Follow-ups: the shop's policy, the engine that applies it, and tasks. The rules themselves are in rules.ts;
 * this is how they run:
 * - A pass over a shop reads only leads the engine has not seen in their current stage, and leads whose next
 *   rule is due (two partial indexes). It evaluates them, writes what fell due, and leaves on each lead a
 *   bookmark: the stage it saw and when to look again. Leads nobody touches and nothing is due for cost nothing.
 * - Each engine task carries a rule key (rule, lead, stage entry) unique in the shop: it is created once however
 *   many passes or workers run, and its FOLLOWUP_DUE event is written only by the pass whose insert won.
 *   Passes over one shop also queue behind an advisory lock, so a second one finds the work done.
 * - DORMANT and reassignment change the lead through the leads module, guarded by the version the pass read.
 * - When a lead leaves the stage a task fired for, the task closes: done at the move (the seller acted), or
 *   cancelled when the lead went DORMANT.
 * - A task that comes due is announced once on the live stream (`task.due`); snoozing it announces it again.
 */

export interface FollowupsDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  automation: Pick<LeadAutomation, 'markDormant' | 'reassignUnanswered' | 'recordEvents'>;
  identity: Pick<IdentityService, 'findUser'>;
  /** Told after each committed change: live updates and inbox counts. */
  feed?: Pick<LeadFeed, 'changed'>;
  realtime?: Pick<RealtimeBus, 'publish'>;
  /** The WhatsApp channel's face for other modules: template sends and real inbound messages. */
  whatsapp?: Pick<AutomaticSends, 'channelBranches' | 'lastInbound' | 'sendTemplate' | 'dispatch'>;
  onError?: (error: unknown) => void;
}

/**
 * Told of the leads a pass moved to DORMANT, in the pass's transaction (a standing reactivation campaign picks
 * them up); answers the WhatsApp messages it queued, sent after commit.
 */
export type DormantHook = (tx: Tx, tenantId: string, leadIds: string[], at: Date) => Promise<string[]>;

export const DEFAULT_POLICY: FollowupPolicyRules & {
  holidays: string[];
  quotedFollowUpTemplate: FollowupPolicy['quotedFollowUpTemplate'];
} = {
  newLeadAlertMinutes: 60,
  quotedFollowUpDays: 2,
  dormantAfterDays: 21,
  businessHoursOnly: true,
  reassignAfterMinutes: null,
  holidays: [],
  quotedFollowUpTemplate: null,
};

/** Leads read per engine transaction, and transactions per pass: the rest waits for the next minute. */
const BATCH = 200;
const MAX_BATCHES = 50;
const STAMP_BATCH = 1000;

type PolicyInput = z.output<typeof putFollowupPolicyBody>;
type PolicyPatch = z.output<typeof patchFollowupPolicyBody>;
/** A task handed over by another module: always a FOLLOW_UP, unique by its rule key. */
export interface CampaignTaskInput {
  tenantId: string;
  leadId: string;
  branchId: string;
  assigneeUserId: string | null;
  title: string;
  note: string | null;
  suggestedMessage: string;
  dueAt: string;
  ruleKey: string;
  createdAt: string;
}
export type CreateTaskInput = z.output<typeof createTaskBody>;
export type UpdateTaskInput = z.output<typeof updateTaskBody>;

const versionConflict = (what: string) =>
  new AppError('VERSION_CONFLICT', `The ${what} was changed by someone else; reload it and try again`, {
    errors: [{ path: 'version', message: 'stale version' }],
  });

export function createFollowupsService(deps: FollowupsDeps) {
  const { database, clock, automation, identity, feed, realtime, whatsapp, onError = () => undefined } = deps;
  const repo = createFollowupsRepository();
  const dormantHooks: DormantHook[] = [];
  const now = () => clock.now().toISOString();

  async function readPolicy(tx: Tx, tenantId: string): Promise<FollowupPolicy> {
    const row = await repo.getPolicy(tx, tenantId);
    if (!row) return { tenantId, ...DEFAULT_POLICY, updatedAt: null, version: 0 };
    return {
      tenantId,
      newLeadAlertMinutes: row.newLeadAlertMinutes,
      quotedFollowUpDays: row.quotedFollowUpDays,
      dormantAfterDays: row.dormantAfterDays,
      businessHoursOnly: row.businessHoursOnly,
      reassignAfterMinutes: row.reassignAfterMinutes,
      holidays: row.holidays,
      quotedFollowUpTemplate: row.quotedFollowUpTemplate ?? null,
      updatedAt: row.updatedAt,
      version: row.version,
    };
  }

  /** Each branch's calendar (weekly hours, time zone, the shop's holidays) and country. */
  async function calendars(tx: Tx, tenantId: string, holidays: string[]) {
    const days = new Set(holidays);
    const branches = await repo.branches(tx, tenantId);
    return new Map(
      branches.map((b) => [
        b.id,
        {
          calendar: { hours: b.hours, timeZone: b.timezone, holidays: days } as BusinessCalendar,
          country: b.countryCode,
        },
      ]),
    );
  }

  async function savePolicy(
    actor: UserPrincipal,
    tenantId: string,
    input: PolicyInput,
  ): Promise<FollowupPolicy> {
    if (actor.tenantId !== tenantId) throw notFound('Tenant');
    return database.withTenant(tenantId, async (tx) => {
      const current = await readPolicy(tx, tenantId);
      if (input.version !== undefined && input.version !== current.version) throw versionConflict('policy');
      const saved = await repo.savePolicy(
        tx,
        {
          tenantId,
          newLeadAlertMinutes: input.newLeadAlertMinutes,
          quotedFollowUpDays: input.quotedFollowUpDays,
          dormantAfterDays: input.dormantAfterDays,
          businessHoursOnly: input.businessHoursOnly,
          reassignAfterMinutes: input.reassignAfterMinutes ?? null,
          holidays: [...new Set(input.holidays ?? current.holidays)].sort(),
          quotedFollowUpTemplate:
            input.quotedFollowUpTemplate === undefined
              ? current.quotedFollowUpTemplate
              : input.quotedFollowUpTemplate,
        },
        // A version sent guards the write too: two first saves of version 0 cannot both win.
        input.version ?? null,
        now(),
      );
      if (!saved) throw versionConflict('policy');
      // Every due time the engine noted was computed under the old rules: it looks at the open leads again.
      await repo.forgetBookmarks(tx, tenantId);
      return readPolicy(tx, tenantId);
    });
  }

  /** Whoever a rule's task goes to when the lead has no seller, or when it escalates: a manager of the branch. */
  function managerFor(managers: Awaited<ReturnType<typeof repo.managers>>, branchId: string): string | null {
    const ofBranch = managers.find((m) => m.role === 'MANAGER' && m.branchIds.includes(branchId));
    const anyManager = managers.find((m) => m.role === 'MANAGER');
    const owner = managers.find((m) => m.role === 'OWNER');
    return (ofBranch ?? anyManager ?? owner)?.id ?? null;
  }

  async function announceTasks(tenantId: string, ids: string[]) {
    if (!realtime || ids.length === 0) return;
    try {
      const tasks = await database.withTenant(tenantId, (tx) => repo.tasksByIds(tx, tenantId, ids));
      for (const t of tasks) {
        await realtime.publish(tenantId, { type: 'task.due', branchId: t.branchId, data: t });
      }
    } catch (error) {
      // The tasks are committed; the board finds them on its next read.
      onError(error);
    }
  }

  async function announceLeads(changes: { type: 'lead.updated' | 'lead.assigned'; lead: Lead }[]) {
    for (const change of changes) await feed?.changed(change.type, change.lead).catch(onError);
  }

  /** Measures answered leads' first response in business time, a batch at a time, in the caller's transaction. */
  async function stampWithin(
    tx: Tx,
    tenantId: string,
    branches: Awaited<ReturnType<typeof calendars>>,
    limit = STAMP_BATCH,
  ) {
    const rows = await repo.unstampedResponses(tx, tenantId, limit);
    if (rows.length === 0) return 0;
    const stamps = rows.flatMap((row) => {
      const calendar = branches.get(row.branchId)?.calendar;
      if (!calendar || !row.firstResponseAt) return [];
      const ms = businessMsBetween(calendar, new Date(row.createdAt), new Date(row.firstResponseAt));
      return [{ id: row.id, seconds: Math.round(ms / 1000) }];
    });
    await repo.stampResponses(tx, tenantId, stamps);
    return stamps.length;
  }

  /** One engine transaction: up to BATCH candidate leads of the shop, evaluated and acted upon. */
  async function engineBatch(tenantId: string, at: Date, first: boolean) {
    const atIso = at.toISOString();
    const counts = { evaluated: 0, tasksCreated: 0, dormant: 0, reassigned: 0, stamped: 0, reminded: 0 };
    const announcedTasks: string[] = [];
    const leadChanges: { type: 'lead.updated' | 'lead.assigned'; lead: Lead }[] = [];
    const queuedMessages: string[] = [];

    const full = await database.withTenant(tenantId, async (tx) => {
      await repo.lockTenantEngine(tx, tenantId);
      // The first batch of a pass also measures response times and takes the tasks that came due: one
      // transaction per shop when there is little to do, which is most minutes.
      if (first) {
        const reminded = await repo.takeDueReminders(tx, tenantId, atIso, BATCH);
        counts.reminded = reminded.length;
        announcedTasks.push(...reminded);
      }
      const candidates = await repo.candidates(tx, tenantId, atIso, BATCH);
      const policy = await readPolicy(tx, tenantId);
      const branches = await calendars(tx, tenantId, policy.holidays);
      if (first) counts.stamped = await stampWithin(tx, tenantId, branches);
      if (candidates.length === 0) return false;
      counts.evaluated = candidates.length;

      const evaluations = candidates.map((lead) => {
        const branch = branches.get(lead.branchId);
        const calendar = branch?.calendar ?? { hours: {}, timeZone: 'UTC' };
        return { lead, branch, calendar, result: evaluateLead(lead, policy, calendar, at) };
      });
      const quotedDue = evaluations
        .filter((e) => e.result.due.some((d) => d.rule === 'QUOTED_FOLLOW_UP'))
        .map((e) => e.lead.id);
      // "No customer reply since the quote": at a branch with a WhatsApp channel, the customer's real messages;
      // elsewhere, the messages the CRM was told of (MESSAGE_RECEIVED).
      const channelBranches =
        quotedDue.length > 0 && whatsapp ? await whatsapp.channelBranches(tx, tenantId) : null;
      const onChannel = (branchId: string) => channelBranches?.has(branchId) === true;
      const quotedAt = (onWhatsapp: boolean) =>
        evaluations
          .filter((e) => quotedDue.includes(e.lead.id) && onChannel(e.lead.branchId) === onWhatsapp)
          .map((e) => e.lead.id);
      const lastMessages = await repo.lastCustomerMessages(tx, tenantId, quotedAt(false));
      const lastInbound = whatsapp ? await whatsapp.lastInbound(tx, tenantId, quotedAt(true)) : new Map();
      const templateSends = new Map<string, { leadId: string; contactName: string | null }>();
      const needsManager = evaluations.some(
        (e) =>
          e.result.due.length > 0 &&
          (!e.lead.assignedToUserId || e.result.due.some((d) => d.rule === 'ESCALATION')),
      );
      const managers = needsManager ? await repo.managers(tx, tenantId) : [];

      const bookmarks: BookmarkUpdate[] = [];
      const moved: string[] = [];
      const ruleTasks: (Parameters<typeof repo.insertRuleTasks>[1][number] & { rule: FollowupRule })[] = [];
      const dueEvents = new Map<string, { rule: FollowupRule; at: Date }>();

      for (const { lead, branch, calendar, result } of evaluations) {
        if (lead.followupStageAt !== null && lead.followupStageAt !== lead.statusChangedAt)
          moved.push(lead.id);
        if (!ENGINE_STATUSES.includes(lead.status)) {
          // A closed lead the engine saw open: its tasks close (above); nothing else applies.
          bookmarks.push({ id: lead.id, stageAt: lead.statusChangedAt, dueAt: null });
          continue;
        }
        const dormant = result.due.find((d) => d.rule === 'DORMANT');
        if (dormant) {
          const idleDays = policy.dormantAfterDays;
          const movedLead = await automation.markDormant(tx, tenantId, lead, atIso, {
            reason: 'INACTIVE',
            inactiveDays: idleDays,
          });
          if (movedLead) {
            counts.dormant++;
            moved.push(lead.id);
            leadChanges.push({ type: 'lead.updated', lead: movedLead });
            await automation.recordEvents(tx, [
              {
                tenantId,
                leadId: lead.id,
                type: 'FOLLOWUP_DUE',
                payload: { rule: 'DORMANT', dueAt: dormant.at.toISOString(), inactiveDays: idleDays },
                actorUserId: null,
                createdAt: atIso,
              },
            ]);
          }
          continue;
        }
        for (const due of result.due) {
          if (due.rule === 'DORMANT') continue;
          if (due.rule === 'QUOTED_FOLLOW_UP') {
            const replied = onChannel(lead.branchId) ? lastInbound.get(lead.id) : lastMessages.get(lead.id);
            if (replied && replied > lead.statusChangedAt) continue;
          }
          const escalates = due.rule === 'ESCALATION';
          const assignee =
            escalates || !lead.assignedToUserId ? managerFor(managers, lead.branchId) : lead.assignedToUserId;
          const waited =
            due.rule === 'NEW_LEAD_ALERT'
              ? policy.newLeadAlertMinutes
              : policy.newLeadAlertMinutes + (policy.reassignAfterMinutes ?? 0);
          const key = ruleKey(due.rule, lead.id, lead.statusChangedAt);
          dueEvents.set(key, due);
          // With a channel and a template, the follow-up goes out by itself (not to a customer who opted out:
          // their seller decides); the task is kept for the rule key and closed as done once the message is queued.
          if (
            due.rule === 'QUOTED_FOLLOW_UP' &&
            policy.quotedFollowUpTemplate &&
            onChannel(lead.branchId) &&
            !lead.contactOptedOut &&
            (lead.contactPhone || lastInbound.has(lead.id))
          ) {
            templateSends.set(key, { leadId: lead.id, contactName: lead.contactName });
          }
          ruleTasks.push({
            rule: due.rule,
            tenantId,
            leadId: lead.id,
            branchId: lead.branchId,
            assigneeUserId: assignee,
            kind: due.rule === 'QUOTED_FOLLOW_UP' ? 'FOLLOW_UP' : due.rule,
            title: taskTitle(due.rule, waited, branch?.country ?? null),
            suggestedMessage:
              due.rule === 'QUOTED_FOLLOW_UP'
                ? followUpMessage(lead.contactName, branch?.country ?? null)
                : null,
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
        bookmarks.push({
          id: lead.id,
          stageAt: lead.statusChangedAt,
          dueAt: result.nextAt?.toISOString() ?? null,
        });
      }

      await repo.closeTasksOfPastStages(tx, tenantId, moved, atIso);
      const inserted = await repo.insertRuleTasks(
        tx,
        ruleTasks.map(({ rule: _rule, ...row }) => row),
      );
      counts.tasksCreated = inserted.length;
      const byKey = new Map(ruleTasks.map((t) => [t.ruleKey, t]));
      // Only the pass whose task insert won sends: once per lead and stage entry, like the task.
      const messageOf = new Map<string, string>();
      const template = policy.quotedFollowUpTemplate;
      if (template && whatsapp) {
        const completed: { id: string; note: string }[] = [];
        for (const row of inserted) {
          const send = templateSends.get(row.ruleKey ?? '');
          if (!send) continue;
          const queued = await whatsapp.sendTemplate(tx, {
            tenantId,
            leadId: send.leadId,
            template: fillTemplate(template, { name: send.contactName }),
            at: atIso,
          });
          if (!queued) continue;
          messageOf.set(row.id, queued.messageId);
          queuedMessages.push(queued.messageId);
          completed.push({ id: row.id, note: `Enviado por WhatsApp: plantilla «${template.name}»` });
        }
        await repo.completeSentFollowUps(tx, tenantId, completed, atIso);
      }
      await automation.recordEvents(
        tx,
        inserted.map((row) => {
          const due = dueEvents.get(row.ruleKey ?? '');
          return {
            tenantId,
            leadId: row.leadId,
            type: 'FOLLOWUP_DUE' as const,
            payload: {
              rule: byKey.get(row.ruleKey)?.rule,
              taskId: row.id,
              dueAt: due?.at.toISOString(),
              ...(messageOf.has(row.id) ? { messageId: messageOf.get(row.id) } : {}),
            },
            actorUserId: null,
            createdAt: atIso,
          };
        }),
      );
      // A follow-up that went out by itself is no alert: the seller sees the message on the conversation.
      announcedTasks.push(...inserted.filter((row) => !messageOf.has(row.id)).map((row) => row.id));
      if (moved.length > 0 && counts.dormant > 0) {
        const dormantIds = leadChanges.filter((c) => c.lead.status === 'DORMANT').map((c) => c.lead.id);
        for (const hook of dormantHooks) queuedMessages.push(...(await hook(tx, tenantId, dormantIds, at)));
      }

      // Only the pass whose escalation task was created reassigns: once per lead and stage entry.
      if (policy.reassignAfterMinutes !== null) {
        for (const row of inserted.filter((r) => r.kind === 'ESCALATION')) {
          const lead = candidates.find((c) => c.id === row.leadId);
          if (!lead) continue;
          const reassigned = await automation.reassignUnanswered(tx, tenantId, lead, atIso);
          if (!reassigned?.assignedToUserId) continue;
          counts.reassigned++;
          await repo.handOverAlert(
            tx,
            tenantId,
            lead.id,
            lead.statusChangedAt,
            reassigned.assignedToUserId,
            atIso,
          );
          leadChanges.push({ type: 'lead.assigned', lead: reassigned });
        }
      }
      await repo.setBookmarks(tx, tenantId, bookmarks);
      return candidates.length === BATCH;
    });
    await whatsapp?.dispatch(tenantId, queuedMessages);
    await announceTasks(tenantId, announcedTasks);
    await announceLeads(leadChanges);
    return { full, counts };
  }

  async function remindDueTasks(tenantId: string, at: string) {
    let reminded = 0;
    for (let round = 0; round < MAX_BATCHES; round++) {
      const ids = await database.withTenant(tenantId, (tx) => repo.takeDueReminders(tx, tenantId, at, BATCH));
      reminded += ids.length;
      await announceTasks(tenantId, ids);
      if (ids.length < BATCH) break;
    }
    return reminded;
  }

  async function requireTask(tx: Tx, viewer: Principal, taskId: string): Promise<TaskRow> {
    const row = await repo.findTask(tx, viewer.tenantId, taskId, branchScope(viewer));
    if (!row) throw notFound('Task');
    return row;
  }

  /** A task goes to someone who can see its lead: an active MANAGER or OWNER, or an active SELLER of its branch. */
  async function assertAssignable(tx: Tx, tenantId: string, userId: string, branchId: string) {
    const user = await identity.findUser(tx, tenantId, userId);
    const worksBranch = user?.role !== 'SELLER' || user.branchIds.includes(branchId);
    if (!user?.active || !worksBranch) {
      throw invalidField('assigneeUserId', "must be an active user of this shop who works the lead's branch");
    }
  }

  return {
    getPolicy: (viewer: Principal, tenantId: string) =>
      database.withTenant(tenantId, async (tx) => {
        if (viewer.tenantId !== tenantId) throw notFound('Tenant');
        return readPolicy(tx, tenantId);
      }),

    putPolicy: savePolicy,

    async patchPolicy(actor: UserPrincipal, tenantId: string, input: PolicyPatch): Promise<FollowupPolicy> {
      const current = await database.withTenant(tenantId, (tx) => readPolicy(tx, tenantId));
      return savePolicy(actor, tenantId, {
        newLeadAlertMinutes: input.newLeadAlertMinutes ?? current.newLeadAlertMinutes,
        quotedFollowUpDays: input.quotedFollowUpDays ?? current.quotedFollowUpDays,
        dormantAfterDays: input.dormantAfterDays ?? current.dormantAfterDays,
        businessHoursOnly: input.businessHoursOnly ?? current.businessHoursOnly,
        reassignAfterMinutes:
          input.reassignAfterMinutes === undefined
            ? current.reassignAfterMinutes
            : input.reassignAfterMinutes,
        holidays: input.holidays ?? current.holidays,
        quotedFollowUpTemplate: input.quotedFollowUpTemplate,
        version: input.version ?? current.version,
      });
    },

    /**
     * One engine pass over a shop: response times measured, rules applied to the leads that are due, tasks
     * that came due announced. Safe to run at any time, as often as wanted, on any number of workers.
     */
    /** The shop's holidays (YYYY-MM-DD), closed in every branch: other business-time counts (ticket SLAs) skip them too. */
    async holidaysOf(tx: Tx, tenantId: string): Promise<Set<string>> {
      return new Set((await readPolicy(tx, tenantId)).holidays);
    },

    async runEngine(tenantId: string): Promise<FollowupRun> {
      const at = clock.now();
      const total: FollowupRun = {
        evaluated: 0,
        tasksCreated: 0,
        dormant: 0,
        reassigned: 0,
        reminded: 0,
        stamped: 0,
      };
      for (let round = 0; round < MAX_BATCHES; round++) {
        const { full, counts } = await engineBatch(tenantId, at, round === 0);
        for (const key of Object.keys(total) as (keyof FollowupRun)[]) total[key] += counts[key];
        if (!full) break;
      }
      // More tasks came due than one batch takes (rare): the rest now, not a minute later.
      if (total.reminded === BATCH) total.reminded += await remindDueTasks(tenantId, at.toISOString());
      return total;
    },

    /** For the KPIs: measures what is left to measure before figures are read. */
    async stampResponseTimes(tenantId: string) {
      let stamped = 0;
      for (let round = 0; round < MAX_BATCHES; round++) {
        const n = await database.withTenant(tenantId, async (tx) => {
          const policy = await readPolicy(tx, tenantId);
          return stampWithin(tx, tenantId, await calendars(tx, tenantId, policy.holidays));
        });
        stamped += n;
        if (n < STAMP_BATCH) break;
      }
      return stamped;
    },

    /**
     * Tasks another module hands to sellers (a campaign's reactivation messages), in the caller's transaction.
     * Each carries a rule key unique in the shop, so the same task is never created twice; returns those created.
     */
    createCampaignTasks: (tx: Tx, rows: CampaignTaskInput[]) =>
      repo.insertRuleTasks(
        tx,
        rows.map((row) => ({ ...row, kind: 'FOLLOW_UP' as const, updatedAt: row.createdAt })),
      ),

    /** Cancels those of the tasks still open, in the caller's transaction (a contact opted out). */
    cancelCampaignTasks: (tx: Tx, tenantId: string, taskIds: string[], at: string) =>
      repo.closeOpenTasks(tx, tenantId, taskIds, 'CANCELLED', at),

    /** Marks those of the tasks still open as done, in the caller's transaction (the customer answered). */
    completeCampaignTasks: (tx: Tx, tenantId: string, taskIds: string[], at: string) =>
      repo.closeOpenTasks(tx, tenantId, taskIds, 'DONE', at),

    policyOf: (tenantId: string) => database.withTenant(tenantId, (tx) => readPolicy(tx, tenantId)),

    /** Registers what runs, in the pass's transaction, on the leads a pass moved to DORMANT. */
    whenDormant(hook: DormantHook) {
      dormantHooks.push(hook);
    },

    async listTasks(viewer: Principal, tenantId: string, query: TaskListQuery) {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const scope = branchScope(viewer);
      const branchIds = narrowScope(scope, query.branchId);
      if (branchIds?.length === 0) return { items: [], nextCursor: null };
      let assigneeUserId = query.assignee;
      if (assigneeUserId === 'me') {
        if (viewer.kind !== 'user') throw badField('assignee', '"me" needs a signed-in user');
        assigneeUserId = viewer.userId;
      }
      const after = query.cursor ? decodeTaskCursor(query.cursor) : null;
      const at = clock.now();
      const rows = await database.withTenant(tenantId, async (tx) => {
        let window: { dueFrom?: string; dueBefore?: string; status?: Task['status'] } = {};
        if (query.due === 'overdue') window = { dueBefore: at.toISOString(), status: 'OPEN' };
        if (query.due === 'upcoming') window = { dueFrom: at.toISOString() };
        if (query.due === 'today') {
          const zone = (await repo.tenantTimezone(tx, tenantId)) ?? 'UTC';
          window = {
            dueFrom: startOfLocalDay(at, zone).toISOString(),
            dueBefore: startOfLocalDay(at, zone, 1).toISOString(),
          };
        }
        return repo.listTasks(
          tx,
          tenantId,
          {
            branchIds,
            assigneeUserId,
            status: query.status ?? window.status,
            leadId: query.leadId,
            dueFrom: window.dueFrom,
            dueBefore: window.dueBefore,
          },
          after,
          query.limit,
        );
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      const nextCursor = rows.length > query.limit && last ? encodeTaskCursor(last) : null;
      return { items, nextCursor };
    },

    async taskCounts(viewer: Principal, tenantId: string, leadIds: string[]) {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const scope = branchScope(viewer);
      const rows = await database.withTenant(tenantId, (tx) =>
        repo.countsByLead(tx, tenantId, leadIds, scope, now()),
      );
      return { items: rows };
    },

    async createTask(actor: UserPrincipal, leadId: string, input: CreateTaskInput): Promise<Task> {
      const { tenantId } = actor;
      const id = await database.withTenant(tenantId, async (tx) => {
        const lead = await repo.findLead(tx, tenantId, leadId, branchScope(actor));
        if (!lead) throw notFound('Lead');
        const assignee = input.assigneeUserId ?? actor.userId;
        if (assignee !== actor.userId) await assertAssignable(tx, tenantId, assignee, lead.branchId);
        const at = now();
        return repo.insertTask(tx, {
          tenantId,
          leadId,
          branchId: lead.branchId,
          assigneeUserId: assignee,
          kind: input.kind,
          title: input.title,
          note: input.note ?? null,
          dueAt: new Date(input.dueAt).toISOString(),
          createdByUserId: actor.userId,
          createdAt: at,
          updatedAt: at,
        });
      });
      const created = await database.withTenant(tenantId, (tx) => requireTask(tx, actor, id));
      return created;
    },

    /** Done, reopened, cancelled, snoozed or reassigned, guarded by the version read. */
    async updateTask(actor: UserPrincipal, taskId: string, input: UpdateTaskInput): Promise<Task> {
      const { tenantId } = actor;
      return database.withTenant(tenantId, async (tx) => {
        const current = await requireTask(tx, actor, taskId);
        if (current.version !== input.version) throw versionConflict('task');
        const at = now();
        const changes: Parameters<typeof repo.updateTask>[4] = {};
        if (input.status !== undefined && input.status !== current.status) {
          changes.status = input.status;
          changes.completedAt = input.status === 'DONE' ? at : null;
        }
        if (input.dueAt !== undefined) {
          const dueAt = new Date(input.dueAt).toISOString();
          if (dueAt !== current.dueAt) {
            changes.dueAt = dueAt;
            // A snoozed task is announced again when it comes due again.
            changes.remindedAt = null;
          }
        }
        if (input.assigneeUserId !== undefined && input.assigneeUserId !== current.assigneeUserId) {
          if (input.assigneeUserId !== null) {
            await assertAssignable(tx, tenantId, input.assigneeUserId, current.branchId);
          }
          changes.assigneeUserId = input.assigneeUserId;
        }
        if (input.title !== undefined && input.title !== current.title) changes.title = input.title;
        if (input.note !== undefined && input.note !== current.note) changes.note = input.note;
        if (Object.keys(changes).length === 0) return current;
        if (
          actor.role === 'SELLER' &&
          changes.assigneeUserId !== undefined &&
          current.assigneeUserId !== actor.userId
        ) {
          throw forbidden('A seller can hand over their own tasks only');
        }
        if (!(await repo.updateTask(tx, tenantId, taskId, input.version, changes, at)))
          throw versionConflict('task');
        return requireTask(tx, actor, taskId);
      });
    },
  };
}

export type FollowupsService = ReturnType<typeof createFollowupsService>;
