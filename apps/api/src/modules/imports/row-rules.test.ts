import { describe, expect, it } from 'vitest';
import { checkContact, checkListing, suggestMapping } from './row-rules';

const context = {
  country: 'PE',
  currency: 'PEN',
  timezone: 'America/Lima',
  now: new Date('2026-12-07T15:00:00Z'),
};

describe('suggestMapping', () => {
  it('reads headers in Spanish, English and Portuguese, accents and case aside', () => {
    expect(suggestMapping('contacts', ['NOMBRE', 'Celular', 'E-mail', 'Etiquetas'], null)).toEqual({
      name: 'NOMBRE',
      phone: 'Celular',
      email: 'E-mail',
      tags: 'Etiquetas',
    });
    expect(
      suggestMapping('listings', ['Código', 'Produto', 'Categoria', 'Preço', 'Moeda', 'Estoque'], null),
    ).toEqual({
      sku: 'Código',
      title: 'Produto',
      category: 'Categoria',
      price: 'Preço',
      currency: 'Moeda',
      stock: 'Estoque',
    });
  });

  it('prefers the mapping remembered where the file has those headers', () => {
    expect(
      suggestMapping('contacts', ['Cliente', 'Cel. principal', 'Teléfono'], {
        phone: 'Cel. principal',
        email: 'Mail',
      }),
    ).toEqual({
      phone: 'Cel. principal',
      name: 'Cliente',
    });
  });
});

describe('checkContact', () => {
  it('normalises the phone, splits tags and reads consent with its date in the shop zone', () => {
    const checked = checkContact(
      {
        phone: '987 654 321',
        tags: 'vip; gamer|vip',
        consent: 'Sí',
        consentAt: '15/03/2026 10:30',
        email: 'A@B.PE',
      },
      context,
    );
    expect(checked).toEqual({
      ok: true,
      value: {
        phone: '+51987654321',
        name: null,
        email: 'a@b.pe',
        tags: ['vip', 'gamer'],
        consent: true,
        consentAt: '2026-03-15T15:30:00.000Z',
        consentSource: 'import',
      },
    });
  });

  it('reads an international number whose "+" a spreadsheet dropped', () => {
    expect(checkContact({ phone: '5215512345678' }, context)).toMatchObject({
      ok: true,
      value: { phone: '+525512345678' },
    });
  });

  it('gives every reason a row is refused', () => {
    const checked = checkContact(
      { phone: '12', email: 'nope', consent: 'tal vez', consentAt: '2030-01-01' },
      context,
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.rejections.map((r) => r.field)).toEqual(['phone', 'email', 'consent', 'consentAt']);
  });
});

describe('checkListing', () => {
  it('reads prices as shops write them, in the row currency or the shop', () => {
    const row = { sku: 'A1', title: 'Mouse', category: 'accesorios' };
    expect(checkListing({ ...row, price: 'S/ 2,499.90' }, context)).toMatchObject({
      ok: true,
      value: { price: 249990, currency: 'PEN', category: 'ACCESSORIES' },
    });
    expect(checkListing({ ...row, price: '2.499,90', currency: 'brl' }, context)).toMatchObject({
      ok: true,
      value: { price: 249990, currency: 'BRL' },
    });
    expect(checkListing({ ...row, price: '1.500.000', currency: 'CLP' }, context)).toMatchObject({
      ok: true,
      value: { price: 1500000 },
    });
  });

  it('refuses a bad price, category, currency or stock, naming each', () => {
    const checked = checkListing(
      { sku: 'A1', title: 'X', category: 'comida', price: '-5', currency: 'EUR', stock: '2.5' },
      context,
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.rejections.map((r) => r.field)).toEqual(['category', 'currency', 'stock']);
    const price = checkListing({ sku: 'A1', title: 'X', category: 'Laptops', price: 'gratis' }, context);
    expect(price.ok ? [] : price.rejections.map((r) => r.field)).toEqual(['price']);
  });
});
