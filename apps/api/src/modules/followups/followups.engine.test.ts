import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { buildApp } from '../../app';
import { lead, leadEvent, task } from '../../db/schema';
import { createDatabase } from '../../platform/db';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import {
  DAY,
  leadEvents,
  lima,
  listTasks,
  logIn,
  MINUTE,
  moveLead,
  newLead,
  openFollowupShop,
  readLead,
  runEngine,
  setPolicy,
  settableClock,
} from './followups.fixtures';
import { FOLLOWUP_WORK_SQL } from './followups.jobs';

const clock = settableClock();
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
});
afterAll(() => ctx.close());

const tasksOfLead = (leadId: string) =>
  ctx.owner.db.select().from(task).where(eq(task.leadId, leadId)).orderBy(task.createdAt);

describe('the NEW lead alert', () => {
  it('fires after the set business minutes inside business hours, for the seller, once', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '10:00'));
    const created = await newLead(ctx.app, shop, seller);

    clock.set(lima('mon', '10:59'));
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(0);
    expect(await tasksOfLead(created.id)).toHaveLength(0);

    clock.set(lima('mon', '11:00'));
    const run = await runEngine(ctx.app, shop);
    expect(run.tasksCreated).toBe(1);
    const [alert] = await tasksOfLead(created.id);
    expect(alert).toMatchObject({
      kind: 'NEW_LEAD_ALERT',
      status: 'OPEN',
      assigneeUserId: seller.id,
      branchId: shop.branchId,
      ruleKey: `NEW_LEAD_ALERT:${created.id}:${created.statusChangedAt}`,
      // The seller has the task's window (60 business minutes) to act.
      dueAt: lima('mon', '12:00'),
    });
    const history = await leadEvents(ctx.app, shop, created.id);
    const due = history.filter((e) => e.type === 'FOLLOWUP_DUE');
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({
      actorUserId: null,
      payload: { rule: 'NEW_LEAD_ALERT', taskId: alert?.id, dueAt: lima('mon', '11:00') },
    });

    // The seller sees it in their list, due today.
    const mine = await listTasks(ctx.app, seller, shop.tenantId, 'assignee=me&due=today');
    expect(mine.items.map((t) => t.id)).toEqual([alert?.id]);
    expect(mine.items[0]?.lead).toMatchObject({
      id: created.id,
      status: 'NEW',
      contact: { name: 'Rosa Quispe' },
    });

    // Nothing more is due for this lead until it goes dormant: later passes do not even read it.
    clock.set(lima('mon', '15:00'));
    expect(await runEngine(ctx.app, shop)).toMatchObject({ evaluated: 0, tasksCreated: 0 });
    expect(await tasksOfLead(created.id)).toHaveLength(1);
  });

  it('does not count the time the branch is closed', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '17:30'));
    const created = await newLead(ctx.app, shop, seller);

    // 16 hours later by the clock, but only 30 open minutes (17:30-18:00).
    clock.set(lima('tue', '09:29'));
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(0);
    clock.set(lima('tue', '09:30'));
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(1);
    expect(await tasksOfLead(created.id)).toMatchObject([
      { kind: 'NEW_LEAD_ALERT', dueAt: lima('tue', '10:30') },
    ]);
  });

  it('skips the shop holidays, and counts the clock when the policy says so', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    await setPolicy(ctx.app, shop, { holidays: ['2030-03-05'] });
    clock.set(lima('mon', '17:30'));
    const held = await newLead(ctx.app, shop, seller, { contact: { name: 'Feriado' } });
    clock.set(lima('tue', '12:00'));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(held.id)).toHaveLength(0);
    clock.set(lima('wed', '09:30'));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(held.id)).toHaveLength(1);

    const clockShop = await openFollowupShop(ctx.app);
    const [clockSeller] = clockShop.sellers;
    if (!clockSeller) throw new Error('no seller');
    await setPolicy(ctx.app, clockShop, { businessHoursOnly: false, newLeadAlertMinutes: 30 });
    clock.set(lima('sat', '20:00'));
    const weekend = await newLead(ctx.app, clockShop, clockSeller);
    clock.set(lima('sat', '20:30'));
    await runEngine(ctx.app, clockShop);
    expect(await tasksOfLead(weekend.id)).toMatchObject([
      { kind: 'NEW_LEAD_ALERT', dueAt: lima('sat', '21:30') },
    ]);
  });

  it('is closed as done when the seller answers, at the time of the answer', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '10:00'));
    const created = await newLead(ctx.app, shop, seller);
    clock.set(lima('mon', '11:05'));
    await runEngine(ctx.app, shop);
    clock.set(lima('mon', '11:20'));
    await moveLead(ctx.app, seller, created.id, { status: 'CONTACTED' });
    clock.set(lima('mon', '11:21'));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(created.id)).toMatchObject([
      { kind: 'NEW_LEAD_ALERT', status: 'DONE', completedAt: lima('mon', '11:20') },
    ]);
  });

  it("alerts the branch's manager when nobody has the lead", async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '10:00'));
    const created = await newLead(ctx.app, shop, seller);
    // Its seller left the shop's roster before answering: the lead has no one.
    await ctx.owner.db.update(lead).set({ assignedToUserId: null }).where(eq(lead.id, created.id));

    clock.set(lima('mon', '11:00'));
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(1);
    const [alert] = await tasksOfLead(created.id);
    expect(alert).toMatchObject({ kind: 'NEW_LEAD_ALERT', assigneeUserId: shop.manager.id });
  });

  it('escalates to a manager and reassigns the lead after the second period', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [first, second] = shop.sellers;
    if (!first || !second) throw new Error('no sellers');
    await setPolicy(ctx.app, shop, { reassignAfterMinutes: 30 });
    clock.set(lima('mon', '10:00'));
    const created = await newLead(ctx.app, shop, first);

    clock.set(lima('mon', '11:00'));
    expect(await runEngine(ctx.app, shop)).toMatchObject({ tasksCreated: 1, reassigned: 0 });
    clock.set(lima('mon', '11:30'));
    expect(await runEngine(ctx.app, shop)).toMatchObject({ tasksCreated: 1, reassigned: 1 });

    const after = await readLead(ctx.app, shop, created.id);
    expect(after.assignedToUserId).toBe(second.id);
    const tasks = await tasksOfLead(created.id);
    expect(tasks.map((t) => [t.kind, t.assigneeUserId])).toEqual([
      // The alert follows the lead to its new seller.
      ['NEW_LEAD_ALERT', second.id],
      ['ESCALATION', shop.manager.id],
    ]);
    const history = await leadEvents(ctx.app, shop, created.id);
    expect(history.filter((e) => e.type === 'ASSIGNED').at(-1)).toMatchObject({
      actorUserId: null,
      payload: { fromUserId: first.id, toUserId: second.id, reason: 'UNANSWERED' },
    });
    expect(history.filter((e) => e.type === 'FOLLOWUP_DUE').map((e) => e.payload.rule)).toEqual([
      'NEW_LEAD_ALERT',
      'ESCALATION',
    ]);
  });
});

describe('the QUOTED follow-up', () => {
  it('asks for a follow-up with a suggested message after the set days without a customer reply', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '10:00'));
    const quoted = await newLead(ctx.app, shop, seller);
    const replied = await newLead(ctx.app, shop, seller, { contact: { name: 'Jorge' } });
    clock.set(lima('mon', '10:10'));
    const moved = await moveLead(ctx.app, seller, quoted.id, { status: 'QUOTED' });
    await moveLead(ctx.app, seller, replied.id, { status: 'QUOTED' });
    // The second customer answers the quote on Tuesday.
    const [repliedRow] = await ctx.owner.db.select().from(lead).where(eq(lead.id, replied.id));
    await ctx.owner.db.insert(leadEvent).values({
      tenantId: shop.tenantId,
      leadId: replied.id,
      type: 'MESSAGE_RECEIVED',
      payload: { channel: 'WHATSAPP', text: 'Lo pienso y te aviso' },
      actorUserId: null,
      createdAt: lima('tue', '12:00'),
    });
    expect(repliedRow?.status).toBe('QUOTED');

    clock.set(lima('wed', '10:09'));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(quoted.id)).toHaveLength(0);
    clock.set(lima('wed', '10:10'));
    await runEngine(ctx.app, shop);
    const [followUp] = await tasksOfLead(quoted.id);
    expect(followUp).toMatchObject({
      kind: 'FOLLOW_UP',
      assigneeUserId: seller.id,
      ruleKey: `QUOTED_FOLLOW_UP:${quoted.id}:${moved.statusChangedAt}`,
    });
    expect(followUp?.suggestedMessage).toMatch(/^¡Hola Rosa Quispe! ¿Pudiste revisar la cotización/);
    expect(await tasksOfLead(replied.id)).toHaveLength(0);
  });

  it('waits for the next opening when the days end while the branch is closed', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('thu', '17:00'));
    const created = await newLead(ctx.app, shop, seller);
    await moveLead(ctx.app, seller, created.id, { status: 'QUOTED' });
    // Two days later is Saturday 17:00: closed until Monday 09:00.
    clock.set(lima('sun', '23:00'));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(created.id)).toHaveLength(0);
    clock.set(lima('mon', '09:00', 1));
    await runEngine(ctx.app, shop);
    expect(await tasksOfLead(created.id)).toMatchObject([{ kind: 'FOLLOW_UP' }]);
  });
});

describe('DORMANT', () => {
  it('moves an idle open lead to DORMANT as the system, with FOLLOWUP_DUE, and cancels its open tasks', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('mon', '10:00'));
    const idle = await newLead(ctx.app, shop, seller);
    const busy = await newLead(ctx.app, shop, seller, { contact: { name: 'Activa' } });
    clock.set(lima('mon', '11:00'));
    await runEngine(ctx.app, shop); // both get their alert
    await moveLead(ctx.app, seller, busy.id, { status: 'CONTACTED' });

    clock.set(new Date(Date.parse(lima('mon', '10:00')) + 21 * DAY - MINUTE).toISOString());
    shop.auth = await logIn(ctx.app, shop.email);
    expect((await runEngine(ctx.app, shop)).dormant).toBe(0);
    clock.advance(MINUTE);
    const run = await runEngine(ctx.app, shop);
    expect(run.dormant).toBe(1);

    const moved = await readLead(ctx.app, shop, idle.id);
    expect(moved).toMatchObject({ status: 'DORMANT', statusChangedAt: clock.iso(), firstResponseAt: null });
    expect(moved.version).toBeGreaterThan(idle.version);
    const history = await leadEvents(ctx.app, shop, idle.id);
    expect(history.find((e) => e.type === 'STATUS_CHANGED')).toMatchObject({
      actorUserId: null,
      payload: { from: 'NEW', to: 'DORMANT', reason: 'INACTIVE', inactiveDays: 21 },
    });
    expect(history.filter((e) => e.type === 'FOLLOWUP_DUE').map((e) => e.payload.rule)).toEqual([
      'NEW_LEAD_ALERT',
      'DORMANT',
    ]);
    expect(await tasksOfLead(idle.id)).toMatchObject([{ kind: 'NEW_LEAD_ALERT', status: 'CANCELLED' }]);
    // The other lead was worked 70 minutes later: it has 70 minutes to go.
    expect((await readLead(ctx.app, shop, busy.id)).status).toBe('CONTACTED');
    clock.advance(70 * MINUTE);
    expect((await runEngine(ctx.app, shop)).dormant).toBe(1);
    expect((await runEngine(ctx.app, shop)).dormant).toBe(0);
  });
});

describe('idempotence and concurrency', () => {
  it('creates each task once when the engine runs twice, and when it runs on two instances at once', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('tue', '10:00'));
    const leads = [];
    for (let i = 0; i < 6; i++)
      leads.push(await newLead(ctx.app, shop, seller, { contact: { name: `C${i}` } }));

    clock.set(lima('tue', '11:00'));
    // Twice in a row: the second pass finds nothing to do.
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(6);
    expect((await runEngine(ctx.app, shop)).tasksCreated).toBe(0);

    // Now the QUOTED follow-ups of all six, due at once, on two app instances (own pools, same database).
    for (const created of leads) await moveLead(ctx.app, seller, created.id, { status: 'QUOTED' });
    const database = createDatabase({ appUrl: ctx.appUrl, poolSize: 5 });
    const second = await buildApp({ config: ctx.config, database, clock });
    try {
      clock.set(lima('thu', '11:00'));
      const runs = await Promise.all([
        runEngine(ctx.app, shop),
        runEngine(second, shop),
        runEngine(ctx.app, shop),
        runEngine(second, shop),
      ]);
      expect(runs.reduce((sum, r) => sum + r.tasksCreated, 0)).toBe(6);
    } finally {
      await second.close();
      await database.close();
    }
    const rows = await ctx.owner.db.select().from(task).where(eq(task.tenantId, shop.tenantId));
    expect(rows.filter((t) => t.kind === 'FOLLOW_UP')).toHaveLength(6);
    expect(new Set(rows.map((t) => t.ruleKey)).size).toBe(rows.length);
    const dueEvents = await ctx.owner.db
      .select()
      .from(leadEvent)
      .where(and(eq(leadEvent.tenantId, shop.tenantId), eq(leadEvent.type, 'FOLLOWUP_DUE')));
    expect(dueEvents).toHaveLength(12);
  });

  it('lets the database refuse a second task for the same rule, lead and stage entry', async () => {
    const shop = await openFollowupShop(ctx.app);
    const [seller] = shop.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('tue', '10:00'));
    const created = await newLead(ctx.app, shop, seller);
    const row = {
      tenantId: shop.tenantId,
      leadId: created.id,
      branchId: shop.branchId,
      kind: 'NEW_LEAD_ALERT' as const,
      title: 'x',
      dueAt: clock.iso(),
      ruleKey: `NEW_LEAD_ALERT:${created.id}:${created.statusChangedAt}`,
    };
    await ctx.owner.db.insert(task).values(row);
    await expect(ctx.owner.db.insert(task).values(row)).rejects.toThrow();
    const inserted = await ctx.owner.db.insert(task).values(row).onConflictDoNothing().returning();
    expect(inserted).toHaveLength(0);
  });

  it('finds the shops with work for the worker sweep, and not the others', async () => {
    const busy = await openFollowupShop(ctx.app);
    const quiet = await openFollowupShop(ctx.app);
    const [seller] = busy.sellers;
    if (!seller) throw new Error('no seller');
    clock.set(lima('tue', '10:00'));
    await newLead(ctx.app, busy, seller);
    const { rows } = await ctx.owner.pool.query<{ id: string }>(FOLLOWUP_WORK_SQL);
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(busy.tenantId);
    expect(ids).not.toContain(quiet.tenantId);
  });
});
