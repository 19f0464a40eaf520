import { queryOptions } from '@tanstack/react-query';
import { useRouteContext } from '@tanstack/react-router';
import type { meResponse, sessionSchema } from '@techmarket/contracts';
import type { z } from 'zod';
import { ApiError, apiRequest, setCsrfToken } from './api-client';

export type Me = z.infer<typeof meResponse>;
export type Session = z.infer<typeof sessionSchema>;

/** The signed-in user and tenant, or null when there is no session (a 401 is an answer, not an error). */
export const meQueryOptions = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = await apiRequest<Me>('/me');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 5 * 60_000,
  retry: false,
});

/** With `tenantId` when the e-mail and password open several shops (the API answered 409 TENANT_CHOICE). */
export async function login(input: { email: string; password: string; tenantId?: string }): Promise<Session> {
  const session = await apiRequest<Session>('/auth/login', { method: 'POST', body: input });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<void>('/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
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
