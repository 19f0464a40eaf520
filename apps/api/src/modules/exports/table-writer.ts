import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { currencyDigits, type ExportFormat, moneyInputText } from '@techmarket/contracts';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';

/**
 * Rows to a CSV or .xlsx file as a stream: the rows come in batches (a database cursor) and leave as they come,
 * so the file is never whole in memory. The writing is the libraries' (csv-stringify, exceljs's streaming
 * WorkbookWriter); what is ours is how a cell reads: the shop's local times, money in its currency, and text
 * that a spreadsheet cannot take for a formula.
 */

/**
 * - text: a string, neutralised against formula injection
 * - number, rate (0..1): numbers
 * - local: a wall-clock time already in the shop's time zone, `YYYY-MM-DD HH:MM` (the query formats it)
 * - money: integer minor units, in the currency held by the row's `currencyColumn`
 */
export type Column =
  | { header: string; type: 'text' | 'number' | 'rate' | 'local'; width?: number }
  | { header: string; type: 'money'; currencyColumn: number; width?: number };

export type Cell = string | number | null;
export type Row = readonly Cell[];

/** What spreadsheets read as the start of a formula (OWASP's CSV injection list), tab and CR included. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as data: one that a spreadsheet would run as a formula gets a leading apostrophe. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const amountOf = (value: Cell): number | null =>
  value === null || value === '' ? null : typeof value === 'number' ? value : Number(value);

function csvCell(column: Column, row: Row, value: Cell): string {
  if (value === null) return '';
  switch (column.type) {
    case 'text':
      return neutralise(String(value));
    case 'money': {
      const currency = row[column.currencyColumn];
      const minor = amountOf(value);
      return minor === null || typeof currency !== 'string' ? '' : moneyInputText(minor, currency);
    }
    default:
      return String(value);
  }
}

/** The BOM makes Excel read a CSV as UTF-8 (accents, ñ) instead of the system's code page. */
const BOM = '\ufeff';

/** A CSV that PostgreSQL wrote (COPY), chunk by chunk, after the BOM: read only as fast as the client takes it. */
export function csvFromChunks(chunks: AsyncIterable<Buffer>): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(BOM);
      yield* chunks;
    })(),
    { objectMode: false },
  );
}

function toCsv(columns: readonly Column[], batches: AsyncIterable<Row[]>): Readable {
  async function* chunks() {
    yield `${BOM}${stringify([columns.map((c) => c.header)])}`;
    for await (const batch of batches) {
      // One chunk per batch, written by csv-stringify's sync API: a stream record per row cost three times more.
      yield stringify(batch.map((row) => columns.map((column, i) => csvCell(column, row, row[i] ?? null))));
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Where each currency is at home, for its own symbol (S/, R$; "$" is the peso where the peso is). */
const currencyLocales: Record<string, string> = {
  PEN: 'es-PE',
  MXN: 'es-MX',
  COP: 'es-CO',
  ARS: 'es-AR',
  CLP: 'es-CL',
  BRL: 'pt-BR',
  USD: 'en-US',
};

/** Excel's number format for a currency: its symbol and its own decimals (S/ 3,499.00; CLP without). */
const currencyFormats = new Map<string, string>();
function currencyFormat(currency: string): string {
  let format = currencyFormats.get(currency);
  if (format === undefined) {
    const symbol =
      new Intl.NumberFormat(currencyLocales[currency] ?? 'es', { style: 'currency', currency })
        .formatToParts(0)
        .find((part) => part.type === 'currency')?.value ?? currency;
    const digits = currencyDigits(currency);
    format = `"${symbol}" #,##0${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`;
    currencyFormats.set(currency, format);
  }
  return format;
}

/** `YYYY-MM-DD HH:MM` as a Date whose UTC fields are that wall time: Excel dates have no zone. */
function wallTime(text: string): Date | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d))?/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0'] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)));
}

/**
 * What the sheet's XML waits in before deflate takes it. exceljs (4.4) writes a sheet into a StreamBuf that, once
 * the zip has started the sheet's entry, forwards each 64 KB to the entry's stream and ignores what `write`
 * returns, so without a wait the XML piles up there as fast as rows come. Internals, read defensively: when their
 * shape changes, there is nothing to wait on and the export still works, but its memory grows with the file again
 * (`npm run bench:export` shows it; check it when upgrading exceljs).
 */
type ZipEntryQueue = {
  _writableState?: { needDrain?: boolean };
  once(event: 'drain', fn: () => void): unknown;
};
function zipEntryQueue(sheet: ExcelJS.Worksheet): ZipEntryQueue | undefined {
  const stream = (sheet as unknown as { stream?: { pipes?: ZipEntryQueue[] } }).stream;
  return stream?.pipes?.[0];
}

/** Waits until deflate has taken what was written so far (down to the entry stream's high-water mark). */
async function zipDrained(sheet: ExcelJS.Worksheet): Promise<void> {
  const queue = zipEntryQueue(sheet);
  if (queue?._writableState?.needDrain) await new Promise<void>((resolve) => queue.once('drain', resolve));
}

/** Rows written between two looks at the zip's queue: about 1 MB of XML. */
const ROWS_PER_WAIT = 1000;

function toXlsx(columns: readonly Column[], batches: AsyncIterable<Row[]>, sheetName: string): Readable {
  const out = new PassThrough();
  // One style object for each look, given to every cell that has it: exceljs remembers a style object it has seen
  // (a WeakMap) and otherwise works a cell's style out again (a third of the .xlsx's time when each cell had its
  // own copy, as column styles and `cell.numFmt = …` give it).
  const plain: Partial<ExcelJS.Style> = {};
  const styleOf = (column: Column): Partial<ExcelJS.Style> =>
    column.type === 'local'
      ? { numFmt: 'yyyy-mm-dd hh:mm' }
      : column.type === 'rate'
        ? { numFmt: '0.0%' }
        : plain;
  const styles = columns.map(styleOf);
  const moneyStyles = new Map<string, Partial<ExcelJS.Style>>();
  const moneyStyle = (currency: string) => {
    let style = moneyStyles.get(currency);
    if (!style) {
      style = { numFmt: currencyFormat(currency) };
      moneyStyles.set(currency, style);
    }
    return style;
  };

  async function write() {
    // exceljs is loaded by the first .xlsx, not by every process at its start.
    const { default: Excel } = await import('exceljs');
    // Shared strings would keep every distinct text in memory until the end; inline strings stream.
    const workbook = new Excel.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(sheetName);
    sheet.columns = columns.map((column, i) => ({
      header: column.header,
      width: column.width ?? 16,
      style: styles[i] ?? plain,
    }));
    let written = 0;
    for await (const batch of batches) {
      for (const row of batch) {
        const values = columns.map((column, i) => {
          const value = row[i] ?? null;
          if (value === null) return null;
          switch (column.type) {
            case 'text':
              return neutralise(String(value));
            case 'local':
              return wallTime(String(value));
            case 'money': {
              const currency = row[column.currencyColumn];
              const minor = amountOf(value);
              if (minor === null || typeof currency !== 'string') return null;
              return minor / 10 ** currencyDigits(currency);
            }
            default:
              return typeof value === 'number' ? value : Number(value);
          }
        });
        const added = sheet.addRow(values);
        columns.forEach((column, i) => {
          const currency = column.type === 'money' ? row[column.currencyColumn] : null;
          added.getCell(i + 1).style =
            typeof currency === 'string' ? moneyStyle(currency) : (styles[i] ?? plain);
        });
        added.commit();
        // Deflate is slower than writing rows: wait for it rather than queue the sheet's XML in memory.
        if (++written % ROWS_PER_WAIT === 0) await zipDrained(sheet);
      }
      await zipDrained(sheet);
      // The client reads slower than the database: wait for it rather than pile the file up in memory.
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  }
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

export function writeTable(
  format: ExportFormat,
  columns: readonly Column[],
  batches: AsyncIterable<Row[]>,
  sheetName: string,
): Readable {
  return format === 'csv' ? toCsv(columns, batches) : toXlsx(columns, batches, sheetName);
}
