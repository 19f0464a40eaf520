import { TZDate } from '@date-fns/tz';
import {
  currencies,
  type ImportKind,
  type ImportMapping,
  importFields,
  listingCategories,
  parseMoney,
} from '@techmarket/contracts';
import { isValid, parse } from 'date-fns';
import { z } from 'zod';
import { normalizePhone } from '../../platform/phone';

/**
 * What a row of a file means: which column is which (suggested from headers written in Spanish, English or
 * Portuguese), and each row checked and turned into a customer or a listing, or into the reasons it is not one.
 * The reasons are written for the shop owner who reads the report, in Spanish.
 */

/** Lower case, no accents, letters and digits only: "Teléfono móvil" and "telefono_movil" read the same. */
const simplify = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const HEADER_WORDS: Record<ImportKind, Record<string, string[]>> = {
  contacts: {
    name: [
      'nombre',
      'nombres',
      'nombrecompleto',
      'cliente',
      'name',
      'fullname',
      'customer',
      'nome',
      'nomecompleto',
    ],
    phone: [
      'telefono',
      'celular',
      'movil',
      'whatsapp',
      'tel',
      'phone',
      'mobile',
      'phonenumber',
      'telefone',
      'fone',
    ],
    email: ['email', 'correo', 'correoelectronico', 'mail', 'emailaddress'],
    tags: ['etiquetas', 'etiqueta', 'tags', 'tag', 'labels', 'marcadores'],
    consent: ['consentimiento', 'aceptamarketing', 'marketing', 'consent', 'optin', 'consentimento'],
    consentAt: [
      'fechaconsentimiento',
      'fechadeconsentimiento',
      'consentdate',
      'consentat',
      'dataconsentimento',
    ],
    consentSource: [
      'origenconsentimiento',
      'origendelconsentimiento',
      'fuenteconsentimiento',
      'consentsource',
      'origemconsentimento',
      'fonteconsentimento',
    ],
  },
  listings: {
    title: ['titulo', 'producto', 'nombre', 'descripcion', 'title', 'product', 'name', 'produto', 'nome'],
    category: ['categoria', 'category', 'rubro'],
    price: ['precio', 'precioventa', 'price', 'preco', 'valor'],
    currency: ['moneda', 'divisa', 'currency', 'moeda'],
    stock: ['stock', 'existencias', 'inventario', 'cantidad', 'quantity', 'qty', 'estoque', 'quantidade'],
    sku: ['sku', 'codigo', 'codigosku', 'code', 'referencia', 'ref', 'codigoproduto'],
  },
};

/**
 * The mapping to propose for a file: what the shop used last time for this kind (where the file has those
 * headers), then the headers recognised by name.
 */
export function suggestMapping(kind: ImportKind, headers: string[], remembered: ImportMapping | null) {
  const mapping: ImportMapping = {};
  const taken = new Set<string>();
  for (const field of importFields[kind]) {
    const header = remembered?.[field];
    if (header !== undefined && headers.includes(header) && !taken.has(header)) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  for (const field of importFields[kind]) {
    if (mapping[field] !== undefined) continue;
    const words = HEADER_WORDS[kind][field] ?? [];
    const header = headers.find((h) => !taken.has(h) && words.includes(simplify(h)));
    if (header !== undefined) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  return mapping;
}

export interface Rejection {
  field: string;
  message: string;
}

export interface RowContext {
  /** Phones written without a country code are read in the shop's country. */
  country: string;
  currency: string;
  timezone: string;
  now: Date;
  /** Phones already read in this file (raw text -> E.164 or null): a file names many customers more than once. */
  phones?: Map<string, string | null>;
}

export interface ImportedContact {
  phone: string;
  name: string | null;
  email: string | null;
  tags: string[] | null;
  consent: boolean | null;
  consentAt: string | null;
  consentSource: string | null;
}

export interface ImportedListing {
  sku: string;
  title: string;
  category: string;
  price: number;
  currency: string;
  stock: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; rejections: Rejection[] };

/** A row's cells by field, through the mapping (column positions resolved once per file). */
export function columnsOf(headers: string[], mapping: ImportMapping) {
  const positions = Object.entries(mapping).map(
    ([field, header]) => [field, headers.indexOf(header)] as const,
  );
  return (cells: string[]) => {
    const out: Record<string, string | undefined> = {};
    for (const [field, index] of positions) {
      if (index >= 0) out[field] = (cells[index] ?? '').trim();
    }
    return out;
  };
}

const MAX_TEXT = 200;
const email = z.email();
const YES = new Set(['si', 's', 'yes', 'y', 'sim', 'true', 'verdadero', 'verdadeiro', '1', 'x', 'ok']);
const NO = new Set(['no', 'n', 'nao', 'false', 'falso', '0', '']);
const DATE_FORMATS = [
  'dd/MM/yyyy HH:mm:ss',
  'dd/MM/yyyy HH:mm',
  'dd/MM/yyyy',
  'd/M/yyyy',
  'dd-MM-yyyy HH:mm',
  'dd-MM-yyyy',
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd',
];

/** A date as shops write it (day first), in the shop's time zone, or an ISO instant; null when it is neither. */
function parseDate(text: string, context: RowContext): string | null {
  if (/^\d{4}-\d\d-\d\dT/.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  const reference = new TZDate(context.now.getTime(), context.timezone);
  for (const format of DATE_FORMATS) {
    const date = parse(text, format, reference);
    if (isValid(date)) return new Date(date.getTime()).toISOString();
  }
  return null;
}

/**
 * A phone as a person or a spreadsheet wrote it: read in the shop's country, or, when that fails and it is all
 * digits, as an international number whose "+" was lost (Excel keeps 51987654321 as a number).
 */
function readPhone(raw: string, country: string) {
  const phone = normalizePhone(raw, country)?.e164;
  if (phone || !/^\d{10,15}$/.test(raw)) return phone ?? null;
  return normalizePhone(`+${raw}`, country)?.e164 ?? null;
}

/** Enough distinct phones to cover most files' repeats, at a few MB; past it the cache starts again. */
const PHONES_REMEMBERED = 50_000;

/** readPhone, once per distinct text in a file (libphonenumber's parse is most of a customer row's cost). */
function readPhoneOnce(raw: string, context: RowContext) {
  const known = context.phones?.get(raw);
  if (known !== undefined) return known;
  const phone = readPhone(raw, context.country);
  if (context.phones) {
    if (context.phones.size >= PHONES_REMEMBERED) context.phones.clear();
    context.phones.set(raw, phone);
  }
  return phone;
}

const tooLong = (field: string, value: string | undefined) =>
  value !== undefined && value.length > MAX_TEXT ? [{ field, message: `Más de ${MAX_TEXT} caracteres` }] : [];

export function checkContact(
  cells: Record<string, string | undefined>,
  context: RowContext,
): Checked<ImportedContact> {
  const rejections: Rejection[] = [];
  const rawPhone = cells.phone ?? '';
  const phone = rawPhone === '' ? null : readPhoneOnce(rawPhone, context);
  if (rawPhone === '') rejections.push({ field: 'phone', message: 'Falta el teléfono' });
  else if (!phone)
    rejections.push({
      field: 'phone',
      message: 'Teléfono no válido: escríbelo con el código de país, por ejemplo +51 987 654 321',
    });
  rejections.push(...tooLong('name', cells.name));
  const mail = cells.email ? cells.email.toLowerCase() : null;
  if (mail && !email.safeParse(mail).success)
    rejections.push({ field: 'email', message: 'Correo electrónico no válido' });
  let tags: string[] | null = null;
  if (cells.tags !== undefined) {
    tags = [
      ...new Set(
        cells.tags
          .split(/[,;|]/)
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ];
    if (tags.length > 20 || tags.some((tag) => tag.length > 40))
      rejections.push({ field: 'tags', message: 'Hasta 20 etiquetas de 40 caracteres como máximo' });
  }
  let consent: boolean | null = null;
  if (cells.consent !== undefined) {
    const word = simplify(cells.consent);
    if (YES.has(word)) consent = true;
    else if (NO.has(word)) consent = false;
    else rejections.push({ field: 'consent', message: 'Escribe sí o no' });
  }
  let consentAt: string | null = null;
  if (cells.consentAt) {
    consentAt = parseDate(cells.consentAt, context);
    if (!consentAt)
      rejections.push({ field: 'consentAt', message: 'Fecha no válida: usa dd/mm/aaaa o aaaa-mm-dd' });
    else if (new Date(consentAt).getTime() > context.now.getTime() + 86_400_000)
      rejections.push({ field: 'consentAt', message: 'La fecha está en el futuro' });
  }
  rejections.push(...tooLong('consentSource', cells.consentSource));
  if (rejections.length > 0 || !phone) return { ok: false, rejections };
  return {
    ok: true,
    value: {
      phone,
      name: cells.name || null,
      email: mail,
      tags,
      consent,
      consentAt: consent ? (consentAt ?? context.now.toISOString()) : null,
      consentSource: consent ? cells.consentSource || 'import' : null,
    },
  };
}

const CATEGORY_WORDS: Record<string, string[]> = {
  LAPTOPS: ['laptop', 'laptops', 'notebook', 'notebooks', 'portatil', 'portatiles', 'computadoraportatil'],
  PHONES: [
    'phone',
    'phones',
    'celular',
    'celulares',
    'telefono',
    'telefonos',
    'smartphone',
    'smartphones',
    'movil',
  ],
  GAMING: ['gaming', 'gamer', 'videojuegos', 'juegos', 'consolas', 'games', 'jogos'],
  NETWORKING: ['networking', 'redes', 'red', 'rede', 'routers', 'router'],
  COMPONENTS: ['components', 'componentes', 'hardware', 'partes', 'pecas'],
  ACCESSORIES: ['accessories', 'accesorios', 'acessorios', 'perifericos'],
  PRINTERS: ['printers', 'impresoras', 'impressoras', 'impresion'],
  SERVICES: ['services', 'servicios', 'servicos', 'servicio', 'servicotecnico', 'serviciotecnico'],
  OTHER: ['other', 'otros', 'otro', 'outros', 'varios'],
};
const CATEGORY_OF = new Map<string, string>(
  Object.entries(CATEGORY_WORDS).flatMap(([category, words]) => [
    [simplify(category), category],
    ...words.map((word): [string, string] => [word, category]),
  ]),
);

export function checkListing(
  cells: Record<string, string | undefined>,
  context: RowContext,
): Checked<ImportedListing> {
  const rejections: Rejection[] = [];
  const sku = cells.sku ?? '';
  if (sku === '') rejections.push({ field: 'sku', message: 'Falta el SKU' });
  else if (sku.length > 64) rejections.push({ field: 'sku', message: 'Más de 64 caracteres' });
  const title = cells.title ?? '';
  if (title === '') rejections.push({ field: 'title', message: 'Falta el título' });
  rejections.push(...tooLong('title', cells.title));
  const category = CATEGORY_OF.get(simplify(cells.category ?? ''));
  if (!category)
    rejections.push({
      field: 'category',
      message: `Categoría desconocida: usa una de ${listingCategories.join(', ')}`,
    });
  const currency = (cells.currency || context.currency).toUpperCase();
  const knownCurrency = (currencies as readonly string[]).includes(currency);
  if (!knownCurrency)
    rejections.push({
      field: 'currency',
      message: `Moneda desconocida: usa una de ${currencies.join(', ')}`,
    });
  // "S/ 2,499.00", "$ 1.500" or "R$ 10,90": the symbol is the currency column's business.
  const priceText = (cells.price ?? '').replace(/^[^\d-]+|[^\d]+$/g, '');
  const price = knownCurrency && priceText !== '' ? parseMoney(priceText, currency) : null;
  if (knownCurrency && price === null)
    rejections.push({ field: 'price', message: 'Precio no válido: un monto positivo, por ejemplo 2499.90' });
  let stock = 0;
  if (cells.stock) {
    const value = Number(cells.stock);
    if (!Number.isInteger(value) || value < 0 || value > 1_000_000)
      rejections.push({ field: 'stock', message: 'Stock no válido: un número entero de 0 a 1.000.000' });
    else stock = value;
  }
  if (rejections.length > 0 || !category || price === null) return { ok: false, rejections };
  return { ok: true, value: { sku, title, category, price, currency, stock } };
}
