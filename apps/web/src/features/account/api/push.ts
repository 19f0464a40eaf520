import { queryOptions } from '@tanstack/react-query';
import type { PushPreferences } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

/** Which alerts I am pushed, and my quiet hours. */
export const pushPreferencesQueryOptions = queryOptions({
  queryKey: ['push-preferences'],
  queryFn: () => apiRequest<PushPreferences>('/me/push-preferences'),
});

export const savePushPreferences = (body: PushPreferences) =>
  apiRequest<PushPreferences>('/me/push-preferences', { method: 'PUT', body });
