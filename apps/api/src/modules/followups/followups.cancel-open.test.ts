import { randomUUID } from 'node:crypto';
import type { Task } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp, type TestContext } from '../../../test/harness';
import { addBranch, createLeadsTestContext } from '../leads/leads.fixtures';
import {
  type FollowupShop,
  lima,
  listTasks,
  MINUTE,
  newLead,
  openFollowupShop,
  settableClock,
} from './followups.fixtures';

const clock = settableClock();
let ctx: TestContext;
let shop: FollowupShop;
let seller: FollowupShop['sellers'][number];

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  clock.set(lima('mon', '09:00'));
  shop = await openFollowupShop(ctx.app);
  [seller] = shop.sellers as [typeof seller];
});
afterAll(() => ctx.close());

type Caller = { auth: Record<string, string> };

async function addTask(leadId: string, title: string, dueInMinutes = 60, caller: Caller = seller) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/tasks`,
    headers: caller.auth,
    payload: { title, dueAt: new Date(clock.now().getTime() + dueInMinutes * MINUTE).toISOString() },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Task;
}
const cancelOpen = (leadId: string, caller: Caller = seller) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/leads/${leadId}/tasks/cancel-open`, headers: caller.auth });
const tasksOf = async (leadId: string, caller: { auth: { authorization: string } } = seller) =>
  (await listTasks(ctx.app, caller, shop.tenantId, `leadId=${leadId}`)).items.map((t: Task) => [
    t.title,
    t.status,
  ]);

describe('POST /leads/{id}/tasks/cancel-open', () => {
  it("cancels the lead's open tasks, leaves its closed ones and other leads' alone, and says how many", async () => {
    const won = await newLead(ctx.app, shop, seller);
    const other = await newLead(ctx.app, shop, seller);
    await addTask(won.id, 'Llamar mañana');
    await addTask(won.id, 'Enviar promo');
    const done = await addTask(won.id, 'Confirmar stock');
    const finished = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${done.id}`,
      headers: seller.auth,
      payload: { status: 'DONE', version: done.version },
    });
    expect(finished.statusCode, finished.body).toBe(200);
    await addTask(other.id, 'Seguir en 24 h');

    const response = await cancelOpen(won.id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ leadId: won.id, cancelled: 2 });
    expect((await tasksOf(won.id)).toSorted()).toEqual([
      ['Confirmar stock', 'DONE'],
      ['Enviar promo', 'CANCELLED'],
      ['Llamar mañana', 'CANCELLED'],
    ]);
    expect(await tasksOf(other.id)).toEqual([['Seguir en 24 h', 'OPEN']]);

    // Asked again, there is nothing left to cancel.
    expect((await cancelOpen(won.id)).json()).toEqual({ leadId: won.id, cancelled: 0 });
  });

  it("is not found for another shop's lead, or a lead of a branch the seller does not work; changes nothing", async () => {
    const lead = await newLead(ctx.app, shop, seller);
    await addTask(lead.id, 'Llamar mañana');

    const stranger = await signUp(ctx.app);
    problem(await cancelOpen(lead.id, stranger), 404);
    problem(await cancelOpen(randomUUID()), 404);

    const elsewhere = await addBranch(ctx.app, shop, 'San Isidro');
    const outsider = await addUser(ctx.app, shop, 'SELLER', [elsewhere]);
    problem(await cancelOpen(lead.id, outsider), 404);

    expect(await tasksOf(lead.id)).toEqual([['Llamar mañana', 'OPEN']]);
  });

  it('names a bad id and needs a signed-in person', async () => {
    const body = problem(await cancelOpen('not-a-uuid'), 400);
    expect(body.errors?.map((e: { path: string }) => e.path)).toEqual(['params.id']);
    problem(
      await ctx.app.inject({ method: 'POST', url: `/api/v1/leads/${randomUUID()}/tasks/cancel-open` }),
      401,
    );
  });
});
