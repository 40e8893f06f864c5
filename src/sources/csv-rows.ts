// A small, fast, lenient CSV reader. csv-parse took ~300 ms on the 3.9 MB SDN file; this takes a
// fraction of that, which is what keeps an hourly full-list poll cheap. Leniency matches what the
// government files need: a stray quote inside a field is kept as text (OFAC), bare fields may hold
// anything but a comma, CRLF or LF end a row, blank lines are skipped.
//
// A file can also be indexed without reading its fields (where each row is and how wide), and a
// row read when it is needed: a poll builds only the entries whose fingerprint moved, and reading
// every field of the 15,000-entry SDN into strings took ~35 ms against ~6 for the index, and kept
// 180,000 strings alive through the poll for the garbage collector to copy again and again.

export class CsvTruncatedError extends Error {
  override name = 'CsvTruncatedError';
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Offset just past the field that starts at `i`: at its separator, its row's end, or the text's. */
function fieldEnd(text: string, i: number): number {
  const n = text.length;
  if (text.charCodeAt(i) !== QUOTE) {
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === CR || c === LF) break;
      j++;
    }
    return j;
  }
  // Quoted field: "" is a quote; a quote not followed by a separator is taken literally.
  for (let j = i + 1; ;) {
    const q = text.indexOf('"', j);
    if (q === -1)
      throw new CsvTruncatedError(`a quoted field opened at offset ${i} is never closed`);
    const next = q + 1 < n ? text.charCodeAt(q + 1) : -1;
    if (next === QUOTE) j = q + 2;
    else if (next === COMMA || next === CR || next === LF || next === -1) return q + 1;
    else j = q + 1; // stray quote inside the field
  }
}

/** The value of the field between `start` and `end` (see fieldEnd). */
function fieldValue(text: string, start: number, end: number): string {
  if (text.charCodeAt(start) !== QUOTE) return text.slice(start, end);
  // Pairs are taken left to right, as fieldEnd takes them; stray quotes stay.
  const inner = text.slice(start + 1, end - 1);
  return inner.includes('""') ? inner.replaceAll('""', '"') : inner;
}

/**
 * Every row of the text, blank lines skipped: its start and end offset (its line, without the line
 * end) and its width, its fields not read (nothing is sliced).
 */
function eachRow(text: string, onRow: (start: number, end: number, width: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let width = 0;
    let blank = false;
    for (;;) {
      const end = fieldEnd(text, i);
      // A line holding one empty field, bare or "", is a blank line.
      blank = width === 0 && (end === i || (end === i + 2 && text.charCodeAt(i) === QUOTE));
      width++;
      i = end;
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        if (i < n) continue;
        width++; // a trailing comma at the very end of the text
        blank = false;
      }
      break;
    }
    if (!blank) onRow(start, i, width);
    // End of row: CRLF or LF (or a lone CR), then any blank lines.
    if (i < n) i += text.charCodeAt(i) === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
    while (i < n && (text.charCodeAt(i) === CR || text.charCodeAt(i) === LF)) i++;
  }
}

/** Every row of a CSV text; with `maxRows`, stops once it has that many (a caller asks one more to know there are more). */
export function readCsvRows(text: string, maxRows = Infinity): string[][] {
  // eachRow's walk, with the value of a quoted field taken as it is scanned: through fieldEnd and
  // fieldValue, reading the 2024 SDN and an alias file took 22 ms against 19.
  const rows: string[][] = [];
  const n = text.length;
  let i = 0;
  let row: string[] = [];
  while (i < n) {
    let c = text.charCodeAt(i);
    let field: string;
    if (c === QUOTE) {
      let start = i + 1;
      let parts = '';
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1)
          throw new CsvTruncatedError(`a quoted field opened at offset ${i} is never closed`);
        const next = q + 1 < n ? text.charCodeAt(q + 1) : -1;
        if (next === QUOTE) {
          parts += text.slice(start, q + 1);
          start = j = q + 2;
          continue;
        }
        if (next === COMMA || next === CR || next === LF || next === -1) {
          field = parts + text.slice(start, q);
          i = q + 1;
          break;
        }
        j = q + 1;
      }
    } else {
      const end = fieldEnd(text, i);
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= n) break;
    c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    if (rows.length >= maxRows) return rows;
    i += c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
    row = [];
    while (i < n && (text.charCodeAt(i) === CR || text.charCodeAt(i) === LF)) i++;
  }
  if (row.length > 0 && !(row.length === 1 && row[0] === '')) rows.push(row);
  return rows;
}

/** Where each row is, two offsets a row (see eachRow), and how many fields it has. */
export interface CsvIndex {
  spans: number[];
  widths: number[];
}

export function indexCsvRows(text: string): CsvIndex {
  const spans: number[] = [];
  const widths: number[] = [];
  eachRow(text, (start, end, width) => {
    spans.push(start, end);
    widths.push(width);
  });
  return { spans, widths };
}

/** The fields of the row between two offsets that indexCsvRows gave. */
export function readCsvRow(text: string, start: number, end: number): string[] {
  return readCsvRows(text.slice(start, end))[0] ?? [];
}

/** The value of the field that starts at `start` (the first of a row, at an offset indexCsvRows gave). */
export function readCsvField(text: string, start: number): string {
  return fieldValue(text, start, fieldEnd(text, start));
}
