import { infiniteQueryOptions } from '@tanstack/react-query';
import type { Task, TaskStatus } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

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

/** Wall-clock parts of an instant in a time zone. */
function zonedParts(instant: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The instant of a wall-clock time in a time zone (two passes settle a DST edge). */
function zonedInstant(
  wall: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
) {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(guess, timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += target - seen;
  }
  return guess;
}

export type SnoozeOption = 'hour' | 'tomorrow' | 'nextWeek';
export const snoozeOptions: readonly SnoozeOption[] = ['hour', 'tomorrow', 'nextWeek'];

/** Where a snooze moves a task: an hour from now, tomorrow 9:00 or a week from tomorrow 9:00 in the shop's zone. */
export function snoozeUntil(option: SnoozeOption, timeZone: string, now: number = Date.now()): string {
  if (option === 'hour') return new Date(now + 3_600_000).toISOString();
  const today = zonedParts(now, timeZone);
  const days = option === 'tomorrow' ? 1 : 7;
  const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return new Date(
    zonedInstant(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: 9,
        minute: 0,
      },
      timeZone,
    ),
  ).toISOString();
}
