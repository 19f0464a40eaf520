import type { listingCategories } from '@techmarket/contracts';
import type { Language } from './replies';

/**
 * The grammatical gender and number of a product, so a reply can say "te lo separo" of a router and "te la
 * separo" of a laptop. A listing's title usually opens with its noun ("Router TP-Link…", "Impresora Epson…"),
 * else with a brand whose product line is known ("iPhone 15", "MacBook Air"): the first word of the title
 * found below decides; a title with none takes its category's usual noun. Some nouns change gender between
 * the languages ("la laptop", "o notebook"), so an entry may give one for each.
 */

export type Agreement = { gender: 'm' | 'f'; plural: boolean };
type Noun = 'm' | 'f' | 'mp' | 'fp';
type Entry = Noun | { es: Noun; pt: Noun };
type ListingCategory = (typeof listingCategories)[number];

const NOUNS: Record<string, Entry> = {
  // Phones and tablets
  celular: 'm',
  celulares: 'mp',
  telefono: 'm',
  smartphone: 'm',
  iphone: 'm',
  galaxy: 'm',
  redmi: 'm',
  poco: 'm',
  moto: 'm',
  pixel: 'm',
  ipad: 'm',
  tablet: { es: 'f', pt: 'm' },
  smartwatch: 'm',
  reloj: 'm',
  relogio: 'm',
  // Computers
  laptop: { es: 'f', pt: 'm' },
  notebook: { es: 'f', pt: 'm' },
  macbook: { es: 'f', pt: 'm' },
  computadora: 'f',
  computador: 'm',
  pc: { es: 'f', pt: 'm' },
  // Gaming
  consola: { es: 'f', pt: 'm' },
  console: 'm',
  playstation: { es: 'f', pt: 'm' },
  nintendo: { es: 'f', pt: 'm' },
  xbox: 'm',
  juego: 'm',
  jogo: 'm',
  mando: 'm',
  control: 'm',
  controle: 'm',
  joystick: 'm',
  silla: 'f',
  cadeira: 'f',
  // Networking
  router: 'm',
  roteador: 'm',
  repetidor: 'm',
  switch: 'm',
  modem: 'm',
  access: 'm',
  sistema: 'm',
  kit: 'm',
  antena: 'f',
  camara: 'f',
  camera: 'f',
  webcam: 'f',
  // Components
  procesador: 'm',
  processador: 'm',
  tarjeta: 'f',
  placa: 'f',
  memoria: 'f',
  ssd: 'm',
  disco: 'm',
  fuente: 'f',
  fonte: 'f',
  gabinete: 'm',
  // Accessories
  mouse: 'm',
  teclado: 'm',
  combo: 'm',
  monitor: 'm',
  cargador: 'm',
  carregador: 'm',
  cable: 'm',
  cabo: 'm',
  audifonos: 'mp',
  auriculares: 'mp',
  fone: 'm',
  fones: 'mp',
  parlante: 'm',
  parlantes: 'mp',
  funda: 'f',
  capa: 'f',
  mochila: 'f',
  bateria: 'f',
  // Printers
  impresora: 'f',
  impressora: 'f',
  multifuncional: 'f',
  botella: 'f',
  tinta: 'f',
  toner: 'm',
  cartucho: 'm',
  // Screens
  tv: 'f',
  tele: 'f',
  televisor: 'm',
  proyector: 'm',
  projetor: 'm',
  drone: 'm',
  // Services
  servicio: 'm',
  servico: 'm',
  mantenimiento: 'm',
  instalacion: 'f',
  reparacion: 'f',
};

/** The noun a listing of a category usually is, when its title names none ("Honor X8b" is a phone). */
const BY_CATEGORY: Record<ListingCategory, Entry> = {
  LAPTOPS: { es: 'f', pt: 'm' },
  PHONES: 'm',
  GAMING: 'm',
  NETWORKING: 'm',
  COMPONENTS: 'm',
  ACCESSORIES: 'm',
  PRINTERS: 'f',
  SERVICES: 'm',
  OTHER: 'm',
};

const words = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .match(/[a-z0-9]+/g) ?? [];

function agreementOf(entry: Entry, language: Language): Agreement {
  const noun = typeof entry === 'string' ? entry : entry[language];
  return { gender: noun.startsWith('f') ? 'f' : 'm', plural: noun.endsWith('p') };
}

export function productAgreement(
  product: { title: string; category?: string | null },
  language: Language,
): Agreement {
  for (const word of words(product.title)) {
    const entry = NOUNS[word];
    if (entry) return agreementOf(entry, language);
  }
  const category = product.category as ListingCategory | null | undefined;
  return agreementOf((category && BY_CATEGORY[category]) || 'm', language);
}
