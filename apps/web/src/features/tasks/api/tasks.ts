import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { CancelledTasks, FollowupRun, Task, TaskStatus } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';
import { dayIn, instantAt } from '../../../lib/zoned-time';

export type TaskDue = 'today' | 'overdue' | 'upcoming';
export const taskDues: readonly TaskDue[] = ['today', 'overdue', 'upcoming'];

/** Every task query starts with this key: the `task.due` stream event and every change refresh them all. */
export const tasksKey = ['tasks'] as const;

/** Open tasks, soonest due first; `assignee` is `me`, a user id, or undefined for everyone visible. */
export const tasksQueryOptions = (tenantId: string, due: TaskDue, assignee: string | undefined) =>
  infiniteQueryOptions({
    queryKey: [...tasksKey, tenantId, due, assignee ?? 'all'],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<{ items: Task[]; nextCursor: string | null }>(`/tenants/${tenantId}/tasks`, {
        query: { due, assignee, status: 'OPEN', limit: 50, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 15_000,
  });

/** A lead's open tasks, soonest first (a lead rarely has more than a handful). */
export const leadTasksQueryOptions = (tenantId: string, leadId: string) =>
  queryOptions({
    queryKey: [...tasksKey, tenantId, 'lead', leadId],
    queryFn: ({ signal }) =>
      apiRequest<{ items: Task[]; nextCursor: string | null }>(`/tenants/${tenantId}/tasks`, {
        query: { leadId, status: 'OPEN', limit: 50 },
        signal,
      }),
    staleTime: 15_000,
  });

export interface TaskCount {
  leadId: string;
  open: number;
  overdue: number;
}

/** Open and overdue task counts of a page of inbox rows (at most 200 leads a call). */
export const taskCountsQueryOptions = (tenantId: string, leadIds: string[]) =>
  queryOptions({
    queryKey: [...tasksKey, tenantId, 'counts', leadIds],
    queryFn: ({ signal }) =>
      apiRequest<{ items: TaskCount[] }>(`/tenants/${tenantId}/tasks/counts`, {
        query: { leadId: leadIds },
        signal,
      }),
    enabled: leadIds.length > 0,
    staleTime: 30_000,
  });

export interface NewTask {
  title: string;
  dueAt: string;
  kind?: 'FOLLOW_UP' | 'REMINDER';
  note?: string;
  assigneeUserId?: string;
}

export const createTask = (leadId: string, task: NewTask) =>
  apiRequest<Task>(`/leads/${leadId}/tasks`, { method: 'POST', body: task });

/** The follow-up engine's pass, now rather than at the next minute (OWNER, MANAGER). */
export const runFollowups = (tenantId: string) =>
  apiRequest<FollowupRun>(`/tenants/${tenantId}/followups/run`, { method: 'POST' });

export interface TaskChange {
  status?: TaskStatus;
  dueAt?: string;
  version: number;
}

export const updateTask = (taskId: string, change: TaskChange) =>
  apiRequest<Task>(`/tasks/${taskId}`, { method: 'PATCH', body: change });

export type SnoozeOption = 'hour' | 'tomorrow' | 'nextWeek';
export const snoozeOptions: readonly SnoozeOption[] = ['hour', 'tomorrow', 'nextWeek'];
/** When a new task falls due: the snooze choices and "in 24 hours" ("seguir en 24h"). */
export type DueOption = SnoozeOption | 'day';
export const dueOptions: readonly DueOption[] = ['day', 'hour', 'tomorrow', 'nextWeek'];

/** The instant of a choice: an hour or a day from now, tomorrow 9:00 or a week from tomorrow 9:00 in the shop's zone. */
export function snoozeUntil(option: DueOption, timeZone: string, now: number = Date.now()): string {
  if (option === 'hour') return new Date(now + 3_600_000).toISOString();
  if (option === 'day') return new Date(now + 86_400_000).toISOString();
  const today = dayIn(now, timeZone);
  return new Date(instantAt(today, timeZone, 9, 0, option === 'tomorrow' ? 1 : 7)).toISOString();
}

/** Every open task of the lead, cancelled (offered when the lead is won or lost). */
export const cancelOpenTasks = (leadId: string) =>
  apiRequest<CancelledTasks>(`/leads/${leadId}/tasks/cancel-open`, { method: 'POST' });
