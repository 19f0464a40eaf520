import type { Task } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, problem, signUp, type TestContext } from '../../../test/harness';
import { openStream } from '../../../test/sse';
import { addBranch, createLeadsTestContext } from '../leads/leads.fixtures';
import {
  type FollowupShop,
  lima,
  listTasks,
  MINUTE,
  newLead,
  openFollowupShop,
  runEngine,
  settableClock,
} from './followups.fixtures';

const clock = settableClock();
let ctx: TestContext;
let base: string;
let shop: FollowupShop;
let seller: FollowupShop['sellers'][number];

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  clock.set(lima('mon', '09:00'));
  shop = await openFollowupShop(ctx.app);
  [seller] = shop.sellers as [typeof seller];
});
afterAll(() => ctx.close());

const policyUrl = (tenantId: string) => `/api/v1/tenants/${tenantId}/followup-policy`;
const validPolicy = {
  newLeadAlertMinutes: 30,
  quotedFollowUpDays: 3,
  dormantAfterDays: 30,
  businessHoursOnly: true,
};

async function addTask(leadId: string, payload: Record<string, unknown>, caller = seller) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/leads/${leadId}/tasks`,
    headers: caller.auth,
    payload,
  });
}
async function createTask(leadId: string, payload: Record<string, unknown>, caller = seller): Promise<Task> {
  const response = await addTask(leadId, payload, caller);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
const patchTask = (
  t: Pick<Task, 'id' | 'version'>,
  payload: Record<string, unknown>,
  caller: { auth: Record<string, string> } = seller,
) =>
  ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/tasks/${t.id}`,
    headers: caller.auth,
    payload: { version: t.version, ...payload },
  });

describe('the follow-up policy', () => {
  it('answers the defaults until the shop sets its own, then keeps them with a version', async () => {
    const own = await signUp(ctx.app);
    const read = await ctx.app.inject({ method: 'GET', url: policyUrl(own.tenantId), headers: own.auth });
    expect(read.json()).toEqual({
      tenantId: own.tenantId,
      newLeadAlertMinutes: 60,
      quotedFollowUpDays: 2,
      dormantAfterDays: 21,
      businessHoursOnly: true,
      reassignAfterMinutes: null,
      holidays: [],
      quotedFollowUpTemplate: null,
      updatedAt: null,
      version: 0,
    });
    const put = await ctx.app.inject({
      method: 'PUT',
      url: policyUrl(own.tenantId),
      headers: own.auth,
      payload: {
        ...validPolicy,
        reassignAfterMinutes: 45,
        holidays: ['2030-07-28', '2030-07-29'],
        version: 0,
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ ...validPolicy, reassignAfterMinutes: 45, version: 1 });
    const patch = await ctx.app.inject({
      method: 'PATCH',
      url: policyUrl(own.tenantId),
      headers: own.auth,
      payload: { businessHoursOnly: false, version: 1 },
    });
    expect(patch.json()).toMatchObject({
      businessHoursOnly: false,
      newLeadAlertMinutes: 30,
      reassignAfterMinutes: 45,
      version: 2,
    });
    const stale = await ctx.app.inject({
      method: 'PUT',
      url: policyUrl(own.tenantId),
      headers: own.auth,
      payload: { ...validPolicy, version: 1 },
    });
    problem(stale, 409);
  });

  it('names the field of a bad policy, and lets only owners and managers change it', async () => {
    const bad = await ctx.app.inject({
      method: 'PUT',
      url: policyUrl(shop.tenantId),
      headers: shop.auth,
      payload: { ...validPolicy, newLeadAlertMinutes: 0, holidays: ['28/07/2030'] },
    });
    const paths = problem(bad, 400).errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['body.newLeadAlertMinutes', 'body.holidays.0']));
    problem(
      await ctx.app.inject({
        method: 'PUT',
        url: policyUrl(shop.tenantId),
        headers: seller.auth,
        payload: validPolicy,
      }),
      403,
    );
    const managerPut = await ctx.app.inject({
      method: 'PUT',
      url: policyUrl(shop.tenantId),
      headers: shop.manager.auth,
      payload: {
        newLeadAlertMinutes: 60,
        quotedFollowUpDays: 2,
        dormantAfterDays: 21,
        businessHoursOnly: true,
      },
    });
    expect(managerPut.statusCode, managerPut.body).toBe(200);
    // A seller reads the rules that apply to them.
    expect(
      (await ctx.app.inject({ method: 'GET', url: policyUrl(shop.tenantId), headers: seller.auth }))
        .statusCode,
    ).toBe(200);
  });

  it("answers 404 for another shop's policy, tasks and engine, and 401 without a login", async () => {
    const stranger = await signUp(ctx.app);
    for (const [method, url] of [
      ['GET', policyUrl(shop.tenantId)],
      ['PUT', policyUrl(shop.tenantId)],
      ['GET', `/api/v1/tenants/${shop.tenantId}/tasks`],
      ['POST', `/api/v1/tenants/${shop.tenantId}/followups/run`],
    ] as const) {
      const response = await ctx.app.inject({
        method,
        url,
        headers: stranger.auth,
        ...(method === 'PUT' ? { payload: validPolicy } : {}),
      });
      problem(response, 404);
    }
    problem(await ctx.app.inject({ method: 'GET', url: policyUrl(shop.tenantId) }), 401);
    problem(
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${shop.tenantId}/followups/run`,
        headers: seller.auth,
      }),
      403,
    );
  });
});

describe('tasks', () => {
  it('adds a reminder to a lead, lists it by due window, and marks it done', async () => {
    clock.set(lima('mon', '09:00'));
    const created = await newLead(ctx.app, shop, seller);
    const tomorrow = await createTask(created.id, { title: 'Seguir en 24h', dueAt: lima('tue', '09:00') });
    expect(tomorrow).toMatchObject({
      leadId: created.id,
      branchId: shop.branchId,
      assigneeUserId: seller.id,
      kind: 'FOLLOW_UP',
      status: 'OPEN',
      ruleKey: null,
      createdByUserId: seller.id,
      lead: { id: created.id, status: 'NEW' },
    });
    const today = await createTask(created.id, {
      title: 'Enviar promo',
      kind: 'REMINDER',
      dueAt: lima('mon', '12:00'),
    });
    const late = await createTask(created.id, { title: 'Llamar', dueAt: lima('mon', '08:30') });

    const ids = async (query: string) =>
      (await listTasks(ctx.app, seller, shop.tenantId, `leadId=${created.id}&${query}`)).items.map(
        (t) => t.id,
      );
    expect(await ids('')).toEqual([late.id, today.id, tomorrow.id]);
    expect(await ids('due=overdue')).toEqual([late.id]);
    expect(await ids('due=today')).toEqual([late.id, today.id]);
    expect(await ids('due=upcoming')).toEqual([today.id, tomorrow.id]);

    const done = await patchTask(late, { status: 'DONE' });
    expect(done.json()).toMatchObject({
      status: 'DONE',
      completedAt: clock.iso(),
      version: late.version + 1,
    });
    expect(await ids('due=overdue')).toEqual([]);
    expect(await ids('status=DONE')).toEqual([late.id]);
    problem(await patchTask(late, { status: 'OPEN' }), 409);

    const counts = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/tasks/counts?leadId=${created.id}`,
      headers: seller.auth,
    });
    expect(counts.json()).toEqual({ items: [{ leadId: created.id, open: 2, overdue: 0 }] });
  });

  it('pages the list with a cursor', async () => {
    clock.set(lima('mon', '09:00'));
    const created = await newLead(ctx.app, shop, seller);
    for (let i = 0; i < 5; i++)
      await createTask(created.id, { title: `T${i}`, dueAt: lima('wed', `1${i}:00`) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `leadId=${created.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const pageOf = await listTasks(ctx.app, seller, shop.tenantId, query);
      seen.push(...pageOf.items.map((t) => t.title));
      cursor = pageOf.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
    problem(
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${shop.tenantId}/tasks?cursor=nonsense`,
        headers: seller.auth,
      }),
      400,
    );
  });

  it('snoozes a task and announces it on the live stream when it comes due, once per due time', async () => {
    clock.set(lima('mon', '09:00'));
    const created = await newLead(ctx.app, shop, seller);
    const reminder = await createTask(created.id, { title: 'Enviar promo', dueAt: lima('mon', '09:30') });
    const stream = await openStream(`${base}/api/v1/tenants/${shop.tenantId}/stream`, seller.auth);
    try {
      const snoozed = await patchTask(reminder, { dueAt: lima('mon', '10:00') });
      expect(snoozed.json()).toMatchObject({ dueAt: lima('mon', '10:00') });
      clock.set(lima('mon', '09:45'));
      expect((await runEngine(ctx.app, shop)).reminded).toBe(0);
      clock.set(lima('mon', '10:00'));
      expect((await runEngine(ctx.app, shop)).reminded).toBeGreaterThanOrEqual(1);
      const due = await stream.next((e) => e.event === 'task.due' && JSON.parse(e.data).id === reminder.id);
      expect(JSON.parse(due.data)).toMatchObject({
        title: 'Enviar promo',
        assigneeUserId: seller.id,
        lead: { id: created.id },
      });
      clock.advance(MINUTE);
      await runEngine(ctx.app, shop);
      expect(
        stream.received.filter((e) => e.event === 'task.due' && JSON.parse(e.data).id === reminder.id),
      ).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('reassigns a task to someone who works the branch, and refuses anyone else', async () => {
    clock.set(lima('mon', '09:00'));
    const created = await newLead(ctx.app, shop, seller);
    const t = await createTask(created.id, { title: 'Llamar', dueAt: lima('mon', '15:00') });
    const [, other] = shop.sellers;
    if (!other) throw new Error('no second seller');
    const handed = await patchTask(t, { assigneeUserId: other.id });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().assigneeUserId).toBe(other.id);

    const elsewhere = await addBranch(ctx.app, shop, 'Arequipa');
    const outsider = await addUser(ctx.app, shop, 'SELLER', [elsewhere]);
    const refused = await patchTask(handed.json(), { assigneeUserId: outsider.id }, shop);
    expect(problem(refused, 422).errors?.[0]?.path).toBe('assigneeUserId');
    const badNew = await addTask(created.id, {
      title: 'x',
      dueAt: lima('mon', '15:00'),
      assigneeUserId: outsider.id,
    });
    expect(problem(badNew, 422).errors?.[0]?.path).toBe('assigneeUserId');
  });

  it('keeps a seller to the tasks and leads of their branches', async () => {
    clock.set(lima('mon', '09:00'));
    const elsewhere = await addBranch(ctx.app, shop, 'Cusco');
    const farSeller = await addUser(ctx.app, shop, 'SELLER', [elsewhere]);
    const created = await newLead(ctx.app, shop, seller);
    const t = await createTask(created.id, { title: 'Llamar', dueAt: lima('mon', '15:00') });
    problem(await addTask(created.id, { title: 'x', dueAt: lima('mon', '15:00') }, farSeller), 404);
    problem(await patchTask(t, { status: 'DONE' }, farSeller), 404);
    const theirs = await listTasks(ctx.app, farSeller, shop.tenantId);
    expect(theirs.items).toEqual([]);

    const stranger = await signUp(ctx.app);
    problem(await patchTask(t, { status: 'DONE' }, stranger), 404);
    problem(
      await addTask(
        created.id,
        { title: 'x', dueAt: lima('mon', '15:00') },
        { id: stranger.ownerId, auth: stranger.auth },
      ),
      404,
    );
  });

  it('names the field of a bad task', async () => {
    const created = await newLead(ctx.app, shop, seller);
    const response = await addTask(created.id, { title: '', dueAt: 'mañana' });
    const paths = problem(response, 400).errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.dueAt']));
    const t = await createTask(created.id, { title: 'ok', dueAt: lima('mon', '15:00') });
    problem(await patchTask(t, {}), 400);
    // A well-formed instant outside the years a database and a calendar handle is bad input, not a crash.
    const yearZero = await addTask(created.id, { title: 'x', dueAt: '0000-01-01T00:00:00Z' });
    expect(problem(yearZero, 400).errors?.map((e) => e.path)).toEqual(['body.dueAt']);
    const snoozed = await patchTask(t, { dueAt: '0000-01-01T00:00:00Z', version: t.version });
    expect(problem(snoozed, 400).errors?.map((e) => e.path)).toEqual(['body.dueAt']);
  });
});
