import { randomUUID } from 'node:crypto';
import type { NextBestAction } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { productAgreement } from './agreement';
import { type Language, type ReplyContext, SELLER_SLOT, signReply, suggestReply } from './replies';

const OPEN = { open: '09:00', close: '19:00' };

function context(changes: Partial<ReplyContext> = {}): ReplyContext {
  return {
    leadId: randomUUID(),
    language: 'es',
    leadType: 'SALE',
    priority: 'MEDIUM',
    action: 'REPLY_NOW',
    customerName: 'Rosa Quispe',
    shopName: 'TechMarket Lima',
    branch: {
      name: 'Miraflores',
      zone: 'Miraflores',
      timezone: 'America/Lima',
      hours: { mon: [OPEN], tue: [OPEN], wed: [OPEN], thu: [OPEN], fri: [OPEN], sat: [OPEN], sun: [] },
    },
    product: {
      title: 'Router TP-Link Archer AX55',
      price: 34900,
      currency: 'PEN',
      stock: 2,
      category: 'NETWORKING',
    },
    alternative: null,
    now: new Date('2026-11-26T15:00:00Z'),
    ...changes,
  };
}

/**
 * Every reply the templates write for a product: each variant is picked from the lead id, so twenty fixed ids
 * reach them all (the same ones every run); urgent and calm, every sales action, in stock or not.
 */
function everyReply(product: NonNullable<ReplyContext['product']>, language: Language) {
  const actions: NextBestAction[] = ['REPLY_NOW', 'SEND_QUOTE', 'OFFER_ALTERNATIVE', 'FOLLOW_UP_LATER'];
  const replies: string[] = [];
  for (let i = 0; i < 20; i++)
    for (const action of actions)
      for (const priority of ['HIGH', 'MEDIUM'] as const)
        for (const stock of [0, 1, 5])
          replies.push(
            suggestReply(
              context({ leadId: `lead-${i}`, language, action, priority, product: { ...product, stock } }),
            ),
          );
  return replies.join('\n');
}

const product = (title: string, category: string) => ({
  title,
  category,
  price: 249900,
  currency: 'PEN',
  stock: 5,
});

describe('suggested replies: signed by whoever sends them', () => {
  it('leaves a slot for the seller, filled with the first name of the person who reads it', () => {
    const reply = suggestReply(context());
    expect(reply).toContain(`Te escribe ${SELLER_SLOT} de TechMarket Lima`);
    expect(signReply(reply, 'Lucía Torres', 'es')).toContain('Te escribe Lucía de TechMarket Lima');
    expect(signReply(reply, 'Diego Ramos', 'es')).toContain('Te escribe Diego de TechMarket Lima');
    expect(signReply(reply, 'Lucía Torres', 'es')).not.toContain(SELLER_SLOT);
  });

  it('signs by the team when nobody in particular reads it, in the reply’s language', () => {
    expect(signReply(suggestReply(context()), null, 'es')).toContain('Te escribe el equipo de');
    const pt = suggestReply(context({ language: 'pt' }));
    expect(pt).toContain(`Aqui é ${SELLER_SLOT} da TechMarket Lima`);
    expect(signReply(pt, null, 'pt')).toContain('Aqui é a equipe da');
    expect(signReply(pt, '  ', 'pt')).toContain('Aqui é a equipe da');
  });

  it('stays within the 700 characters the contract allows once signed', () => {
    const long = `${SELLER_SLOT} ${'x'.repeat(690)}`;
    expect(signReply(long, 'Maximiliana-Alejandrina Torres', 'es')).toHaveLength(700);
  });
});

describe('suggested replies: pronouns and words agree with the product', () => {
  it.each([
    ['Router TP-Link Archer AX55 WiFi 6', 'NETWORKING', 'es', 'm', false],
    ['Laptop Lenovo IdeaPad Slim 3', 'LAPTOPS', 'es', 'f', false],
    ['Laptop Lenovo IdeaPad Slim 3', 'LAPTOPS', 'pt', 'm', false],
    ['Impresora multifuncional Epson EcoTank L3250', 'PRINTERS', 'es', 'f', false],
    ['Impressora Epson EcoTank L3250', 'PRINTERS', 'pt', 'f', false],
    ['Roteador TP-Link Archer C6', 'NETWORKING', 'pt', 'm', false],
    ['Audífonos gamer HyperX Cloud Stinger 2', 'ACCESSORIES', 'es', 'm', true],
    ['iPhone 15 128GB Negro', 'PHONES', 'es', 'm', false],
    ['MacBook Air 13" chip M2', 'LAPTOPS', 'es', 'f', false],
    ['MacBook Air 13" chip M2', 'LAPTOPS', 'pt', 'm', false],
    ['Consola PlayStation 5 Slim', 'GAMING', 'es', 'f', false],
    ['Tarjeta de video MSI GeForce RTX 4060', 'COMPONENTS', 'es', 'f', false],
    ['Smart TV Samsung 55" Crystal UHD', 'OTHER', 'pt', 'f', false],
    // No noun in the title: the category's usual one.
    ['Honor X8b 8GB 256GB', 'PHONES', 'es', 'm', false],
    ['Lenovo IdeaPad 1 Ryzen 3', 'LAPTOPS', 'es', 'f', false],
    ['Epson EcoTank L3210', 'PRINTERS', 'pt', 'f', false],
  ] as const)('%s (%s, %s): %s', (title, category, language, gender, plural) => {
    expect(productAgreement({ title, category }, language)).toEqual({ gender, plural });
  });

  it('Spanish: "te lo separo" for a router, never "te la"', () => {
    const replies = everyReply(product('Router TP-Link Archer AX55', 'NETWORKING'), 'es');
    expect(replies).toMatch(/te lo separo/i);
    expect(replies).toMatch(/¿Lo necesitas/);
    expect(replies).toMatch(/¿lo recoges/);
    expect(replies).not.toMatch(/\bte la\b|¿la recoges|¿La necesitas|\blas?\b separo/i);
  });

  it('Spanish: "te la separo" for a laptop, never "te lo"', () => {
    const replies = everyReply(product('Laptop Lenovo LOQ 15', 'LAPTOPS'), 'es');
    expect(replies).toMatch(/te la separo/i);
    expect(replies).toMatch(/¿La necesitas/);
    expect(replies).not.toMatch(/\bte lo\b|¿lo recoges|¿Lo necesitas/i);
  });

  it('Spanish: plural words for a plural product ("te los separo", "están", "disponibles")', () => {
    const replies = everyReply(product('Audífonos inalámbricos JBL Tune 520BT', 'ACCESSORIES'), 'es');
    expect(replies).toMatch(/te los separo/i);
    expect(replies).toMatch(/JBL Tune 520BT están a/);
    expect(replies).toMatch(/se nos agotaron/);
    expect(replies).not.toMatch(/520BT está |disponible\b|se nos agotó|\bte l[oa]\b/);
  });

  it('Portuguese: "o seu" for a masculine product and "a sua" for a feminine one', () => {
    const router = everyReply(product('Roteador TP-Link Archer C6', 'NETWORKING'), 'pt');
    expect(router).toMatch(/separe o seu para você/);
    expect(router).not.toMatch(/a sua para você/);
    const printer = everyReply(product('Impressora Epson EcoTank L3250', 'PRINTERS'), 'pt');
    expect(printer).toMatch(/separe a sua para você/);
    expect(printer).not.toMatch(/o seu para você/);
    // One noun, two genders: "la laptop" in Spanish, "o laptop" in Portuguese.
    expect(everyReply(product('Laptop Lenovo LOQ 15', 'LAPTOPS'), 'pt')).toMatch(/separe o seu para você/);
  });

  it('Portuguese: plural words for a plural product', () => {
    const replies = everyReply(product('Fones JBL Tune 520BT', 'ACCESSORIES'), 'pt');
    expect(replies).toMatch(/520BT estão por/);
    expect(replies).toMatch(/os seus para você/);
    expect(replies).toMatch(/520BT esgotaram/);
    expect(replies).not.toMatch(/520BT está |520BT esgotou/);
  });

  it('counts one unit left in the singular', () => {
    const replies = everyReply(product('Router TP-Link Archer AX55', 'NETWORKING'), 'es');
    expect(replies).toMatch(/queda 1 unidad\b/);
    expect(replies).not.toMatch(/quedan 1 unidades/);
  });
});
