import type { PaymentMethod } from '@techmarket/contracts';

/**
 * What a customer asks in a first message, in Spanish or Portuguese, so the reply answers each question (the
 * stock and the delivery of "¿tienen la laptop en stock y hacen delivery a Miraflores?"), not only the one a
 * template expects. Patterns over the message without accents and in lowercase; a message may ask several.
 */

export const questionTopics = [
  'PRICE',
  'STOCK',
  'DELIVERY',
  'PAYMENT',
  'WARRANTY',
  'HOURS',
  'LOCATION',
  'REPAIR_COST',
  'REPAIR_TIME',
] as const;
export type QuestionTopic = (typeof questionTopics)[number];

export const plainText = (text: string) =>
  ` ${text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9/$]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;

const any = (...patterns: string[]) => new RegExp(patterns.join('|'));

/** Work on a device the shop does (repairs, diagnosis, maintenance, formatting), in either language. */
const REPAIR = any(
  ' (repar|arregl|consert|arrum)[a-z]*',
  ' (cambio|cambiar|cambian|troca|trocar|trocam) (de )?(la |el |a |o )?(pantalla|bateria|tela|display|pin|puerto|conector|teclado|placa|tapa|vidrio|camara|carcasa|visor)',
  ' diagnostic',
  ' (revision|revis[a-z]*|chequeo|checar|verificar) ',
  ' (metio|entro|cayo|caiu|entrou|derramo) (agua|liquido|cafe|gaseosa)',
  ' (mantenimiento|manutencao|limpieza|limpeza|formate|formata)[a-z]*',
  ' (instalacion|instalar|instalan) (de )?(windows|sistema|office|programas|camaras)',
  ' servicio tecnico',
  ' (dejo|dejar|dejarlo|dejarla|deixo|deixar) (mi|el|la|meu|minha|o|a) ',
  ' assistencia tecnica',
  ' (no|nao) (prende|enciende|carga|funciona|liga|carrega)',
  ' (se me )?(rompio|cayo|mojo|quebr|molhou|caiu)',
);

const PRICE = any(
  ' (precio|precios|preco|precos|valor|costo|cuesta|custa) ',
  ' (cuanto|quanto|cuantos|quantos) (es|e|sale|sai|fica|cobran|cobra|cobram|seria|saldria|cuesta|custa|esta|estaria|me sale|me cobran|me cobra|le cobran|vale)',
  ' a cuanto ',
  ' (en|por) cuanto ',
  ' por quanto ',
  ' cuanto (me |te )?(sale|saldria) ',
  ' cuanto$',
  ' cuanto ',
  ' quanto ',
  ' presupuesto',
  ' orcamento',
  ' cotiza',
  ' (es|e) (gratis|gratuito|gratuita|pago|pagado|cobrado) ',
);

/** "tienen / hay / tem" asked of a product; "¿tienen delivery?" asks about delivery, not stock. */
const NOT_A_PRODUCT =
  '(delivery|envio|envios|garantia|tarjeta|tarjetas|yape|plin|pix|cuotas|local|tienda|sucursal|horario|atencion|servicio|tecnico|pago|pagos|parcel[a-z]*|loja|entrega|entregas|frete|retiro|direccion|endereco|mercado|nequi|boleto|cartao|lojas?|alguna|alguma|horarios?|meses|descuento|desconto|promocion|promo|promocao|entre|troca|cambio|devolucion|devolucao)';
const STOCK = any(
  ' (stock|estoque|disponible|disponibles|disponivel|disponiveis|disponibilidad|disponibilidade|existencia|existencias) ',
  ' (les|te|aun|todavia) (queda|quedan|quedo) ',
  ' (queda|quedan) (alguno|alguna|algun|unidades|stock|en stock) ',
  ' (ainda )?tem ainda ',
  ' ainda tem ',
  ' pronta entrega ',
  ' (agotad|esgotad)[a-z]*',
  ` (tienen|tendran|tenes|tienes|tendras|hay|habra|manejan|venden|tem|teem|voces tem|vcs tem|vc tem|teriam|vendem) (el |la |los |las |o |a |os |as |un |una |um |uma |ese |esa |esse |essa |este |esta )?(?!${NOT_A_PRODUCT} )[a-z0-9]`,
  ' (lo|la|los|las) (tienen|tienes|tenes|tendran|manejan) ',
  ' (hay|tem) \\?? ?$',
  ' (chegou|llego|llegaron|chegaram) (ya )?(o|a|el|la|os|as|los|las) ',
);

const DELIVERY = any(
  ' (delivery|deliveri|delivey|envio|envios|envian|enviar|envias|envian|mandan|mandar|despachan|despacho|despachos|reparto|repartos|domicilio|shipping) ',
  ' (hacen|haces|realizan) (delivery|envios|envio|entregas)',
  ' (llega|llegan|llegaria|chega|chegam|chegaria)( manana| hoy| amanha| hoje)? (a|al|hasta|em|ate|para|pra|no|na) ',
  ' (entregan|entregas|entrega|entregam|entregar|entregariam) ',
  ' (frete|fretes|sedex|correios|motoboy|envio|enviam|mandam|manda) ',
  ' (recojo|recoger|recogerlo|recogerla|retiro|retirar|retirarlo|retirala|retira|pickup|pick up) ',
  ' (olva|shalom|servientrega|estafeta|andreani|chilexpress|starken) ',
);

const PAYMENT = any(
  ' (pago|pagos|pagar|pago con|pagan|pagamento|pagamentos|pagar com) ',
  ' (tarjeta|tarjetas|credito|debito|cartao|cartoes|visa|mastercard|amex) ',
  ' (cuota|cuotas|meses sin intereses|msi|parcela|parcelas|parcelado|parcelar|parcelam|parcelamento|vezes|sin intereses|sem juros) ',
  ' (a|en) meses ',
  ' (yape|yapear|plin|pix|nequi|daviplata|mercado pago|mercadopago|boleto|transferencia|transferir|transfiero|deposito|efectivo|dinheiro|contra entrega|contraentrega|a vista|avista) ',
  ' aceptan ',
  ' aceitam ',
);

const WARRANTY = any(' (garantia|garantias|garantizado|garantido) ');

const HOURS = any(
  ' (horario|horarios|hora de atencion|horas de atencion) ',
  ' (a que hora|hasta que hora|que hora|que horas|ate que horas|a partir de que horas) ',
  ' (abren|abre|abrem|cierran|cierra|fecham|fecha|atienden|atiende|atendem|funcionan|funcionam|abierto|abiertos|aberto|abertos) ',
);

const LOCATION = any(
  ' (donde|adonde|onde) (voces |vcs |ustedes |uds )?(estan|ficam|esta|quedan|queda|se ubican|ubican|fica|ficam|estao|los encuentro|encuentro|puedo ir|voy|atienden|tienen la tienda|es la tienda)',
  ' (direccion|ubicacion|endereco|localizacao|ubicados|ubicada|ubicado|localizados) ',
  ' (tienda fisica|local fisico|loja fisica|sucursal|sucursales) ',
  ' (como llego|como chego|maps|google maps|waze) ',
  ' (en que parte|em que parte|que zona|qual bairro|en que distrito)',
  ' (cerca|perto) (de|del|do|da) ',
);

/** Phrases that look like a price question but ask something else: a time, or what delivery costs. */
const NOT_A_PRICE = [
  / (cuanto|quanto|cuantos|quantos) (tiempo|tempo|demora|demoran|tarda|tardan|se demora|se demoran|leva|levam|dura|dias)/g,
  / (?:(?:a )?(?:cuanto|quanto) )?(costo|precio|valor|preco|cuesta|custa|sale|cobran|fica|e|cobram|vale)( de| del| do| da| o| a| el| la)* (envio|delivery|frete|despacho|entrega|shipping|domicilio)/g,
  / (envio|frete|delivery) (es |e )?(gratis|gratuito) /g,
  / (envio|frete|delivery|domicilio)( [a-z]+){0,3} (cuanto|quanto)( es| e| sale| cuesta| custa| fica| cobran| seria)?/g,
];

/** Time a job takes: only a repair question when the message is about a repair. */
const TIME = any(
  ' (cuanto|quanto) (tiempo|tempo|demora|demoran|tarda|tardan|se demora|se demoran|leva|levam|dura)',
  ' (demora|demoram|tarda|tardan|demoran|leva) (quanto|cuanto|mucho|muito)',
  ' (en |em )?(cuantos|quantos) dias',
  ' (para|pra) (cuando|quando) ',
  ' mientras (espero|espera|esperas) ',
  ' (en el momento|na hora|al toque) ',
  ' (para|pra) (cuando|quando) (estaria|esta|estaria listo|fica|ficaria)',
  ' (fica|estaria|estara|esta) (pronto|listo|lista|pronta)',
  ' mismo dia ',
  ' mesmo dia ',
  ' (hoy mismo|hoje mesmo) ',
  ' (prazo|demora) ',
);

/** The payment methods a message names, to answer "¿aceptan Pix?" with yes or no. */
const METHOD_PATTERNS: [PaymentMethod, RegExp][] = [
  ['CARD', / (tarjeta|tarjetas|credito|debito|cartao|cartoes|visa|mastercard|amex) /],
  ['CASH', / (efectivo|cash|dinheiro|contra entrega|contraentrega) /],
  ['TRANSFER', / (transferencia|transferir|transfiero|deposito|deposit) /],
  ['YAPE', / (yape|yapear|yapeo) /],
  ['PLIN', / plin /],
  ['PIX', / pix /],
  ['MERCADO_PAGO', / (mercado pago|mercadopago) /],
  ['NEQUI', / nequi /],
  ['BOLETO', / boleto /],
];
const INSTALLMENTS =
  / (cuota|cuotas|meses sin intereses|msi|parcela|parcelas|parcelado|parcelar|parcelam|parcelamento|vezes|sin intereses|sem juros) /;

/** The payment methods a text names (`plain` as `plainText` writes it). */
export const methodsNamed = (plain: string): PaymentMethod[] =>
  METHOD_PATTERNS.filter(([, pattern]) => pattern.test(plain)).map(([method]) => method);

export interface Questions {
  topics: QuestionTopic[];
  /** The payment methods named ("¿aceptan Yape?"). */
  methods: PaymentMethod[];
  installments: boolean;
  /** The message, without accents and lowercase (for matching the shop's zone names). */
  plain: string;
}

/** The topics a customer's message asks about, in a fixed order (the order the reply answers them). */
export function detectQuestions(message: string): Questions {
  const plain = plainText(message);
  const found = new Set<QuestionTopic>();
  const repair = REPAIR.test(plain);
  // "contra entrega" is a way to pay; "el diagnóstico es pago" asks a cost.
  const deliveryAsked = DELIVERY.test(plain.replace(/ (contra ?entrega|pago en destino) /g, ' '));
  const priceText = NOT_A_PRICE.reduce((text, pattern) => text.replace(pattern, ' '), plain);
  if (PRICE.test(priceText)) found.add(repair ? 'REPAIR_COST' : 'PRICE');
  if (STOCK.test(plain) && !repair) found.add('STOCK');
  if (deliveryAsked) found.add('DELIVERY');
  if (PAYMENT.test(plain.replace(/ (es|e) (pago|pagado) /g, ' '))) found.add('PAYMENT');
  if (WARRANTY.test(plain)) found.add('WARRANTY');
  if (HOURS.test(plain)) found.add('HOURS');
  if (LOCATION.test(plain)) found.add('LOCATION');
  if (TIME.test(plain)) {
    if (repair) found.add('REPAIR_TIME');
    // "¿en cuánto tiempo llega?": a delivery time, when nothing else was asked ("tiempo de garantía" was).
    else if (found.size === 0) found.add('DELIVERY');
  }
  const methods = methodsNamed(plain);
  return {
    topics: questionTopics.filter((topic) => found.has(topic)),
    methods,
    installments: INSTALLMENTS.test(plain),
    plain,
  };
}
