import { apiRequest, setCsrfToken } from '../../../lib/api-client';
import { disablePush, forgetOfflineData } from '../../../lib/pwa';
import type { Session } from '../../../lib/session';

/** My own password: the current one is required; my other sessions end. */
export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  apiRequest<void>('/me/password', { method: 'POST', body });

/** Ends every session of mine, this one too. */
export async function logoutEverywhere(): Promise<void> {
  try {
    await disablePush().catch(() => undefined);
    await apiRequest<void>('/auth/logout-all', { method: 'POST' });
  } finally {
    setCsrfToken(null);
    await forgetOfflineData();
  }
}

/** Sets the password from a reset or invitation link, and signs in. */
export async function setPasswordFromLink(
  kind: 'reset' | 'invitation',
  body: { token: string; password: string },
): Promise<Session> {
  const path = kind === 'reset' ? '/auth/reset-password' : '/auth/accept-invitation';
  const session = await apiRequest<Session>(path, { method: 'POST', body });
  setCsrfToken(session.csrfToken);
  return session;
}
