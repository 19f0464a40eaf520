import { expect } from 'vitest';
import type { App } from '../../app';

type Caller = { auth: { authorization: string } };

export async function createQuickReply(
  app: App,
  caller: Caller & { tenantId: string },
  payload: { title: string; text: string },
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${caller.tenantId}/quick-replies`,
    headers: caller.auth,
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; title: string; text: string; version: number };
}
