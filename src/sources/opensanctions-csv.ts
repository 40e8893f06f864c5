// OpenSanctions `targets.simple.csv`: one row per entity, multi-valued cells joined with `;`.
import { listSnapshot } from './list-snapshot.js';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { assertLooksLikeData, decodeText, parseCsvObjects, ParseError, uniq } from './parse.js';

export interface OpenSanctionsOptions {
  /** The list name to show, e.g. "DoD 1260H" for us_dod_chinese_milcorps. */
  list?: string;
  /** Base for links to each entity's page. */
  entityUrlBase?: string;
  /** What "now" is, for listings that ended (tests pin it). */
  today?: string;
}

interface Listing {
  program: string | null;
  start: string | null;
  end: string | null;
}

const DATE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;
const ENDED = /\b(?:ended|removed|delisted|revoked|inactive|terminated|lifted)\b/i;

/**
 * A `sanctions` cell value as the exporter writes it: program, reason, status, start date, end
 * date, the empty ones dropped before they are joined with " - ". So parts are told by what they
 * look like: dates are dates, the first other part is the program. Two dates are the start and
 * the end; one date is the start, unless the status says the listing ended.
 */
export function readListing(text: string): Listing {
  const parts = text
    .split(' - ')
    .map((p) => p.trim())
    .filter(Boolean);
  const dates = parts.filter((p) => DATE.test(p));
  const words = parts.filter((p) => !DATE.test(p));
  const program = words[0] ?? null;
  if (dates.length >= 2) return { program, start: dates[0]!, end: dates[1]! };
  if (dates.length === 1)
    return words.some((w) => ENDED.test(w))
      ? { program, start: null, end: dates[0]! }
      : { program, start: dates[0]!, end: null };
  return { program, start: null, end: null };
}

/** A partial date ("2021", "2021-06") as the first day it can mean, for comparing. */
const fullDate = (d: string): string =>
  d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d;

/** Cells are `;`-joined, but a value containing `;` is quoted again inside the cell. */
function splitCell(cell: string | undefined): string[] {
  if (!cell) return [];
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^;]*))\s*(?:;|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cell)) && m[0] !== '') {
    const v = (m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? '')).trim();
    if (v) out.push(v);
    if (re.lastIndex >= cell.length) break;
  }
  return out;
}

export function parseOpenSanctionsCsv(
  body: Uint8Array,
  opts: OpenSanctionsOptions = {},
): ListSnapshot {
  const text = decodeText(body);
  assertLooksLikeData(text, 'the OpenSanctions file');
  const warnings: string[] = [];
  const rows = parseCsvObjects(text, warnings, 'the OpenSanctions file');
  if (rows.length === 0) throw new ParseError('the OpenSanctions file has no records');
  if (!('id' in rows[0]! && 'name' in rows[0]))
    throw new ParseError('the OpenSanctions file has no "id" and "name" columns');
  const base = opts.entityUrlBase ?? 'https://www.opensanctions.org/entities/';
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const records: DesignationRecord[] = [];
  for (const r of rows) {
    if (!r.id || !r.name) {
      warnings.push('a row without id or name was skipped');
      continue;
    }
    const listings = splitCell(r.sanctions).map(readListing);
    // Only current listings count: an entity whose every listing ended is no longer on the list.
    const current = listings.filter((l) => !l.end || fullDate(l.end) > today);
    if (listings.length > 0 && current.length === 0) continue;
    const starts = current
      .map((l) => l.start)
      .filter((d): d is string => !!d)
      .map(fullDate)
      .sort();
    records.push({
      key: r.id,
      list: opts.list ?? (splitCell(r.dataset)[0] || 'OpenSanctions'),
      name: r.name.trim(),
      aliases: uniq(splitCell(r.aliases)),
      type:
        (r.schema ?? '').toLowerCase() === 'person' ? 'individual' : (r.schema ?? '').toLowerCase(),
      programs: uniq([
        ...splitCell(r.program_ids),
        ...current.map((l) => l.program).filter((p): p is string => !!p),
      ]),
      countries: uniq(splitCell(r.countries)),
      addresses: uniq(splitCell(r.addresses)),
      // The listing's own date; when OpenSanctions first saw the entity is not when it was listed.
      listedOn: starts[0] ?? null,
      citation: null,
      url: `${base}${encodeURIComponent(r.id)}/`,
      remarks: null,
    });
  }
  return listSnapshot(records, warnings);
}
