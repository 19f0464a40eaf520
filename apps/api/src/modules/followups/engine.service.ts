import type { FollowupPolicy, FollowupRun, Lead } from '@techmarket/contracts';
import type { Clock } from '../../platform/clock';
import type { Database, Tx } from '../../platform/db';
import type { LeadAutomation, LeadFeed } from '../leads';
import { type AutomaticSends, fillTemplate } from '../whatsapp';
import { createEngineRepository } from './engine.repository';
import {
  type BatchPlan,
  type Candidate,
  type Evaluation,
  evaluate,
  needsManager,
  planBatch,
  quotedDue,
  type RuleInputs,
} from './engine-plan';
import type { PolicyService } from './policy.service';
import { createResponseTimes } from './response-times';
import { REMINDER_BATCH, type TasksService } from './tasks.service';

/**
 * The follow-up engine: a pass over one shop applies the policy's rules (rules.ts). How a pass runs:
 * - It reads only leads the engine has not seen in their current stage, and leads whose next rule is due (two
 *   partial indexes). It evaluates them, writes what fell due, and leaves on each lead a bookmark: the stage it
 *   saw and when to look again. Leads nobody touches and nothing is due for cost nothing.
 * - Each engine task carries a rule key (rule, lead, stage entry) unique in the shop: it is created once however
 *   many passes or workers run, and its FOLLOWUP_DUE event, template send and reassignment are done only by the
 *   pass whose insert won. Passes over one shop also queue behind an advisory lock, so a second one finds the
 *   work done.
 * - DORMANT and reassignment change the lead through the leads module, guarded by the version the pass read.
 * - When a lead leaves the stage a task fired for, the task closes: done at the move (the seller acted), or
 *   cancelled when the lead went DORMANT.
 * - What the batch changed is announced after commit: queued WhatsApp sends, tasks, leads.
 */

export interface EngineDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  automation: Pick<LeadAutomation, 'markDormant' | 'reassignUnanswered' | 'recordEvents'>;
  policies: Pick<PolicyService, 'readPolicy'>;
  tasks: Pick<TasksService, 'announce' | 'insertRuleTasks' | 'remindDueTasks' | 'takeDueReminders'>;
  /** Told after each committed change: live updates and inbox counts. */
  feed?: Pick<LeadFeed, 'changed'>;
  /** The WhatsApp channel's face for other modules: template sends and real inbound messages. */
  whatsapp?: Pick<AutomaticSends, 'channelBranches' | 'lastInbound' | 'sendTemplate' | 'dispatch'>;
  onError?: (error: unknown) => void;
}

/**
 * Told of the leads a pass moved to DORMANT, in the pass's transaction (a standing reactivation campaign picks
 * them up); answers the WhatsApp messages it queued, sent after commit.
 */
export type DormantHook = (tx: Tx, tenantId: string, leadIds: string[], at: Date) => Promise<string[]>;

/** Leads read per engine transaction, and transactions per pass: the rest waits for the next minute. */
const BATCH = 200;
const MAX_BATCHES = 50;

type LeadChange = { type: 'lead.updated' | 'lead.assigned'; lead: Lead };
type Inserted = Awaited<ReturnType<TasksService['insertRuleTasks']>>;

/** What one batch did, and what it announces once committed. */
interface BatchOutcome {
  counts: FollowupRun;
  announcedTasks: string[];
  leadChanges: LeadChange[];
  queuedMessages: string[];
}

type BatchContext = RuleInputs & { tx: Tx };

export function createEngineService(deps: EngineDeps) {
  const { database, clock, automation, policies, tasks, feed, whatsapp, onError = () => undefined } = deps;
  const repo = createEngineRepository();
  const dormantHooks: DormantHook[] = [];
  const responseTimes = createResponseTimes({ database, policies });

  /**
   * "No customer reply since the quote": at a branch with a WhatsApp channel, the customer's real messages;
   * elsewhere, the messages the CRM was told of (MESSAGE_RECEIVED). Managers only when some task needs one.
   */
  async function readContext(
    tx: Tx,
    tenantId: string,
    at: Date,
    policy: FollowupPolicy,
    evaluations: Evaluation[],
  ): Promise<BatchContext> {
    const quoted = quotedDue(evaluations);
    const channelBranches =
      quoted.length > 0 && whatsapp ? await whatsapp.channelBranches(tx, tenantId) : null;
    const onChannel = (branchId: string) => channelBranches?.has(branchId) === true;
    const quotedAt = (onWhatsapp: boolean) =>
      evaluations
        .filter((e) => quoted.includes(e.lead.id) && onChannel(e.lead.branchId) === onWhatsapp)
        .map((e) => e.lead.id);
    const lastMessages = await repo.lastCustomerMessages(tx, tenantId, quotedAt(false));
    const lastInbound: Map<string, string> = whatsapp
      ? await whatsapp.lastInbound(tx, tenantId, quotedAt(true))
      : new Map();
    const managers = needsManager(evaluations) ? await repo.managers(tx, tenantId) : [];
    return {
      tx,
      tenantId,
      at,
      atIso: at.toISOString(),
      policy,
      onChannel,
      lastInbound,
      lastMessages,
      managers,
    };
  }

  /** Moves an idle lead to DORMANT, guarded by the version read; false when someone changed it meanwhile. */
  async function moveDormant(ctx: BatchContext, lead: Candidate, dueAt: Date, outcome: BatchOutcome) {
    const { tx, tenantId, atIso } = ctx;
    const inactiveDays = ctx.policy.dormantAfterDays;
    const movedLead = await automation.markDormant(tx, tenantId, lead, atIso, {
      reason: 'INACTIVE',
      inactiveDays,
    });
    if (!movedLead) return false;
    outcome.counts.dormant++;
    outcome.leadChanges.push({ type: 'lead.updated', lead: movedLead });
    await automation.recordEvents(tx, [
      {
        tenantId,
        leadId: lead.id,
        type: 'FOLLOWUP_DUE',
        payload: { rule: 'DORMANT', dueAt: dueAt.toISOString(), inactiveDays },
        actorUserId: null,
        createdAt: atIso,
      },
    ]);
    return true;
  }

  /**
   * The QUOTED follow-ups that go out by themselves as the policy's template, for the tasks this pass inserted
   * (once per lead and stage entry, like the task); those tasks close as done. Answers task id -> message id.
   */
  async function sendTemplateFollowUps(
    ctx: BatchContext,
    inserted: Inserted,
    templateSends: BatchPlan['templateSends'],
    outcome: BatchOutcome,
  ) {
    const messageOf = new Map<string, string>();
    const template = ctx.policy.quotedFollowUpTemplate;
    if (!template || !whatsapp) return messageOf;
    const completed: { id: string; note: string }[] = [];
    for (const row of inserted) {
      const send = templateSends.get(row.ruleKey ?? '');
      if (!send) continue;
      const queued = await whatsapp.sendTemplate(ctx.tx, {
        tenantId: ctx.tenantId,
        leadId: send.leadId,
        template: fillTemplate(template, { name: send.contactName }),
        at: ctx.atIso,
      });
      if (!queued) continue;
      messageOf.set(row.id, queued.messageId);
      outcome.queuedMessages.push(queued.messageId);
      completed.push({ id: row.id, note: `Enviado por WhatsApp: plantilla «${template.name}»` });
    }
    await repo.completeSentFollowUps(ctx.tx, ctx.tenantId, completed, ctx.atIso);
    return messageOf;
  }

  /** A FOLLOWUP_DUE event for each task this pass inserted, naming the message that went out, if any. */
  async function recordDueEvents(
    ctx: BatchContext,
    inserted: Inserted,
    plan: BatchPlan,
    messageOf: Map<string, string>,
  ) {
    const ruleOf = new Map(plan.ruleTasks.map((t) => [t.ruleKey, t.rule]));
    await automation.recordEvents(
      ctx.tx,
      inserted.map((row) => {
        const due = plan.dueEvents.get(row.ruleKey ?? '');
        return {
          tenantId: ctx.tenantId,
          leadId: row.leadId,
          type: 'FOLLOWUP_DUE' as const,
          payload: {
            rule: row.ruleKey === null ? undefined : ruleOf.get(row.ruleKey),
            taskId: row.id,
            dueAt: due?.at.toISOString(),
            ...(messageOf.has(row.id) ? { messageId: messageOf.get(row.id) } : {}),
          },
          actorUserId: null,
          createdAt: ctx.atIso,
        };
      }),
    );
  }

  /** Hands the leads this batch moved to DORMANT to whatever registered for them, in the batch's transaction. */
  async function handOverDormant(ctx: BatchContext, outcome: BatchOutcome) {
    const dormantIds = outcome.leadChanges.filter((c) => c.lead.status === 'DORMANT').map((c) => c.lead.id);
    for (const hook of dormantHooks) {
      outcome.queuedMessages.push(...(await hook(ctx.tx, ctx.tenantId, dormantIds, ctx.at)));
    }
  }

  /** Only the pass whose escalation task was created reassigns: once per lead and stage entry. */
  async function reassignEscalated(
    ctx: BatchContext,
    inserted: Inserted,
    candidates: Candidate[],
    outcome: BatchOutcome,
  ) {
    const { tx, tenantId, atIso } = ctx;
    for (const row of inserted.filter((r) => r.kind === 'ESCALATION')) {
      const lead = candidates.find((c) => c.id === row.leadId);
      if (!lead) continue;
      const reassigned = await automation.reassignUnanswered(tx, tenantId, lead, atIso);
      if (!reassigned?.assignedToUserId) continue;
      outcome.counts.reassigned++;
      await repo.handOverAlert(
        tx,
        tenantId,
        lead.id,
        lead.statusChangedAt,
        reassigned.assignedToUserId,
        atIso,
      );
      outcome.leadChanges.push({ type: 'lead.assigned', lead: reassigned });
    }
  }

  /** After commit: the queued WhatsApp sends go out, new and due tasks and changed leads are announced. */
  async function announce(tenantId: string, outcome: BatchOutcome) {
    await whatsapp?.dispatch(tenantId, outcome.queuedMessages);
    await tasks.announce(tenantId, outcome.announcedTasks);
    for (const change of outcome.leadChanges) await feed?.changed(change.type, change.lead).catch(onError);
  }

  /** One engine transaction: up to BATCH candidate leads of the shop, evaluated and acted upon. */
  async function engineBatch(tenantId: string, at: Date, first: boolean) {
    const atIso = at.toISOString();
    const outcome: BatchOutcome = {
      counts: { evaluated: 0, tasksCreated: 0, dormant: 0, reassigned: 0, stamped: 0, reminded: 0 },
      announcedTasks: [],
      leadChanges: [],
      queuedMessages: [],
    };

    const full = await database.withTenant(tenantId, async (tx) => {
      await repo.lockTenantEngine(tx, tenantId);
      // The first batch of a pass also measures response times and takes the tasks that came due: one
      // transaction per shop when there is little to do, which is most minutes.
      if (first) {
        const reminded = await tasks.takeDueReminders(tx, tenantId, atIso, REMINDER_BATCH);
        outcome.counts.reminded = reminded.length;
        outcome.announcedTasks.push(...reminded);
      }
      const candidates = await repo.candidates(tx, tenantId, atIso, BATCH);
      const policy = await policies.readPolicy(tx, tenantId);
      const branches = await responseTimes.calendars(tx, tenantId, policy.holidays);
      if (first) outcome.counts.stamped = await responseTimes.stampWithin(tx, tenantId, branches);
      if (candidates.length === 0) return false;
      outcome.counts.evaluated = candidates.length;

      const evaluations = evaluate(candidates, policy, branches, at);
      const ctx = await readContext(tx, tenantId, at, policy, evaluations);
      const plan = planBatch(ctx, evaluations);
      for (const { lead, at: dueAt } of plan.dormant) {
        if (await moveDormant(ctx, lead, dueAt, outcome)) plan.moved.push(lead.id);
      }

      await repo.closeTasksOfPastStages(tx, tenantId, plan.moved, atIso);
      const inserted = await tasks.insertRuleTasks(
        tx,
        plan.ruleTasks.map(({ rule: _rule, ...row }) => row),
      );
      outcome.counts.tasksCreated = inserted.length;
      const messageOf = await sendTemplateFollowUps(ctx, inserted, plan.templateSends, outcome);
      await recordDueEvents(ctx, inserted, plan, messageOf);
      // A follow-up that went out by itself is no alert: the seller sees the message on the conversation.
      outcome.announcedTasks.push(...inserted.filter((row) => !messageOf.has(row.id)).map((row) => row.id));
      if (plan.moved.length > 0 && outcome.counts.dormant > 0) await handOverDormant(ctx, outcome);
      if (policy.reassignAfterMinutes !== null) await reassignEscalated(ctx, inserted, candidates, outcome);
      await repo.setBookmarks(tx, tenantId, plan.bookmarks);
      return candidates.length === BATCH;
    });
    await announce(tenantId, outcome);
    return { full, counts: outcome.counts };
  }

  return {
    /**
     * One engine pass over a shop: response times measured, rules applied to the leads that are due, tasks
     * that came due announced. Safe to run at any time, as often as wanted, on any number of workers.
     */
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
      if (total.reminded === REMINDER_BATCH)
        total.reminded += await tasks.remindDueTasks(tenantId, at.toISOString());
      return total;
    },

    stampResponseTimes: responseTimes.stampResponseTimes,

    /** Registers what runs, in the pass's transaction, on the leads a pass moved to DORMANT. */
    whenDormant(hook: DormantHook) {
      dormantHooks.push(hook);
    },
  };
}

export type EngineService = ReturnType<typeof createEngineService>;
