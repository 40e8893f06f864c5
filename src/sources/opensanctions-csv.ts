// OpenSanctions `targets.simple.csv`: one row per entity, multi-valued cells joined with `;`.
import { listSnapshot } from './list-snapshot.js';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { assertLooksLikeData, decodeText, parseCsvObjects, ParseError, toIsoDate, uniq } from './text.js';

export interface OpenSanctionsOptions {
  /** The list name to show, e.g. "DoD 1260H" for us_dod_chinese_milcorps. */
  list?: string;
  /** Base for links to each entity's page. */
  entityUrlBase?: string;
}

/** `program - reason - status - start - end`; the program is what a reader recognises. */
function programOf(sanction: string): string {
  return sanction.split(' - ')[0]!.trim();
}

/** Cells are `;`-joined, but a value containing `;` is quoted again inside the cell. */
function splitCell(cell: string | undefined): string[] {
  if (!cell) return [];
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^;]*))\s*(?:;|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cell)) && m[0] !== '') {
    const v = (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2] ?? '').trim();
    if (v) out.push(v);
    if (re.lastIndex >= cell.length) break;
  }
  return out;
}

export function parseOpenSanctionsCsv(body: Uint8Array, opts: OpenSanctionsOptions = {}): ListSnapshot {
  const text = decodeText(body);
  assertLooksLikeData(text, 'the OpenSanctions file');
  const warnings: string[] = [];
  const rows = parseCsvObjects(text, warnings, 'the OpenSanctions file');
  if (rows.length === 0) throw new ParseError('the OpenSanctions file has no records');
  if (!('id' in rows[0]! && 'name' in rows[0]!)) throw new ParseError('the OpenSanctions file has no "id" and "name" columns');
  const base = opts.entityUrlBase ?? 'https://www.opensanctions.org/entities/';
  const records: DesignationRecord[] = [];
  for (const r of rows) {
    if (!r.id || !r.name) {
      warnings.push('a row without id or name was skipped');
      continue;
    }
    const sanctions = splitCell(r.sanctions);
    const starts = sanctions.map((s) => toIsoDate(s.split(' - ')[3])).filter((d): d is string => !!d).sort();
    records.push({
      key: r.id,
      list: opts.list ?? (splitCell(r.dataset)[0] || 'OpenSanctions'),
      name: r.name.trim(),
      aliases: uniq(splitCell(r.aliases)),
      type: (r.schema ?? '').toLowerCase() === 'person' ? 'individual' : (r.schema ?? '').toLowerCase(),
      programs: uniq([...splitCell(r.program_ids), ...sanctions.map(programOf)]),
      countries: uniq(splitCell(r.countries)),
      addresses: uniq(splitCell(r.addresses)),
      listedOn: starts[0] ?? toIsoDate(r.first_seen),
      citation: null,
      url: `${base}${encodeURIComponent(r.id)}/`,
      remarks: null,
    });
  }
  return listSnapshot(records, warnings);
}

