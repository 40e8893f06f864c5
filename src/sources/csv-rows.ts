// A small, fast, lenient CSV reader. csv-parse took ~300 ms on the 3.9 MB SDN file; this takes a
// fraction of that, which is what keeps an hourly full-list poll cheap. Leniency matches what the
// government files need: a stray quote inside a field is kept as text (OFAC), bare fields may hold
// anything but a comma, CRLF or LF end a row, blank lines are skipped.

export class CsvTruncatedError extends Error {
  override name = 'CsvTruncatedError';
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** `spans`, if given, gets each row's start and end offset in the text (its line, without the line end). */
export function readCsvRows(text: string, spans?: number[]): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = 0;
  let row: string[] = [];
  let rowStart = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let field: string;
    if (c === QUOTE) {
      // Quoted field: "" is a quote; a quote not followed by a separator is taken literally.
      let start = i + 1;
      let parts = '';
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) throw new CsvTruncatedError(`a quoted field opened at offset ${i} is never closed`);
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
        j = q + 1; // stray quote inside the field
      }
    } else {
      let j = i;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c === COMMA || c === CR || c === LF) break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (i >= n) break;
    c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    // End of row: CRLF or LF (or a lone CR).
    if (!(row.length === 1 && row[0] === '')) {
      rows.push(row);
      spans?.push(rowStart, i);
    }
    i += c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1;
    row = [];
    // Skip blank lines.
    while (i < n && (text.charCodeAt(i) === CR || text.charCodeAt(i) === LF)) i++;
    rowStart = i;
  }
  if (row.length > 0 && !(row.length === 1 && row[0] === '')) {
    rows.push(row);
    spans?.push(rowStart, n);
  }
  return rows;
}
