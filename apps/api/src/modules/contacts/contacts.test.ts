import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { contact } from '../../db/schema';
import { AppError } from '../../platform/errors';
import { type ContactInput, createContactsService } from './contacts.service';

const contacts = createContactsService();
let ctx: TestContext;
let shop: SignedUp;

beforeAll(async () => {
  ctx = await createTestContext();
  // The database is dropped `with (force)` at the end, possibly while an idle owner connection is closing.
  ctx.owner.pool.on('error', () => {});
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

const findOrCreate = (input: Partial<ContactInput>, tenantId = shop.tenantId) =>
  ctx.database.withTenant(tenantId, (tx) =>
    contacts.findOrCreateByPhone(tx, tenantId, { defaultCountry: 'PE', ...input }),
  );

describe('contacts.findOrCreateByPhone', () => {
  it('stores the phone in E.164, read in the default country when it has no country code', async () => {
    expect(await findOrCreate({ name: 'Rosa', phone: '987 100 200' })).toMatchObject({
      name: 'Rosa',
      phone: '+51987100200',
    });
    expect((await findOrCreate({ phone: '55 1234 5678', defaultCountry: 'MX' })).phone).toBe('+525512345678');
    expect((await findOrCreate({ phone: '+55 11 9 8765 4321', defaultCountry: 'PE' })).phone).toBe(
      '+5511987654321',
    );
  });

  it('finds the same customer whatever the phone looks like', async () => {
    const first = await findOrCreate({ name: 'Jorge', phone: '+51 987-300-400' });
    const again = await findOrCreate({ phone: '987300400' });
    const withName = await findOrCreate({ name: 'Otro nombre', phone: '(+51) 987 300 400' });
    expect(again).toEqual(first);
    // The name on file is the customer's; a different one typed later does not replace it.
    expect(withName).toEqual(first);
  });

  it('fills in a name that was missing', async () => {
    const nameless = await findOrCreate({ phone: '987 500 600' });
    expect(nameless.name).toBeNull();
    const named = await findOrCreate({ name: '  Carla  ', phone: '987500600' });
    expect(named).toEqual({ ...nameless, name: 'Carla' });
    const [stored] = await ctx.owner.db.select().from(contact).where(eq(contact.id, nameless.id));
    expect(stored).toMatchObject({ name: 'Carla', version: 2 });
  });

  it('makes a new contact every time there is no phone', async () => {
    const a = await findOrCreate({ name: 'Sin teléfono' });
    const b = await findOrCreate({ name: 'Sin teléfono' });
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ name: 'Sin teléfono', phone: null });
  });

  it('refuses a phone that cannot exist with a 422 naming contact.phone', async () => {
    for (const phone of ['00000 00', 'llámame', '+51 12']) {
      const error = await findOrCreate({ phone }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'UNPROCESSABLE',
        errors: [{ path: 'contact.phone', code: 'PHONE_INVALID' }],
      });
    }
  });

  it('keeps each tenant its own contacts', async () => {
    const other = await signUp(ctx.app);
    const mine = await findOrCreate({ phone: '987 700 800' });
    const theirs = await findOrCreate({ phone: '987 700 800' }, other.tenantId);
    expect(theirs.id).not.toBe(mine.id);
  });

  it('makes one contact when the same new phone arrives many times at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => findOrCreate({ phone: '987 900 100' })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const stored = await ctx.owner.db
      .select()
      .from(contact)
      .where(and(eq(contact.tenantId, shop.tenantId), eq(contact.phone, '+51987900100')));
    expect(stored).toHaveLength(1);
  });
});
