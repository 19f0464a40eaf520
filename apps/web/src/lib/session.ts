import { queryOptions } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import type { meResponse, sessionSchema, sessionStateResponse } from '@techmarket/contracts';
import type { z } from 'zod';
import { apiRequest, setCsrfToken } from './api-client';
import { disablePush, forgetOfflineData } from './pwa';

export type Me = z.infer<typeof meResponse>;

/**
 * Whether this browser was signed in when it last asked: main.tsx fetches the signed-in shell's code beside the
 * session check only then, so that a first visit (logged out) downloads the login page's code alone. The session
 * cookie itself is httpOnly, hence this hint; storage that is blocked just means no head start.
 */
const SIGNED_IN_KEY = 'tm-signed-in';
export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}
function rememberSignedIn(signedIn: boolean) {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN_KEY, '1');
    else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // Storage blocked: the next visit only loses the head start.
  }
}
export type Session = z.infer<typeof sessionSchema>;
type SessionState = z.infer<typeof sessionStateResponse>;

/**
 * The signed-in user and tenant, or null when there is no session. Asked of `GET /session`, which answers 200
 * either way: a logged-out visit is normal, and a 401 would show as an error in the browser's console.
 */
export const meQueryOptions = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    const state = await apiRequest<SessionState>('/session');
    rememberSignedIn(state.authenticated);
    if (!state.authenticated) return null;
    const { authenticated: _, ...me } = state;
    setCsrfToken(me.csrfToken);
    return me;
  },
  staleTime: 5 * 60_000,
  retry: false,
});

/** With `tenantId` when the e-mail and password open several shops (the API answered 409 TENANT_CHOICE). */
export async function login(input: { email: string; password: string; tenantId?: string }): Promise<Session> {
  const session = await apiRequest<Session>('/auth/login', { method: 'POST', body: input });
  setCsrfToken(session.csrfToken);
  rememberSignedIn(true);
  return session;
}

/** Ends the session; this device is pushed no more and forgets the shop's pages it kept for offline use. */
export async function logout(): Promise<void> {
  try {
    await disablePush().catch(() => undefined);
    await apiRequest<void>('/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
    await forgetOfflineData();
    rememberSignedIn(false);
  }
}

/**
 * The session inside the signed-in part of the app: what the layout route's guard found. Read from
 * the route context, so that logging out (which empties the cached session) cannot pull it from
 * under screens that are still mounted until the login page replaces them.
 */
export function useSession(): Me {
  return useRouteContext({ from: '/app' }).me;
}

export const isAdmin = (me: Me) => me.user.role === 'OWNER' || me.user.role === 'MANAGER';
