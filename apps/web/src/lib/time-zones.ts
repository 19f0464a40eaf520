/**
 * The IANA zones of Latin America (Mexico to Patagonia, the Spanish- and Portuguese-speaking Caribbean), where
 * the shops are: listed first. Both spellings of a zone that browsers name differently (ICU's
 * "America/Buenos_Aires" and the canonical "America/Argentina/Buenos_Aires") are here; only the ones the
 * browser knows are offered.
 */
const LATIN_AMERICA = new Set([
  'America/Mexico_City',
  'America/Monterrey',
  'America/Merida',
  'America/Cancun',
  'America/Matamoros',
  'America/Chihuahua',
  'America/Ciudad_Juarez',
  'America/Ojinaga',
  'America/Hermosillo',
  'America/Mazatlan',
  'America/Bahia_Banderas',
  'America/Tijuana',
  'America/Guatemala',
  'America/El_Salvador',
  'America/Tegucigalpa',
  'America/Managua',
  'America/Costa_Rica',
  'America/Panama',
  'America/Havana',
  'America/Santo_Domingo',
  'America/Puerto_Rico',
  'America/Bogota',
  'America/Caracas',
  'America/Guayaquil',
  'Pacific/Galapagos',
  'America/Lima',
  'America/La_Paz',
  'America/Santiago',
  'America/Punta_Arenas',
  'America/Coyhaique',
  'Pacific/Easter',
  'America/Asuncion',
  'America/Montevideo',
  'America/Buenos_Aires',
  'America/Argentina/Buenos_Aires',
  'America/Cordoba',
  'America/Argentina/Cordoba',
  'America/Mendoza',
  'America/Argentina/Mendoza',
  'America/Jujuy',
  'America/Argentina/Jujuy',
  'America/Catamarca',
  'America/Argentina/Catamarca',
  'America/Argentina/Salta',
  'America/Argentina/Tucuman',
  'America/Argentina/La_Rioja',
  'America/Argentina/San_Juan',
  'America/Argentina/San_Luis',
  'America/Argentina/Rio_Gallegos',
  'America/Argentina/Ushuaia',
  'America/Sao_Paulo',
  'America/Rio_Branco',
  'America/Manaus',
  'America/Porto_Velho',
  'America/Boa_Vista',
  'America/Eirunepe',
  'America/Cuiaba',
  'America/Campo_Grande',
  'America/Belem',
  'America/Santarem',
  'America/Araguaina',
  'America/Fortaleza',
  'America/Recife',
  'America/Maceio',
  'America/Bahia',
  'America/Noronha',
]);

/** Every zone the browser knows (Intl), or none where it cannot list them. */
export function supportedTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** "GMT-5" for the zone at `at`: what a person compares zones by. */
export function offsetOf(timeZone: string, at: Date, locale = 'en') {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' }).formatToParts(
      at,
    );
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/**
 * The zones to choose from, Latin America first (in the order above: north to south), then the rest in
 * alphabetical order. `current` is kept even if the browser does not list it (UTC, an old alias).
 */
export function timeZoneChoices(current?: string | null): { latinAmerica: string[]; others: string[] } {
  const known = supportedTimeZones();
  if (current && !known.includes(current)) known.push(current);
  const listed = new Set(known);
  const latinAmerica = [...LATIN_AMERICA].filter((zone) => listed.has(zone));
  const others = known.filter((zone) => !LATIN_AMERICA.has(zone)).sort();
  return { latinAmerica, others };
}

/** "Lima (GMT-5) · America/Lima": the city as people write it and its offset now, then the zone's name. */
export function zoneLabel(timeZone: string, at: Date) {
  const city = timeZone.split('/').at(-1)?.replaceAll('_', ' ') ?? timeZone;
  const offset = offsetOf(timeZone, at);
  return `${city}${offset ? ` (${offset})` : ''} · ${timeZone}`;
}
