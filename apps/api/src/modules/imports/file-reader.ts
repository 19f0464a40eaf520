import { Readable } from 'node:stream';
import chardet from 'chardet';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';

/**
 * Reading an uploaded file as rows of text cells, streamed: a CSV through papaparse (its delimiter guessed, its
 * bytes decoded by iconv-lite from the encoding detected), an .xlsx through exceljs's streaming WorkbookReader
 * (its first worksheet). Nothing holds the whole file: memory stays flat whatever its length.
 */

export type FileFormat = 'csv' | 'xlsx';

export interface FileRow {
  /** The row's number as a spreadsheet shows it (the headers are row 1). */
  row: number;
  cells: string[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** An .xlsx is a zip archive; anything else named .csv/.txt (or sent as text) is read as a CSV. */
export function formatOf(fileName: string, mimeType: string, head: Buffer): FileFormat | null {
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx';
  if (/\.(csv|txt|tsv)$/i.test(fileName) || /^text\//.test(mimeType)) return 'csv';
  return null;
}

/**
 * The encoding of a CSV from its first bytes: UTF-8 when they decode as UTF-8 (with or without a BOM), UTF-16 when
 * chardet recognises it (Excel's "Unicode text"), else Windows-1252: what Excel writes for "CSV" on a Spanish or
 * Portuguese Windows. chardet's other single-byte guesses (ISO-8859-2, KOI8…) are wrong for these shops' files,
 * which a short Spanish sample easily resembles.
 */
export function detectEncoding(sample: Buffer): string {
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  try {
    // stream: a character cut at the sample's end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    const guess = chardet.detect(sample)?.toLowerCase();
    return guess === 'utf-16le' || guess === 'utf-16be' ? guess : 'windows-1252';
  }
}

/** An .xlsx cell's value as the text a person sees in it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || (typeof result === 'object' && !(result instanceof Date))
      ? ''
      : cellText(result);
  }
  if ('hyperlink' in value) return String(value.text ?? '');
  return '';
}

/**
 * papaparse's stream pauses whenever 16 rows wait to be read, and on resuming re-reads what is left of the text it
 * was given (in its fast mode, splitting all of it into lines again): fed a whole 1 MB chunk, a file costs time
 * quadratic in the chunk's rows. Fed 4 KB pieces, that re-reading stays small (measured: listings 800 µs a row with 1 MB, 6 µs with 4 KB).
 */
const PARSER_PIECE = 4 * 1024;

async function* pieces(bytes: Readable, read?: BytesRead) {
  for await (const chunk of bytes as AsyncIterable<Buffer>)
    for (let at = 0; at < chunk.length; at += PARSER_PIECE) {
      const piece = chunk.subarray(at, at + PARSER_PIECE);
      if (read) read.bytes += piece.length;
      yield piece;
    }
}

async function* csvRows(bytes: Readable, encoding: string, read?: BytesRead): AsyncGenerator<FileRow> {
  const parser = Readable.from(pieces(bytes, read))
    .pipe(iconv.decodeStream(encoding))
    .pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }));
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      // A blank line keeps its number, so the report's rows are the file's.
      if (cells.every((cell) => cell.trim() === '')) continue;
      yield { row, cells };
    }
  } finally {
    bytes.destroy();
  }
}

async function* xlsxRows(bytes: Readable): AsyncGenerator<FileRow> {
  // exceljs is loaded by the first .xlsx, not by every process at its start (platform/assets.ts: a worker's memory).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Dates are told from numbers by their cell style.
    styles: 'cache',
    entries: 'emit',
  });
  try {
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        // exceljs numbers cells from 1: index 0 is always empty.
        const cells = values.slice(1).map((value) => cellText(value ?? null));
        if (cells.every((cell) => cell.trim() === '')) continue;
        yield { row: row.number, cells };
      }
      // Only the first worksheet is the data; the others (notes, lists) are not read.
      break;
    }
  } finally {
    bytes.destroy();
  }
}

/** How far into a CSV the parser has got, in bytes of the file (a few KB ahead of the rows it has yielded). */
export interface BytesRead {
  bytes: number;
}

/** The file's rows, headers first, as they stream out of `bytes`; a CSV's progress is counted into `read`. */
export function readRows(format: FileFormat, bytes: Readable, encoding: string | null, read?: BytesRead) {
  return format === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes, encoding ?? 'utf-8', read);
}
