/**
 * `npm run report:assistant -- [--from ISO] [--to ISO]`: what sellers did with the suggested replies, per shop and
 * over every shop of DATABASE_URL (read as the database owner: the app's own role sees one shop at a time). The
 * period defaults to the last 30 days. Each owner reads their own shop's on the KPIs screen.
 */
import { parseArgs } from 'node:util';
import { createOwnerDb } from '../../platform/db';
import { acceptanceByShop } from './acceptance';

const DAY_MS = 86_400_000;
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL must name the database (as its owner) to report over every shop.\n');
  process.exit(2);
}
const to = values.to ? new Date(values.to) : new Date();
const from = values.from ? new Date(values.from) : new Date(to.getTime() - 30 * DAY_MS);
if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
  process.stderr.write('--from and --to must be ISO instants, from before to.\n');
  process.exit(2);
}

const owner = createOwnerDb(url, 1);
try {
  const report = await acceptanceByShop(owner.db, from, to);
  const names = new Map(
    (await owner.pool.query<{ id: string; name: string }>('select id, name from tenant')).rows.map((row) => [
      row.id,
      row.name,
    ]),
  );
  const pct = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);
  const line = (label: string, figures: (typeof report)['overall']) =>
    [
      label.padEnd(32).slice(0, 32),
      String(figures.suggestions).padStart(11),
      String(figures.withOutcome).padStart(12),
      pct(figures.shares.sentAsIs).padStart(9),
      pct(figures.shares.edited).padStart(8),
      pct(figures.shares.notUsed).padStart(9),
      figures.timeSaved.minutes.toFixed(1).padStart(13),
    ].join(' ');
  console.log(`Suggested replies made ${from.toISOString()} – ${to.toISOString()}`);
  console.log(`${'shop'.padEnd(32)} suggestions with outcome   as is   edited  not used  minutes saved`);
  for (const shop of report.shops) console.log(line(names.get(shop.tenantId) ?? shop.tenantId, shop));
  console.log(line(`every shop (${report.shops.length})`, report.overall));
} finally {
  await owner.pool.end();
}
