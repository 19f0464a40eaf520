import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestContext } from '../../../test/harness';
import { contact, lead } from '../../db/schema';
import { normalizePhone } from '../../platform/phone';
import { click, openShop, type Shop } from '../tracking/tracking.fixtures';
import { captureTrackedClick } from './capture';
import { createLeadsTestContext, manualClock } from './leads.fixtures';
import { createLeadsRepository } from './leads.repository';

/** Codes the next reference-code draws return, before the random ones: lets a test force a clash. */
const forcedCodes = vi.hoisted(() => [] as string[]);
vi.mock('nanoid', async (importOriginal) => {
  const real = await importOriginal<typeof import('nanoid')>();
  return {
    ...real,
    customAlphabet: (alphabet: string, size: number) => {
      const draw = real.customAlphabet(alphabet, size);
      return () => forcedCodes.shift() ?? draw();
    },
  };
});

const clock = manualClock();
const leads = createLeadsRepository();
let ctx: TestContext;
let shop: Shop;

beforeAll(async () => {
  ctx = await createLeadsTestContext(clock);
  shop = await openShop(ctx.app);
});
afterAll(() => ctx.close());

/**
 * One click with the shop's key straight through captureTrackedClick, in its own transaction, as the tracking
 * service runs it (the phone read in the branch's country, as the service reads it).
 */
const capture = (visitorId: string, extra: { phone?: string; name?: string } = {}) =>
  ctx.database.withTenant(shop.tenantId, async (tx) => {
    const captured = await captureTrackedClick(tx, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      listingId: shop.listingId,
      campaignId: null,
      source: 'LISTING',
      trusted: true,
      userId: null,
      visitorId,
      phone: extra.phone === undefined ? null : (normalizePhone(extra.phone, 'PE')?.e164 ?? null),
      name: extra.name?.trim() || null,
      identityProblem: null,
      clickPayload: { source: 'LISTING' },
      message: null,
      at: clock.now().toISOString(),
    });
    if (captured.problem !== null) throw new Error(`the click was refused: ${captured.problem}`);
    return captured;
  });

describe('captureClick', () => {
  it('draws another reference code when the first one is taken, in the same transaction', async () => {
    const first = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: `v-${randomUUID()}`,
    });
    expect(first.statusCode, first.body).toBe(201);
    const taken = first.json().refCode as string;

    forcedCodes.push(taken);
    const second = await click(ctx.app, {
      tenantId: shop.tenantId,
      branchId: shop.branchId,
      visitorId: `v-${randomUUID()}`,
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(forcedCodes).toHaveLength(0);
    expect(second.json().refCode).not.toBe(taken);
    const rows = await ctx.owner.db
      .select({ id: lead.id })
      .from(lead)
      .where(and(eq(lead.tenantId, shop.tenantId), eq(lead.refCode, taken)));
    expect(rows.map((r) => r.id)).toEqual([first.json().leadId]);
    const stored = await ctx.owner.db
      .select({ refCode: lead.refCode })
      .from(lead)
      .where(eq(lead.id, second.json().leadId));
    expect(stored[0]?.refCode).toBe(second.json().refCode);
  });

  it('answers a repeat click with the open lead as it is stored, and leaves a contact it teaches nothing alone', async () => {
    const visitorId = `v-${randomUUID()}`;
    const opened = await capture(visitorId, { phone: '+51 987 222 333', name: 'Lucía' });
    expect(opened.created).toBe(true);
    const [before] = await ctx.owner.db.select().from(contact).where(eq(contact.id, opened.lead.contact.id));

    clock.advance(60_000);
    const repeat = await capture(visitorId);
    expect(repeat).toMatchObject({ created: false, refCode: opened.refCode });
    const stored = await ctx.database.withTenant(shop.tenantId, (tx) =>
      leads.findLead(tx, shop.tenantId, opened.lead.id, null),
    );
    expect(repeat.lead).toEqual(stored);
    expect(repeat.lead.lastActivityAt).toBe(clock.now().toISOString());
    expect(repeat.lead.contact).toEqual({ id: opened.lead.contact.id, name: 'Lucía', phone: '+51987222333' });

    // Nothing new about the customer: the contact row was not written (same updated_at, same row version).
    const [after] = await ctx.owner.db.select().from(contact).where(eq(contact.id, opened.lead.contact.id));
    expect(after).toEqual(before);
  });

  it('still fills in what a repeat click teaches, and only that', async () => {
    const visitorId = `v-${randomUUID()}`;
    const opened = await capture(visitorId);
    const repeat = await capture(visitorId, { phone: '987 444 555', name: 'Mateo' });
    expect(repeat.lead.contact).toEqual({ id: opened.lead.contact.id, name: 'Mateo', phone: '+51987444555' });
    const [row] = await ctx.owner.db.select().from(contact).where(eq(contact.id, opened.lead.contact.id));
    expect(row).toMatchObject({ visitorId, name: 'Mateo', phone: '+51987444555' });
  });
});
