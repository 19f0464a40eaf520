import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { Lead, LeadDetail } from '@techmarket/contracts';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../../lib/mutation';
import { isVersionConflict, problemMessage } from '../../../lib/problem-message';
import { type LeadChange, leadQueryOptions, leadsKey, updateLead } from '../api/leads';

/**
 * Moves, assigns or re-prioritises a lead with the version that was read. A 409 means someone else
 * changed it first: say so, and reload the lead so the next try starts from what is true now.
 */
export function useUpdateLead() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useApiMutation({
    mutationFn: ({ lead, change }: { lead: Pick<Lead, 'id'>; change: LeadChange }) =>
      updateLead(lead.id, change),
    // The board moves several cards: each lead is locked while its own change is in flight.
    lockPer: ({ lead }) => lead.id,
    onSuccess: (updated, { change }) => {
      queryClient.setQueryData<LeadDetail>(leadQueryOptions(updated.id).queryKey, (old) =>
        old ? { ...old, ...updated } : old,
      );
      notifications.show({
        color: 'teal',
        message: change.status
          ? t('lead.moved', { status: t(`status.${change.status}`) })
          : change.value !== undefined
            ? t('lead.valueSaved')
            : t('lead.assigned'),
      });
    },
    onError: (error) => {
      notifications.show({
        color: isVersionConflict(error) ? 'yellow' : 'red',
        title: t('errors.title'),
        message: problemMessage(error, t),
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: leadsKey }),
  });
}
