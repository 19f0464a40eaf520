/**
 * What a customer writes goes to an outside LLM provider only after the personal data in it is replaced:
 * e-mails (also written out as "x [at] gmail.com" or "x arroba gmail punto com"), phones and document
 * numbers in any separator style ("987/654/321", "987_654_321", "(01) 234-5678"), and street addresses
 * as Peru, the rest of Spanish-speaking Latin America and Brazil write them ("Av. Larco 345",
 * "Jr. de la Unión 512", "Calle 5 #23-45", "Rua Augusta, 1500", "Mz. B Lt. 12").
 *
 * The npm redactors we tried (openredaction, @redactpii/node) caught none of those forms, nor any phone
 * written the way people write them here; hence these rules, each with its cases in redact.test.ts.
 * Product talk stays readable: prices after a currency sign, model numbers ("RTX 4060", "i7-13700H") and
 * storage sizes have fewer than 7 digits in a row.
 */

const AT = String.raw`(?:\s*@\s*|\s*[[({<]\s*(?:at|arroba)\s*[\])}>]\s*|\s+(?:at|arroba)\s+)`;
const DOT = String.raw`(?:\s*\.\s*|\s*[[({<]\s*(?:dot|punto|ponto)\s*[\])}>]\s*|\s+(?:dot|punto|ponto)\s+)`;
const LABEL = String.raw`[\p{L}\d](?:[\p{L}\d-]*[\p{L}\d])?`;
/** Webmail names that identify the provider even when ".com" is left out ("rosa arroba gmail"). */
const PROVIDER = '(?:gmail|hotmail|outlook|yahoo|icloud|live|msn|protonmail|proton|uol|bol|terra)';

const EMAIL = new RegExp(
  String.raw`[\p{L}\d._%+-]+${AT}(?:${LABEL}(?:${DOT}${LABEL})+|${PROVIDER}\b)`,
  'giu',
);

/**
 * A run of 7 or more digits, with up to three separators of any usual kind between two digits: spaces,
 * dots, dashes, slashes, underscores, backslashes and parentheses. Commas are left out so that "12,499.00"
 * stays a price.
 */
const DIGIT_RUN = /\+?\(?\d(?:[\s./_\\()-]{0,3}\d){6,}/g;
/** A price: the run follows a currency sign or code. */
const CURRENCY_BEFORE = /(?:S\/|R\$|US\$|\$|€|\b(?:USD|PEN|BRL|CLP|COP|MXN|ARS|soles|reais))\s*$/i;

const STREET_TYPES = [
  'avenida',
  'avda',
  'av',
  'jir[oó]n',
  'jr',
  'calle',
  'cll',
  'cl',
  'carrera',
  'cra',
  'kr',
  'pasaje',
  'psje',
  'pje',
  'prolongaci[oó]n',
  'prol',
  'malec[oó]n',
  'alameda',
  'camino',
  'carretera',
  'ctra',
  'diagonal',
  'transversal',
  'calzada',
  'paseo',
  'boulevard',
  'bulevar',
  'blvd',
  'rua',
  'travessa',
  'pra[cç]a',
  'estrada',
  'rodovia',
].join('|');
/** One word of a street's name: "Larco", "de", "Unión", "28", "O'Higgins". A comma only before the number. */
const NAME_WORD = String.raw`[\p{L}\d][\p{L}\d'’.]*`;
const HOUSE_NUMBER = String.raw`(?:(?:n[°ºo.]?|nro\.?|n[uú]m(?:ero)?\.?|#)\s*)?\d{1,5}[a-z]?(?:\s*[-–]\s*\d{1,5}[a-z]?)?`;
const UNIT = String.raw`(?:\s*,?\s*(?:dpto|depto|dep|apto|apt|of|int|piso|casa|bloco|bl|sala)\.?\s*\d{1,5}[a-z]?)?`;
const STREET = new RegExp(
  String.raw`(?<![\p{L}\d])(?:${STREET_TYPES})\.?\s+(?:${NAME_WORD}\s+){0,5}?${NAME_WORD}(?:\s+|\s*,\s*)${HOUSE_NUMBER}${UNIT}(?![\p{L}\d])`,
  'giu',
);
/** Peru's "manzana y lote" addresses: "Mz. B Lt. 12". */
const BLOCK_AND_LOT = /(?<![\p{L}\d])mz\.?\s*[\p{L}\d]{1,3}\s*,?\s*lt\.?\s*\d{1,4}[a-z]?(?![\p{L}\d])/giu;

export function redact(text: string) {
  return text
    .replace(EMAIL, '[correo]')
    .replace(STREET, '[dirección]')
    .replace(BLOCK_AND_LOT, '[dirección]')
    .replace(DIGIT_RUN, (run, offset: number, whole: string) => {
      if (run.replace(/\D/g, '').length < 7) return run;
      if (CURRENCY_BEFORE.test(whole.slice(Math.max(0, offset - 8), offset))) return run;
      return '[número]';
    });
}
