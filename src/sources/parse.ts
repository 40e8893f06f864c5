// Helpers shared by the parsers: byte decoding, a lenient CSV reader and the checks every body gets.
import { CsvTruncatedError, indexCsvRows, readCsvRows } from './csv-rows.js';

export class ParseError extends Error {
  override name = 'ParseError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** UTF-8 when it is valid UTF-8 (CSL, OpenSanctions), Windows-1252 otherwise (older OFAC files). */
export function decodeText(body: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    text = latin1.decode(body);
  }
  // BIS files start with a BOM; OFAC files end with a DOS end-of-file byte (0x1A).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return stripEofMarker(text);
}

/** OFAC ends its files with the DOS end-of-file byte 0x1A (after the last CRLF). */
export function stripEofMarker(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  if (end === 0 || text.charCodeAt(end - 1) !== 0x1a) return text;
  while (end > 0 && text.charCodeAt(end - 1) === 0x1a) end--;
  return text.slice(0, end);
}

/**
 * Publishers that write every record with a line terminator (OFAC, trade.gov's Python csv writer)
 * never end a file mid-line; a body that does was cut off in transit.
 */
export function assertEndsWithNewline(text: string, what: string): void {
  let end = text.length - 1;
  while (end >= 0 && (text[end] === ' ' || text[end] === '\t' || text[end] === '\r')) end--;
  if (end < 0 || text[end] !== '\n')
    throw new ParseError(`${what} looks truncated: it ends in the middle of a record`);
}

/**
 * OFAC ends every CSV file with the DOS end-of-file byte 0x1A after the last CRLF. A body that
 * parses but lacks it was cut off, possibly exactly between two records, which no parse can see:
 * without this check such a download would read as the last entries being removed.
 */
export function assertEofMarker(body: Uint8Array, what: string): void {
  let end = body.length - 1;
  while (end >= 0 && (body[end] === 0x0a || body[end] === 0x0d || body[end] === 0x20)) end--;
  if (end < 0 || body[end] !== 0x1a)
    throw new ParseError(
      `${what} looks truncated: it lacks the end-of-file mark (0x1A) every OFAC file ends with`,
    );
}

/** Rejects bodies that can never be a valid snapshot, whatever the kind. */
export function assertLooksLikeData(text: string, what: string): void {
  const head = text.slice(0, 512).trimStart().toLowerCase();
  if (head.length === 0) throw new ParseError(`${what} is empty (0 bytes of data)`);
  // Error pages come with and without a doctype: "<head><title>503</title>", "<body>...", "<!-- ... -->".
  if (
    /^(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html|<head\b|<body\b|<title\b|<!--[\s\S]*?-->\s*<(?:html|head|body))/.test(
      head,
    ) ||
    (/^<[a-z!]/.test(head) &&
      /<\/?(?:html|body)\b/.test(head) &&
      !/<(?:rss|feed|sdnlist|channel)\b/.test(head))
  ) {
    throw new ParseError(`${what} is an HTML page, not data (a maintenance or error page?)`);
  }
}

export interface CsvOptions {
  /** Expected columns per row; shorter rows are skipped with a warning. */
  minColumns?: number;
}

/**
 * Lenient CSV (see csv-rows.ts). A field left open at the end of the body is a download cut off
 * mid-record, and fails the whole snapshot; short rows are skipped and reported, except a short
 * last row, which is the same truncation in another form.
 */
export function parseCsv(
  text: string,
  warnings: string[],
  what: string,
  opts: CsvOptions = {},
): string[][] {
  const rows = readingCsv(what, () => readCsvRows(text));
  const min = opts.minColumns ?? 0;
  if (!min) return rows;
  return shortRows(
    rows.map((r) => r.length),
    min,
    warnings,
    what,
  )
    ? rows.filter((r) => r.length >= min)
    : rows;
}

/**
 * parseCsv's rows without their fields: each kept row's start and end offset in the text, two
 * numbers a row, to read with readCsvRow when needed.
 */
export function indexCsv(
  text: string,
  warnings: string[],
  what: string,
  opts: CsvOptions = {},
): number[] {
  const { spans, widths } = readingCsv(what, () => indexCsvRows(text));
  const min = opts.minColumns ?? 0;
  if (!shortRows(widths, min, warnings, what)) return spans;
  const kept: number[] = [];
  widths.forEach((w, k) => w >= min && kept.push(spans[2 * k]!, spans[2 * k + 1]!));
  return kept;
}

function readingCsv<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof CsvTruncatedError)
      throw new ParseError(`${what} looks truncated: ${err.message}`);
    throw err;
  }
}

/** How many rows are narrower than `min`, reported; a short last row is a truncation. */
function shortRows(
  widths: readonly number[],
  min: number,
  warnings: string[],
  what: string,
): number {
  if (!min) return 0;
  const short = widths.filter((w) => w < min).length;
  if (short === 0) return 0;
  if (widths[widths.length - 1]! < min && short < widths.length)
    throw new ParseError(`${what} looks truncated: its last row has too few columns`);
  warnings.push(`${what}: skipped ${short} row(s) with fewer than ${min} columns`);
  return short;
}

/** Rows of a CSV with a header line, as objects keyed by header name. */
export function parseCsvObjects(
  text: string,
  warnings: string[],
  what: string,
): Record<string, string>[] {
  const rows = parseCsv(text, warnings, what);
  const header = rows.shift();
  if (!header) throw new ParseError(`${what} has no header row`);
  const names = header.map((h) => h.trim());
  // Every row of a well-formed file is as wide as its header; a short last row was cut off.
  const last = rows[rows.length - 1];
  if (
    last &&
    last.length < names.length &&
    rows.length > 1 &&
    rows[rows.length - 2]!.length >= names.length
  ) {
    throw new ParseError(
      `${what} looks truncated: its last row has ${last.length} of ${names.length} columns`,
    );
  }
  return rows.map((row) => {
    const obj: Record<string, string> = {};
    names.forEach((n, i) => (obj[n] = row[i] ?? ''));
    return obj;
  });
}

export function splitList(value: string | undefined | null, sep: string | RegExp = ';'): string[] {
  if (!value) return [];
  return value
    .split(sep)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

const MULTI_SPACE = /\s{2,}|[\t\n\r]/;

export function uniq(values: string[]): string[] {
  if (values.length === 0) return values;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = (MULTI_SPACE.test(v) ? v.replace(/\s+/g, ' ') : v).trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/** "03 Jun 2021", "2021-06-03", "6/3/21", "06/03/2021" → "2021-06-03"; anything else → null. */
export function toIsoDate(value: string | undefined | null): string | null {
  if (!value) return null;
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{4})$/.exec(v);
  if (m) {
    const mon = MONTHS[m[2]!.toLowerCase()];
    if (mon) return `${m[3]}-${mon}-${m[1]!.padStart(2, '0')}`;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(v);
  if (m) {
    const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    return `${year}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  }
  return null;
}
