import type { lostReasons } from '@techmarket/contracts';

type LostReasonName = (typeof lostReasons)[number];

/** A customer's first message about a product; `product` carries its article ("la RTX 4060"), `place` a destination. */
export type ProductOpener = (product: string, place: string) => string;

/** What customers write and what sellers note, in the country's own Spanish. */
export interface Conversation {
  saleOpeners: readonly ProductOpener[];
  /** Questions that start a sale without a product: budget, hours, directions. */
  generalOpeners: readonly string[];
  /** Repair requests: they make SERVICE leads. */
  serviceOpeners: readonly string[];
  /** Customer messages that come just before the seller moves the lead to the stage. */
  replies: {
    QUALIFIED: readonly string[];
    QUOTED: readonly string[];
    WON: readonly string[];
    LOST: readonly string[];
  };
  serviceReplies: { QUALIFIED: readonly string[]; QUOTED: readonly string[]; WON: readonly string[] };
  /** Internal notes; `{taxId}` is replaced by a made-up company tax id. */
  notes: {
    sale: readonly string[];
    service: readonly string[];
    won: readonly string[];
    lost: Readonly<Record<LostReasonName, readonly string[]>>;
  };
}

/** "de la RTX 4060", but "del iPhone 15". */
const of = (product: string) => (product.startsWith('el ') ? `del ${product.slice(3)}` : `de ${product}`);
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const peruConversation: Conversation = {
  saleOpeners: [
    (p, place) => `Hola, ¿tienen stock ${of(p)}? ¿Hacen envíos a ${place}?`,
    (p) => `Buenas tardes, ¿cuál es el precio final ${of(p)}? ¿Aceptan Yape o Plin?`,
    (p) => `Hola, vi ${p} en el marketplace. ¿Está en caja sellada y con garantía de la marca?`,
    (p) => `¿Puedo pagar ${p} en cuotas sin intereses con tarjeta?`,
    (p) => `Hola, ¿me pueden separar ${p}? Paso por la tienda mañana en la tarde.`,
    (p) => `Buenas, necesito 3 unidades ${of(p)} para mi oficina, ¿me hacen precio con factura?`,
    (p, place) => `Hola, ¿todavía tienen ${p}? ¿Cuánto cobran de delivery a ${place}?`,
    (p) => `¿${capitalized(p)} viene con boleta y garantía oficial? ¿De cuántos meses?`,
    (p) => `Hola, ¿hay algún descuento si llevo ${p} con otro producto?`,
    (p) => `Buenas noches, ¿${p} está disponible para recojo hoy?`,
    (p) => `Hola, me interesa ${p}. ¿Cuál es su último precio?`,
    (p, place) => `Buen día, ¿${p} sigue disponible? Soy de ${place}, ¿cuánto demora el envío?`,
  ],
  generalOpeners: [
    '¿A qué hora atienden los sábados?',
    'Hola, ¿dónde están ubicados exactamente? ¿Tienen estacionamiento?',
    'Hola, busco una laptop para diseño gráfico, mi presupuesto es de S/ 3,500. ¿Qué me recomiendan?',
    'Buenas, ¿qué impresora me recomiendan para un negocio pequeño? Imprimo bastante a color.',
    '¿Arman PCs gamer? Tengo unos S/ 4,000 de presupuesto.',
    'Hola, necesito un celular bueno y barato para mi mamá, hasta S/ 700.',
    '¿Venden al por mayor? Tengo una cabina de internet y necesito 5 routers.',
    'Buenas, ¿aceptan laptops usadas como parte de pago?',
  ],
  serviceOpeners: [
    'Hola, mi laptop Lenovo no enciende, ¿la revisan? ¿Cuánto cuesta el diagnóstico?',
    'Buenas, se me rompió la pantalla del Samsung A54, ¿tienen el repuesto?',
    'Quisiera hacer mantenimiento de laptop, se calienta mucho y el ventilador hace ruido.',
    'Mi PS4 no lee discos, ¿hacen reparación?',
    'Hola, ¿cambian batería de iPhone 11? ¿Cuánto demora?',
    'Necesito formatear mi laptop e instalar Windows y Office, ¿cuánto cobran?',
    'La impresora Epson L3110 bota las hojas manchadas, ¿la pueden revisar?',
    'Se me mojó el celular y ya no carga, ¿lo pueden ver hoy?',
    'Pantalla rota de Redmi Note 12, ¿cuánto sale el cambio?',
    'Mi laptop HP no enciende desde ayer, ¿atienden el sábado?',
  ],
  replies: {
    QUALIFIED: [
      'Es para mi hijo que entra a la universidad, la usará para programar.',
      'Lo necesito para la próxima semana, ¿llega a tiempo?',
      'Sí, pagaría con tarjeta. ¿Hay cuotas sin intereses?',
      'Mi presupuesto máximo es S/ 2,500, ¿qué opción me dan?',
      'Sería con factura, les paso el RUC.',
    ],
    QUOTED: [
      'Ok, ¿me envía la cotización por aquí?',
      '¿Me pasa la proforma con factura, por favor?',
      'Perfecto, mándeme el precio final con delivery incluido.',
    ],
    WON: [
      'Listo, ya hice el Yape. Le envío la captura.',
      'Ya transferí al BCP, ¿me confirma por favor?',
      'Paso hoy por la tienda a recoger, gracias.',
      'Conforme, ya me llegó el pedido. ¡Gracias!',
    ],
    LOST: [
      'Gracias, lo voy a pensar.',
      'Encontré más barato en otra tienda, gracias igual.',
      'Al final ya no lo voy a comprar por ahora.',
      'Está un poco caro para mí, gracias.',
    ],
  },
  serviceReplies: {
    QUALIFIED: [
      'Es una laptop de hace 3 años, ¿igual tiene arreglo?',
      'Puedo llevar el equipo mañana en la mañana.',
      'Ya no tiene garantía, la compré en otra tienda.',
    ],
    QUOTED: [
      '¿Cuánto sale la reparación y en cuántos días está?',
      '¿El diagnóstico se descuenta si hago la reparación?',
    ],
    WON: [
      'Ok, acepto el presupuesto, proceda con la reparación.',
      'Listo, paso a recoger el equipo el sábado.',
    ],
  },
  notes: {
    sale: [
      'Cliente pide factura a nombre de empresa, RUC {taxId}.',
      'Llamar después de las 6pm.',
      'Prefiere pagar con Yape o Plin.',
      'Pidió cotización en cuotas con tarjeta BCP.',
      'Está comparando precios con otra tienda; se le puede ofrecer un mouse de regalo.',
      'Viene a recoger el sábado por la mañana.',
      'Quiere envío por Olva Courier a provincia, cotizar flete.',
      'Separado por 24 horas, confirmar pago.',
      'Cliente recurrente, darle precio especial.',
      'No contesta llamadas, solo WhatsApp.',
      'Consultar con almacén si llega stock la próxima semana.',
      'Pidió la versión de 16GB de RAM, revisar disponibilidad.',
      'Le interesa también la garantía extendida.',
      'Quiere que le instalemos Windows y Office antes de entregar.',
    ],
    service: [
      'Equipo dejado en tienda para diagnóstico, S/ 50 de revisión.',
      'El repuesto de pantalla se pide a Lima, demora 3 días.',
      'Cliente autoriza cambio de pasta térmica y limpieza interna.',
      'Equipo con daño por líquido: se le explicó que la reparación no tiene garantía.',
      'Avisar al cliente cuando esté listo, prefiere llamada.',
    ],
    won: [
      'Pagó con transferencia BCP, entregar con boleta.',
      'Entregado en tienda, cliente conforme.',
      'Envío por Shalom, guía enviada por WhatsApp.',
      'Pagó con Yape, emitir factura a su RUC {taxId}.',
    ],
    lost: {
      PRICE: ['Le pareció caro, esperaba precio de feria.', 'Pidió descuento que no podemos dar.'],
      STOCK: ['No teníamos stock y no quiso esperar la reposición.'],
      NO_RESPONSE: [
        'No respondió después de enviar la cotización.',
        'Tres intentos por WhatsApp sin respuesta.',
      ],
      COMPETITOR: ['Compró en otra tienda de la Av. Wilson.', 'Le dieron mejores cuotas en otra tienda.'],
      OTHER: ['Cambió de opinión, ya no lo necesita.', 'Consulta duplicada, el cliente ya compró en tienda.'],
    },
  },
};

export const mexicoConversation: Conversation = {
  saleOpeners: [
    (p, place) => `Hola, ¿tienen disponible ${p}? ¿Hacen envíos a ${place}?`,
    (p) => `Buenas tardes, ¿manejan meses sin intereses para ${p}?`,
    (p) => `Hola, ¿cuál es el precio de contado ${of(p)}?`,
    (p) => `¿Me pueden apartar ${p}? Paso el sábado a la tienda.`,
    (p) => `Hola, vi ${p} en el marketplace, ¿viene en caja cerrada o es de exhibición?`,
    (p) => `¿Dan factura (CFDI)? Necesito ${p} para la oficina.`,
    (p) => `Buenas, ¿${p} tiene garantía con la marca?`,
  ],
  generalOpeners: [
    '¿Qué horario tienen el domingo?',
    'Hola, busco una pantalla de 50" para la sala, ¿qué me recomiendan?',
    '¿Tienen estacionamiento cerca de la tienda?',
  ],
  serviceOpeners: [
    'Hola, ¿reparan pantallas? La mía tiene una línea vertical.',
    'Mi laptop no prende, ¿cuánto cuesta el diagnóstico?',
    'Quiero mantenimiento para mi laptop, se calienta mucho.',
    'Se me estrelló la pantalla del celular, ¿la cambian?',
  ],
  replies: {
    QUALIFIED: ['Es para regalo, la necesito antes del viernes.', 'Pagaría con tarjeta a 6 meses.'],
    QUOTED: ['¿Me manda la cotización por aquí, porfa?', '¿Me pasa el precio con envío incluido?'],
    WON: ['Listo, ya hice la transferencia SPEI, le mando el comprobante.', 'Paso hoy a la tienda, gracias.'],
    LOST: ['Gracias, lo voy a pensar.', 'Lo encontré más barato en Liverpool, gracias.'],
  },
  serviceReplies: {
    QUALIFIED: ['Se lo llevo mañana a la tienda.'],
    QUOTED: ['¿Cuánto sale la reparación y cuántos días tarda?'],
    WON: ['Va, adelante con la reparación.'],
  },
  notes: {
    sale: [
      'Pide factura (CFDI) a nombre de su empresa, RFC {taxId}.',
      'Pagará con transferencia SPEI.',
      'Llamar después de las 6pm.',
      'Quiere meses sin intereses con Banorte.',
      'Apartado hasta el sábado.',
    ],
    service: ['Equipo en revisión, diagnóstico de $250.', 'Se pidió la refacción, llega en 5 días.'],
    won: ['Entregado en tienda, cliente satisfecho.', 'Enviado por paquetería a Zapopan.'],
    lost: {
      PRICE: ['Le pareció caro.'],
      STOCK: ['Sin existencias, no quiso esperar.'],
      NO_RESPONSE: ['No volvió a contestar.'],
      COMPETITOR: ['Compró en Liverpool.'],
      OTHER: ['Ya no lo necesita.'],
    },
  },
};
