/** What other features use of tasks: the query key, task counts per lead, and a lead's task list. */
export { taskCountsQueryOptions, tasksKey } from './api/tasks';
export { LeadTasks } from './components/lead-tasks';
