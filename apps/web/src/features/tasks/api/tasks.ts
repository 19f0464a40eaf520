import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Task, TaskStatus } from '@techmarket/contracts';
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

export interface TaskChange {
  status?: TaskStatus;
  dueAt?: string;
  version: number;
}

export const updateTask = (taskId: string, change: TaskChange) =>
  apiRequest<Task>(`/tasks/${taskId}`, { method: 'PATCH', body: change });

export type SnoozeOption = 'hour' | 'tomorrow' | 'nextWeek';
export const snoozeOptions: readonly SnoozeOption[] = ['hour', 'tomorrow', 'nextWeek'];

/** Where a snooze moves a task: an hour from now, tomorrow 9:00 or a week from tomorrow 9:00 in the shop's zone. */
export function snoozeUntil(option: SnoozeOption, timeZone: string, now: number = Date.now()): string {
  if (option === 'hour') return new Date(now + 3_600_000).toISOString();
  const today = dayIn(now, timeZone);
  return new Date(instantAt(today, timeZone, 9, 0, option === 'tomorrow' ? 1 : 7)).toISOString();
}
