import { describe, expect, it } from 'vitest';
import { weeklyHours } from './answer-words';
import { checkReplyFacts } from './llm-facts';
import { detectQuestions } from './questions';
import { type ReplyContext, suggestReply } from './replies';
import type { ReplyFacts } from './reply-facts';

const OPEN = { open: '09:00', close: '19:00' };

const FACTS: ReplyFacts = {
  currency: 'PEN',
  delivery: {
    offered: true,
    zones: [
      { name: 'Miraflores', price: 1000, days: 1 },
      { name: 'San Isidro', price: 0, days: null },
    ],
    note: null,
  },
  pickup: { offered: true, note: null },
  payment: {
    methods: ['CARD', 'YAPE', 'PLIN'],
    installments: { offered: true, maxCount: 12, interestFree: false },
    note: null,
  },
  warranty: { months: 12, note: null },
  repair: { turnaroundDays: 3, diagnosisPrice: 3000, note: null },
  address: 'Av. Larco 345, Miraflores',
  otherBranches: [],
};

const SILENT: ReplyFacts = {
  currency: 'PEN',
  delivery: { offered: null, zones: [], note: null },
  pickup: { offered: null, note: null },
  payment: { methods: [], installments: { offered: null, maxCount: null, interestFree: null }, note: null },
  warranty: { months: null, note: null },
  repair: { turnaroundDays: null, diagnosisPrice: null, note: null },
  address: null,
  otherBranches: [],
};

function reply(message: string, changes: Partial<ReplyContext> = {}) {
  const language = changes.language ?? 'es';
  return suggestReply({
    leadId: 'lead-1',
    language,
    leadType: 'SALE',
    priority: 'MEDIUM',
    action: 'REPLY_NOW',
    customerName: 'Rosa',
    shopName: 'TechMarket',
    branch: {
      name: 'Miraflores',
      zone: null,
      timezone: 'America/Lima',
      hours: {
        mon: [OPEN],
        tue: [OPEN],
        wed: [OPEN],
        thu: [OPEN],
        fri: [OPEN],
        sat: [{ open: '10:00', close: '14:00' }],
      },
    },
    product: {
      title: 'Laptop Lenovo IdeaPad 3',
      price: 189900,
      currency: 'PEN',
      stock: 2,
      category: 'LAPTOPS',
    },
    alternative: null,
    now: new Date('2026-12-07T15:00:00Z'),
    asked: detectQuestions(message),
    facts: FACTS,
    ...changes,
  });
}

describe('what the customer asked', () => {
  it.each([
    ['¿tienen la laptop en stock y hacen delivery a Miraflores?', ['STOCK', 'DELIVERY']],
    ['cuanto cuesta el envio a surco?', ['DELIVERY']],
    ['aceptan yape? y en cuantas cuotas?', ['PAYMENT']],
    [
      'cuanto me cobran por cambiar la pantalla y en cuantos dias esta listo?',
      ['REPAIR_COST', 'REPAIR_TIME'],
    ],
    ['dónde están y hasta qué hora atienden?', ['HOURS', 'LOCATION']],
    ['precio y garantía del samsung s23?', ['PRICE', 'WARRANTY']],
    ['vocês têm o iphone 13? aceitam pix?', ['STOCK', 'PAYMENT']],
    ['quanto é o frete pra Niterói?', ['DELIVERY']],
    ['quanto tempo demora o conserto do meu notebook?', ['REPAIR_TIME']],
    ['onde fica a loja e qual o horário?', ['HOURS', 'LOCATION']],
    ['o diagnóstico é pago?', ['REPAIR_COST']],
    ['hola, buenas tardes', []],
  ])('%s', (message, topics) => {
    expect(detectQuestions(message).topics).toEqual(topics);
  });

  it('names the payment methods asked about, and instalments', () => {
    expect(detectQuestions('aceptan plin o mercado pago? hay cuotas?')).toMatchObject({
      methods: ['PLIN', 'MERCADO_PAGO'],
      installments: true,
    });
  });
});

describe('replies that answer each question', () => {
  it('answers the stock and the delivery cost of the zone the customer named', () => {
    const text = reply('¿tienen la laptop en stock y hacen delivery a Miraflores?');
    expect(text).toContain(
      'Sí, tenemos Laptop Lenovo IdeaPad 3 en stock (quedan 2 unidades), a S/ 1,899.00.',
    );
    expect(text).toContain('el delivery a Miraflores cuesta S/ 10.00 y llega en 1 día');
    expect(text).toMatch(/¿Te la separo\?$/);
  });

  it('lists the zones, and leaves another zone to the seller, never a made-up cost', () => {
    const text = reply('¿hacen delivery a Chorrillos?');
    expect(text).toContain(
      'hacemos delivery a Miraflores (S/ 10.00) y San Isidro (gratis); si tu zona es otra, te confirmo el costo',
    );
    expect(text).not.toContain('Chorrillos');
  });

  it('says the seller will confirm every fact the shop has not given', () => {
    const text = reply(
      '¿hacen delivery a Miraflores? ¿aceptan yape? ¿tiene garantía? ¿dónde están? ¿cuánto demora la reparación?',
      { facts: SILENT },
    );
    expect(text).toContain('Si hacemos delivery a tu zona te lo confirmo en un momento.');
    expect(text).toContain('Los medios de pago te los confirmo en un momento.');
    expect(text).toContain('La garantía te la confirmo en un momento.');
    expect(text).toContain('La dirección de la tienda te la confirmo en un momento.');
    expect(text).not.toMatch(/S\/ 10|meses|Yape/);
  });

  it('says no to a payment method the shop does not take, and what it takes instead', () => {
    expect(reply('aceptan pix?')).toContain(
      'Por ahora no aceptamos Pix; puedes pagar con tarjeta de crédito o débito, Yape y Plin.',
    );
    expect(reply('puedo pagar con yape? en cuotas?')).toContain('Sí, aceptamos Yape');
    expect(reply('puedo pagar con yape? en cuotas?')).toContain(
      'Con tarjeta puedes pagar hasta en 12 cuotas.',
    );
  });

  it('answers warranty, hours, address and a repair from the facts', () => {
    expect(reply('cuánto de garantía tiene?')).toContain('Tiene 12 meses de garantía con nosotros.');
    expect(reply('a qué hora abren?')).toContain(
      'Atendemos de lunes a viernes de 09:00 a 19:00 y los sábados de 10:00 a 14:00.',
    );
    expect(reply('dónde quedan?')).toContain('Estamos en Av. Larco 345, Miraflores.');
    const repair = reply('cuánto cuesta reparar mi laptop y cuánto demoran?', {
      leadType: 'SERVICE',
      action: 'SCHEDULE_DIAGNOSIS',
    });
    expect(repair).toContain('El diagnóstico cuesta S/ 30.00.');
    expect(repair).toContain('El costo de la reparación te lo confirmo al revisar el equipo.');
    expect(repair).toContain('La reparación suele tomar 3 días hábiles.');
  });

  it('writes Portuguese to a Portuguese speaker', () => {
    const text = reply('vocês têm em estoque? entregam em Miraflores? aceitam pix?', { language: 'pt' });
    expect(text).toContain('Temos Laptop Lenovo IdeaPad 3 em estoque');
    expect(text).toContain('a entrega em Miraflores custa S/ 10.00');
    expect(text).toContain('No momento não aceitamos Pix');
  });

  it('says a sold-out product is sold out, agreeing with it', () => {
    const text = reply('la tienen?', {
      product: { title: 'Laptop HP Victus', price: 429900, currency: 'PEN', stock: 0, category: 'LAPTOPS' },
    });
    expect(text).toContain('Laptop HP Victus está a S/ 4,299.00, pero se nos agotó por ahora.');
  });

  it("leaves the shop's notes out rather than cutting an answer at 700 characters", () => {
    const long = 'x'.repeat(290);
    const noted: ReplyFacts = {
      ...FACTS,
      delivery: { ...FACTS.delivery, note: long },
      payment: { ...FACTS.payment, note: long },
      warranty: { ...FACTS.warranty, note: long },
    };
    const text = reply('hacen delivery a Miraflores? aceptan yape? tiene garantía? dónde están?', {
      facts: noted,
    });
    expect(text.length).toBeLessThanOrEqual(700);
    expect(text).not.toContain('xxx');
    expect(text).toContain('Estamos en Av. Larco 345');
    expect(text).toMatch(/¿Te la separo\?$/);
  });

  it('keeps the templates when nothing was asked', () => {
    expect(reply('hola')).toBe(reply('hola', { asked: undefined }));
  });

  it('writes a week of hours in either language', () => {
    expect(weeklyHours({ mon: [OPEN], tue: [OPEN], sun: [{ open: '10:00', close: '13:00' }] }, 'pt')).toBe(
      'de segunda a terça das 09:00 às 19:00 e aos domingos das 10:00 às 13:00',
    );
    expect(weeklyHours({}, 'es')).toBeNull();
  });
});

describe("the LLM's reply checked against the facts", () => {
  const amounts = [{ price: 189900, currency: 'PEN' }];

  it('takes a reply that only states the facts and the catalog', () => {
    const text =
      'Hola, soy {vendedor}. La Laptop Lenovo está a S/ 1,899.00, el delivery a Miraflores cuesta S/ 10.00, ' +
      'aceptamos Yape y tarjeta hasta en 12 cuotas, con 12 meses de garantía. No aceptamos Pix por ahora.';
    expect(checkReplyFacts(text, { facts: FACTS, amounts })).toBeNull();
  });

  it.each([
    ['El delivery a Miraflores cuesta S/ 15.00.', /amount/],
    ['Te la dejo en 1.799 soles.', /amount/],
    ['Puedes pagar con Pix o Mercado Pago.', /PIX, MERCADO_PAGO/],
    ['Tiene 2 años de garantía.', /warranty of 24 months/],
    ['Puedes pagar en 18 cuotas.', /18 instalments/],
  ])('refuses "%s"', (text, reason) => {
    expect(checkReplyFacts(text, { facts: FACTS, amounts })).toMatch(reason);
  });

  it('refuses any warranty or payment method when the shop said none', () => {
    expect(checkReplyFacts('Tiene 12 meses de garantía.', { facts: SILENT, amounts })).toMatch(/warranty/);
    expect(checkReplyFacts('Aceptamos Yape.', { facts: SILENT, amounts })).toMatch(/YAPE/);
  });
});
