import { describe, expect, it } from 'vitest';
import { type Classification, classifyLead, classifyMessage } from './index';
import { normalizeText } from './normalize';

const expectShape = (result: Classification) => {
  expect(['SALE', 'SERVICE']).toContain(result.leadType);
  expect(['HIGH', 'MEDIUM', 'LOW']).toContain(result.priority);
  expect(['es', 'pt']).toContain(result.language);
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(result.reasons.length).toBeGreaterThanOrEqual(1);
  expect(result.reasons.length).toBeLessThanOrEqual(4);
};

describe('normalizeText', () => {
  it('lowercases, strips accents, collapses stretched letters, maps emojis and numbers', () => {
    expect(normalizeText('URGENTEEEE!!! se me mojó el cel 😭🙏🏻')).toBe(
      'urgente _excl se me mojo el cel _emo_sad _emo_please',
    );
    expect(normalizeText('¿Cuánto el SSD de 1TB? S/ 250')).toBe('cuanto el ssd de _num tb _q _cur _bignum');
    expect(normalizeText('📱 precio??')).toBe('celular precio _q');
  });
});

describe('classifyMessage: the cases named in the issue', () => {
  it('installing a network and bringing the router is SERVICE (the shop acts on the work first)', () => {
    const result = classifyMessage('instalar una red en mi oficina y traer el router');
    expect(result.leadType).toBe('SERVICE');
    expect(result.category).toBe('NETWORKING');
    expectShape(result);
  });

  it('a dead phone the customer does not want fixed is a SALE', () => {
    const result = classifyMessage('se me murió el celular, no quiero arreglarlo, qué Samsung tienen');
    expect(result.leadType).toBe('SALE');
    expect(result.category).toBe('PHONES');
    expect(result.reasons).toContain('Prefiere comprar antes que reparar');
  });

  it.each([
    ['necesito un cargador de laptop para hoy, tengo clase', 'SALE'],
    ['URGENTE se me rompió la pantalla y trabajo con el celular', 'SERVICE'],
    ['mi laptop no prende y mañana sustento la tesis', 'SERVICE'],
    ['lo quiero, cómo te pago? tengo yape', 'SALE'],
    ['apartame el iphone 13 que paso en la tarde', 'SALE'],
    ['somos una empresa y necesitamos 15 laptops con factura', 'SALE'],
  ] as const)('urgency, a decision to buy or a business purchase is HIGH: %s', (text, leadType) => {
    const result = classifyMessage(text);
    expect(result.priority).toBe('HIGH');
    expect(result.leadType).toBe(leadType);
  });

  it('reports the urgency it saw, in the customer’s words', () => {
    const result = classifyMessage('necesito el celular reparado para hoy, es urgente');
    expect(result.signals.urgency).toBe(true);
    expect(result.reasons.some((reason) => reason.startsWith('Urgencia:'))).toBe(true);
  });

  it.each([
    'solo estoy mirando',
    'tal vez en diciembre compre una laptop',
    'más adelante veo lo del celular, solo preguntaba',
  ])('browsing is LOW: %s', (text) => {
    const result = classifyMessage(text);
    expect(result.priority).toBe('LOW');
    expect(result.leadType).toBe('SALE');
    expect(result.signals.browsing).toBe(true);
  });

  it('names no product for a message that names none', () => {
    expect(classifyMessage('solo estoy mirando').category).toBe('OTHER');
    expect(classifyMessage('hola').category).toBe('OTHER');
    expect(classifyMessage('necesito un cargador para hoy').category).toBe('ACCESSORIES');
  });

  it('asking price or stock without urgency is MEDIUM, even in one word', () => {
    for (const text of ['precio?', 'disponible?', 'cuánto cuesta el samsung a15?']) {
      const result = classifyMessage(text);
      expect(result, text).toMatchObject({ leadType: 'SALE', priority: 'MEDIUM' });
    }
  });

  it('detects Brazilian Portuguese', () => {
    const sale = classifyMessage('oi, quanto custa o iphone 13? vcs parcelam no cartão?');
    expect(sale).toMatchObject({ language: 'pt', leadType: 'SALE', category: 'PHONES' });
    const service = classifyMessage('meu notebook não liga, vcs consertam? preciso dele hoje pro trabalho');
    expect(service).toMatchObject({ language: 'pt', leadType: 'SERVICE', priority: 'HIGH' });
    expect(classifyMessage('hola, cuánto cuesta el iphone 13?').language).toBe('es');
  });

  it('reads emojis, typos and voice-to-text run-ons', () => {
    expect(classifyMessage('🚨🚨 se me mojo el cel 😭🙏')).toMatchObject({
      leadType: 'SERVICE',
      priority: 'HIGH',
    });
    expect(classifyMessage('kuanto sta el aifon 13 ???')).toMatchObject({
      leadType: 'SALE',
      category: 'PHONES',
    });
    expect(classifyMessage('mi lapto no prennde ke puede ser')).toMatchObject({
      leadType: 'SERVICE',
      category: 'LAPTOPS',
    });
    expect(
      classifyMessage(
        'hola buenas mire le escribo porque mi impresora epson ya no jala las hojas y quería saber cuánto me cobran por revisarla',
      ),
    ).toMatchObject({ leadType: 'SERVICE', priority: 'MEDIUM', category: 'PRINTERS' });
  });

  it('always answers within the contract', () => {
    for (const text of ['', '   ', '👍', '?', 'x'.repeat(5000), 'hola', 'ok gracias'])
      expectShape(classifyMessage(text));
  });
});

describe('classifyMessage: service told by its story, and purchases that mention a broken device', () => {
  it.each([
    ['se le cayó café encima y ahora no carga', 'es'],
    ['la pantalla parpadea desde ayer', 'es'],
    ['meu celular caiu na água e não liga', 'pt'],
  ] as const)('a symptom or an accident alone is a service need: %s', (text, language) => {
    expect(classifyMessage(text)).toMatchObject({ leadType: 'SERVICE', priority: 'MEDIUM', language });
  });

  it('a fault on something bought at the shop is a warranty claim', () => {
    const result = classifyMessage('el celular que les compré hace un mes ya no carga');
    expect(result.leadType).toBe('SERVICE');
    expect(result.reasons).toContain('Reclamo de garantía');
  });

  it('asking what the repair costs is a service need', () => {
    const result = classifyMessage('se me rajó la pantalla del celular, ¿cuánto me cobran por esto?');
    expect(result).toMatchObject({ leadType: 'SERVICE', priority: 'MEDIUM', category: 'PHONES' });
    expect(result.reasons).toContain('Pregunta cuánto cuesta la reparación');
  });

  it('maintenance wanted later is a service need, LOW', () => {
    expect(
      classifyMessage('el mes que viene quiero hacerle mantenimiento a la laptop, ¿cuánto cobran?'),
    ).toMatchObject({ leadType: 'SERVICE', priority: 'LOW' });
  });

  it.each([
    'se me rompió el mouse, ¿qué modelos tienen?',
    'no vale la pena arreglarlo, ¿qué celulares baratos hay?',
    'quebrou meu mouse, quais modelos vcs tem?',
  ])('a broken device with a wish to buy another is a SALE: %s', (text) => {
    expect(classifyMessage(text)).toMatchObject({ leadType: 'SALE', priority: 'MEDIUM' });
  });

  it('a weekday after "desde" is when the fault began, not a deadline', () => {
    expect(classifyMessage('el monitor parpadea desde el lunes').priority).toBe('MEDIUM');
    expect(classifyMessage('necesito el monitor para el lunes').priority).toBe('HIGH');
  });

  it('browsing that asks a price is LOW', () => {
    expect(classifyMessage('pura curiosidad, ¿cuánto está el iphone 16?')).toMatchObject({
      leadType: 'SALE',
      priority: 'LOW',
    });
  });
});

describe('classifyLead', () => {
  it('a lead without a message is a SALE with low confidence, MEDIUM when it came from a listing', () => {
    const bare = classifyLead({});
    expect(bare).toMatchObject({ leadType: 'SALE', priority: 'LOW', category: 'OTHER' });
    expect(bare.confidence).toBeLessThan(0.5);
    const fromListing = classifyLead({
      message: null,
      listingTitle: 'Samsung Galaxy A15 128GB',
      listingCategory: 'PHONES',
    });
    expect(fromListing).toMatchObject({ leadType: 'SALE', priority: 'MEDIUM', category: 'PHONES' });
    expect(fromListing.confidence).toBeLessThan(0.5);
    expectShape(fromListing);
  });

  it('uses the listing only for what the message leaves open', () => {
    expect(
      classifyLead({
        message: 'precio?',
        listingTitle: 'Laptop Lenovo IdeaPad 3',
        listingCategory: 'LAPTOPS',
      }),
    ).toMatchObject({
      leadType: 'SALE',
      priority: 'MEDIUM',
      category: 'LAPTOPS',
    });
    expect(
      classifyLead({
        message: 'info',
        listingTitle: 'Cambio de pantalla iPhone',
        listingCategory: 'SERVICES',
      }).leadType,
    ).toBe('SERVICE');
    const explicit = classifyLead({
      message: 'mi ps5 no prende, la reparan?',
      listingTitle: 'Laptop Lenovo IdeaPad 3',
      listingCategory: 'LAPTOPS',
    });
    expect(explicit).toMatchObject({ leadType: 'SERVICE', category: 'GAMING' });
  });

  it('ignores a listing category that is not in the catalog', () => {
    expect(classifyLead({ message: '', listingCategory: 'TOASTERS' }).category).toBe('OTHER');
  });
});
