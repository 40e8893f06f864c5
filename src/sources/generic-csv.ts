// Any CSV with a header row, mapped by the source entry: for lists with no official
// machine-readable form (the DoD 1260H list) and for a team's own watch list.
import { listSnapshot } from './list-snapshot.js';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { normalizeKeyName } from '../names/key.js';
import {
  assertLooksLikeData,
  decodeText,
  parseCsvObjects,
  ParseError,
  splitList,
  toIsoDate,
  uniq,
} from './parse.js';

export interface CsvColumns {
  name: string;
  key?: string;
  aliases?: string;
  programs?: string;
  countries?: string;
  addresses?: string;
  listedOn?: string;
  /** A row whose end date is set and not in the future is a past listing, not a current one. */
  endedOn?: string;
  citation?: string;
  url?: string;
  remarks?: string;
  type?: string;
}

export interface GenericCsvOptions {
  list: string;
  columns: CsvColumns;
  /** Separator inside multi-valued cells. */
  separator?: string;
  /** For `endedOn`: what "now" is (tests pin it). */
  today?: string;
}

export function parseGenericCsv(body: Uint8Array, opts: GenericCsvOptions): ListSnapshot {
  const text = decodeText(body);
  assertLooksLikeData(text, 'the CSV file');
  const warnings: string[] = [];
  const rows = parseCsvObjects(text, warnings, 'the CSV file');
  if (rows.length === 0) throw new ParseError('the CSV file has no records');
  const c = opts.columns;
  const missing = (Object.values(c) as (string | undefined)[]).filter(
    (col): col is string => col !== undefined && col !== '' && !(col in rows[0]!),
  );
  if (missing.length)
    throw new ParseError(
      `the CSV file has no column(s) ${missing.map((m) => `"${m}"`).join(', ')}`,
    );
  const sep = opts.separator ?? ';';
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const cell = (r: Record<string, string>, col: string | undefined) =>
    col ? (r[col] ?? '').trim() : '';
  const many = (r: Record<string, string>, col: string | undefined) => splitList(cell(r, col), sep);

  const byKey = new Map<string, DesignationRecord>();
  for (const r of rows) {
    const name = cell(r, c.name).replace(/\s+/g, ' ');
    if (!name) {
      warnings.push('a row without a name was skipped');
      continue;
    }
    const ended = toIsoDate(cell(r, c.endedOn));
    if (ended && ended <= today) continue;
    const key = cell(r, c.key) || normalizeKeyName(name);
    if (byKey.has(key)) {
      warnings.push(`"${name}" appears twice as a current listing; the first is kept`);
      continue;
    }
    byKey.set(key, {
      key,
      list: opts.list,
      name,
      aliases: uniq(many(r, c.aliases)),
      type: cell(r, c.type).toLowerCase() || 'entity',
      programs: uniq(many(r, c.programs)),
      countries: uniq(many(r, c.countries)),
      addresses: uniq(many(r, c.addresses)),
      listedOn: toIsoDate(cell(r, c.listedOn)),
      citation: cell(r, c.citation) || null,
      url: cell(r, c.url) || null,
      remarks: cell(r, c.remarks) || null,
    });
  }
  return listSnapshot([...byKey.values()], warnings);
}
