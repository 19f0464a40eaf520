import type {
  CancelledTasks,
  createTaskBody,
  Task,
  TaskListQuery,
  updateTaskBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import type { task } from '../../db/schema';
import { branchScope, narrowScope, type Principal, type UserPrincipal } from '../../platform/auth';
import { startOfLocalDay } from '../../platform/business-time';
import type { Clock } from '../../platform/clock';
import { paginate, timeAndIdCursor } from '../../platform/cursor';
import type { Database, Tx } from '../../platform/db';
import { badField, forbidden, invalidField, notFound } from '../../platform/errors';
import type { RealtimeBus } from '../../platform/realtime';
import type { IdentityService } from '../identity';
import { versionConflict } from './policy.service';
import { createTasksRepository, type TaskRow } from './tasks.repository';

/**
 * Tasks: the engine's alerts, the reminders people set, and those other modules hand over (a campaign's
 * reactivation messages). A task goes to someone who can see its lead; a seller hands over their own only.
 * A task that comes due is announced once on the live stream (`task.due`); snoozing it announces it again.
 */

export interface TasksDeps {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findUser'>;
  realtime?: Pick<RealtimeBus, 'publish'>;
  onError?: (error: unknown) => void;
}

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
/** A task as the engine inserts it: unique in the shop by its rule key. */
export type RuleTaskRow = typeof task.$inferInsert;
export type CreateTaskInput = z.output<typeof createTaskBody>;
export type UpdateTaskInput = z.output<typeof updateTaskBody>;

/** Tasks that came due, announced per transaction. */
export const REMINDER_BATCH = 200;
const MAX_REMINDER_BATCHES = 50;

export function createTasksService({
  database,
  clock,
  identity,
  realtime,
  onError = () => undefined,
}: TasksDeps) {
  const repo = createTasksRepository();
  const now = () => clock.now().toISOString();

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
      throw invalidField(
        'assigneeUserId',
        "must be an active user of this shop who works the lead's branch",
        'ASSIGNEE_NOT_ELIGIBLE',
      );
    }
  }

  /** Publishes the tasks as `task.due`, after their transaction committed. */
  async function announce(tenantId: string, ids: string[]) {
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

  return {
    announce,

    /** Marks up to `limit` open tasks that came due as reminded, in the caller's transaction; answers their ids. */
    takeDueReminders: (tx: Tx, tenantId: string, at: string, limit: number) =>
      repo.takeDueReminders(tx, tenantId, at, limit),

    /** Announces the tasks that came due, a batch per transaction; answers how many. */
    async remindDueTasks(tenantId: string, at: string) {
      let reminded = 0;
      for (let round = 0; round < MAX_REMINDER_BATCHES; round++) {
        const ids = await database.withTenant(tenantId, (tx) =>
          repo.takeDueReminders(tx, tenantId, at, REMINDER_BATCH),
        );
        reminded += ids.length;
        await announce(tenantId, ids);
        if (ids.length < REMINDER_BATCH) break;
      }
      return reminded;
    },

    /** Inserts the engine's tasks in its transaction; a rule key already taken is skipped. Answers those inserted. */
    insertRuleTasks: (tx: Tx, rows: RuleTaskRow[]) => repo.insertRuleTasks(tx, rows),

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

    async listTasks(viewer: Principal, tenantId: string, query: TaskListQuery) {
      if (viewer.tenantId !== tenantId) throw notFound('Tenant');
      const scope = branchScope(viewer);
      const branchIds = narrowScope(scope, query.branchId);
      if (branchIds?.length === 0) return { items: [], nextCursor: null };
      let assigneeUserId = query.assignee;
      if (assigneeUserId === 'me') {
        if (viewer.kind !== 'user')
          throw badField('assignee', '"me" needs a signed-in user', 'SIGN_IN_REQUIRED');
        assigneeUserId = viewer.userId;
      }
      const cursor = query.cursor ? timeAndIdCursor.decode(query.cursor) : null;
      const after = cursor && { dueAt: cursor.at, id: cursor.id };
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
      const page = paginate(rows, query.limit, timeAndIdCursor, (row) => ({ at: row.dueAt, id: row.id }));
      return { items: page.rows, nextCursor: page.nextCursor };
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

    /**
     * Every open task of a lead, cancelled: the lead was closed and its follow-ups are moot. Cancelled, not done,
     * so one that was already overdue still counts as missed in the follow-up compliance figure.
     */
    async cancelOpenTasks(actor: UserPrincipal, leadId: string): Promise<CancelledTasks> {
      const { tenantId } = actor;
      const cancelled = await database.withTenant(tenantId, async (tx) => {
        if (!(await repo.findLead(tx, tenantId, leadId, branchScope(actor)))) throw notFound('Lead');
        return repo.cancelOpenTasksOfLead(tx, tenantId, leadId, now());
      });
      return { leadId, cancelled };
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

export type TasksService = ReturnType<typeof createTasksService>;
