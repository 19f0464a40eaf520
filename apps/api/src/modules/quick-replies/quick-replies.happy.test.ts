import { fillQuickReply } from '@techmarket/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, type SignedUp, signUp, type TestContext } from '../../../test/harness';
import { createLeadsTestContext } from '../leads/leads.fixtures';
import { createQuickReply } from './quick-replies.fixtures';

let ctx: TestContext;
let shop: SignedUp;

beforeAll(async () => {
  ctx = await createLeadsTestContext();
  shop = await signUp(ctx.app);
});
afterAll(() => ctx.close());

describe('quick replies', () => {
  it('an owner saves one with variables, and a seller of the shop reads it back', async () => {
    const created = await createQuickReply(ctx.app, shop, {
      title: 'Saludo',
      text: 'Hola {nombre}, {producto} está a {precio} con envío gratis.',
    });
    expect(created).toMatchObject({ title: 'Saludo', version: 1, tenantId: shop.tenantId });

    const seller = await addUser(ctx.app, shop, 'SELLER');
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
      headers: seller.auth,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ items: [{ id: created.id, text: created.text }], nextCursor: null });
  });

  it('a manager edits one at the version read, and deletes it', async () => {
    const manager = { ...(await addUser(ctx.app, shop, 'MANAGER')), tenantId: shop.tenantId };
    const created = await createQuickReply(ctx.app, manager, { title: 'Horario', text: 'Abrimos a las 9.' });
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/quick-replies/${created.id}`,
      headers: manager.auth,
      payload: { text: 'Abrimos de lunes a sábado a las 9.', version: 1 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      title: 'Horario',
      text: 'Abrimos de lunes a sábado a las 9.',
      version: 2,
    });

    const removed = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/quick-replies/${created.id}`,
      headers: manager.auth,
    });
    expect(removed.statusCode).toBe(204);
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${shop.tenantId}/quick-replies`,
      headers: shop.auth,
    });
    expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(created.id);
  });

  it('pages through a long list with its cursor', async () => {
    const other = await signUp(ctx.app);
    for (const n of [1, 2, 3]) await createQuickReply(ctx.app, other, { title: `R${n}`, text: `Texto ${n}` });
    const first = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${other.tenantId}/quick-replies?limit=2`,
      headers: other.auth,
    });
    expect(first.json().items.map((r: { title: string }) => r.title)).toEqual(['R1', 'R2']);
    const second = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${other.tenantId}/quick-replies?limit=2&cursor=${first.json().nextCursor}`,
      headers: other.auth,
    });
    expect(second.json()).toMatchObject({ items: [{ title: 'R3' }], nextCursor: null });
  });
});

describe('fillQuickReply', () => {
  it('fills the Spanish, Portuguese and English variables, and leaves a missing one for the seller', () => {
    const values = { name: 'Rosa', product: 'Laptop Lenovo', price: 'S/ 2,499.00' };
    expect(fillQuickReply('Hola {nombre}: {producto} a {precio}', values)).toBe(
      'Hola Rosa: Laptop Lenovo a S/ 2,499.00',
    );
    expect(fillQuickReply('Olá {nome}, {produto} por {preço}', values)).toBe(
      'Olá Rosa, Laptop Lenovo por S/ 2,499.00',
    );
    expect(fillQuickReply('Hi {Name}, {product} is {price}', { name: 'Rosa' })).toBe(
      'Hi Rosa, {product} is {price}',
    );
    // A price with "$" in it is written as is, not read as a replacement pattern.
    expect(fillQuickReply('{precio}', { price: '$ 1,299.00' })).toBe('$ 1,299.00');
  });
});
