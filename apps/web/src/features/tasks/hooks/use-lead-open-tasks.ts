import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { cancelOpenTasks, leadTasksQueryOptions, tasksKey } from '../api/tasks';

/**
 * A lead's open tasks as closing the lead sees them: how many there are (to offer closing them with it) and the
 * one call that cancels them all, saying how many it closed. `enabled: false` until there is a lead to ask about.
 */
export function useLeadOpenTasks(tenantId: string, leadId: string, { enabled = true } = {}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tasks = useQuery({ ...leadTasksQueryOptions(tenantId, leadId), enabled: enabled && leadId !== '' });
  const cancel = useApiMutation({
    mutationFn: () => cancelOpenTasks(leadId),
    onSuccess: ({ cancelled }) => {
      if (cancelled > 0) {
        notifications.show({ color: 'teal', message: t('closeLead.tasksClosed', { count: cancelled }) });
      }
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: tasksKey }),
  });
  return {
    /** Open tasks of the lead; 0 until they are known. */
    count: tasks.data?.items.length ?? 0,
    cancelAll: () => cancel.mutate(),
  };
}
