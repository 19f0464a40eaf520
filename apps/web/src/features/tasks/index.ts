/** What other features use of tasks: the query key, task counts per lead, a lead's task list and its open tasks. */
export { taskCountsQueryOptions, tasksKey } from './api/tasks';
export { LeadTasks } from './components/lead-tasks';
export { useLeadOpenTasks } from './hooks/use-lead-open-tasks';
