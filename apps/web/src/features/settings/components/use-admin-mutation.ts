import { notifications } from '@mantine/notifications';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fingerprintOf, useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';

/** A settings change: on success refresh the list and say "saved"; on failure say why, in words. */
export function useAdminMutation<TInput, TResult>(
  mutationFn: (input: TInput) => Promise<TResult>,
  invalidate: QueryKey,
  onDone?: (result: TResult) => void,
) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useApiMutation({
    mutationFn,
    // Lists of rows, each with its switch: one row's change does not hold back another's.
    lockPer: fingerprintOf,
    onSuccess: (result) => {
      notifications.show({ color: 'teal', message: t('settings.saved') });
      onDone?.(result);
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invalidate }),
  });
}
