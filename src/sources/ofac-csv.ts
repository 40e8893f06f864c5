// OFAC legacy flat files: SDN.CSV / CONS_PRIM.CSV with their ALT, ADD and COMMENTS companions.
// No header row; `-0- ` (bare, trailing space) is OFAC's null; several programs share one field as
// `SDGT] [NS-PLC`; remarks longer than ~1,000 characters continue mid-word in the comments file.
import { isAscii } from 'node:buffer';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { Fingerprint, fingerprint } from '../text/fingerprint.js';
import { lazyListSnapshot, RECORDS_SCHEME } from './list-snapshot.js';
import { readCsvField, readCsvRow } from './csv-rows.js';
import {
  assertEndsWithNewline,
  assertEofMarker,
  assertLooksLikeData,
  decodeText,
  indexCsv,
  parseCsv,
  ParseError,
  toIsoDate,
  uniq,
} from './parse.js';
import { LIST } from './lists.js';
import { parseRemarkFacts } from './identifiers.js';

export interface OfacCsvFiles {
  primary: Uint8Array;
  alt?: Uint8Array;
  add?: Uint8Array;
  comments?: Uint8Array;
}

export interface OfacCsvOptions {
  /** Force every record onto one list; by default SDN.CSV is "SDN" and CONS_PRIM rows go by program. */
  list?: string;
  /** True for CONS_PRIM.CSV (the consolidated non-SDN lists). */
  consolidated?: boolean;
}

const PRIMARY_COLUMNS = 12;

function value(field: string | undefined): string {
  if (field === undefined) return '';
  const t = field.trim();
  return t === '-0-' ? '' : t;
}

/**
 * CONS_PRIM mixes several Treasury lists and names none of them, so the list comes from the
 * program: what OFAC's own search labels each program with.
 */
export function consolidatedListFor(programs: string[]): string {
  const joined = programs.join(' ');
  if (/CMIC/.test(joined)) return LIST.nsCmic;
  if (/NS-PLC/.test(joined)) return LIST.nsPlc;
  if (/UKRAINE-EO13662/.test(joined)) return LIST.ssi;
  if (/561-RELATED/i.test(joined)) return LIST.capta;
  if (/FSE/.test(joined)) return LIST.fse;
  // Menu-based sanctions (RUSSIA-EO14024 directives, CAATSA, BURMA-EO14014, ...).
  return LIST.nsMbs;
}

const LISTING_DATE = /Listing Date \(([^)]*)\):? (\d{1,2} [A-Za-z]{3} \d{4})/;
const REMARK_AKA = /\b(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '([^']+)'/g;

export function parseOfacCsv(files: OfacCsvFiles, opts: OfacCsvOptions = {}): ListSnapshot {
  const warnings: string[] = [];
  const primaryText = decodeText(files.primary);
  assertLooksLikeData(primaryText, 'the OFAC primary file');
  assertEndsWithNewline(primaryText, 'the OFAC primary file');
  assertEofMarker(files.primary, 'the OFAC primary file');
  // Rows are read when their entry is built: most entries of a poll are unchanged and never are.
  const spans = indexCsv(primaryText, warnings, 'primary file', { minColumns: PRIMARY_COLUMNS });
  const fieldsOf = (row: number) => readCsvRow(primaryText, spans[2 * row]!, spans[2 * row + 1]!);
  const keyOf = (row: number) => value(readCsvField(primaryText, spans[2 * row]!));
  if (spans.length === 0) throw new ParseError('the OFAC primary file has no records');
  if (!/^\d+$/.test(keyOf(0))) {
    throw new ParseError(
      `the OFAC primary file does not start with an entry number (got "${readCsvField(primaryText, spans[0]!).slice(0, 40)}")`,
    );
  }

  const extra = (
    body: Uint8Array | undefined,
    what: string,
    min: number,
    eofMark: boolean,
  ): string[][] => {
    if (!body) return [];
    const text = decodeText(body);
    // An empty companion file is legal (OFAC's comments file can be); HTML never is.
    if (text.trim() === '') return [];
    assertLooksLikeData(text, what);
    assertEndsWithNewline(text, what);
    if (eofMark) assertEofMarker(body, what);
    return parseCsv(text, warnings, what, { minColumns: min });
  };
  const aliases = new Map<string, string[]>();
  for (const r of extra(files.alt, 'the alias file', 4, true))
    push(aliases, value(r[0]), value(r[3]));
  const addresses = new Map<string, string[]>();
  const countries = new Map<string, string[]>();
  for (const r of extra(files.add, 'the address file', 5, true)) {
    const id = value(r[0]);
    const line = [value(r[2]), value(r[3]), value(r[4])].filter(Boolean).join(', ');
    if (line) push(addresses, id, line);
    if (value(r[4])) push(countries, id, value(r[4]));
  }
  const continuation = new Map<string, string>();
  for (const r of extra(files.comments, 'the comments file', 2, false)) {
    const id = value(r[0]);
    // Appended exactly: the split falls mid-word, so no separator may be added.
    continuation.set(id, (continuation.get(id) ?? '') + (r[1] ?? ''));
  }

  /** The row of each entry kept. */
  const valid: number[] = [];
  const keys: string[] = [];
  const prints: number[] = [];
  const seen = new Set<string>();
  // Everything an entry's record is built from, so an unchanged fingerprint means an unchanged record.
  const seed = fingerprint(
    `ofac-csv ${RECORDS_SCHEME} ${opts.list ?? ''} ${opts.consolidated ? 'consolidated' : ''}`,
  );
  // In an ASCII file (OFAC's are) a character's offset in the text is its byte's in the body, so an
  // entry's print hashes the bytes of its row: a third of the time of hashing its fields as text.
  // A file that is not ASCII prints its entries from their fields, so the first poll after such a
  // flip rebuilds and compares every entry once, and finds them unchanged.
  const raw = isAscii(files.primary) ? files.primary : null;
  for (let k = 0; k < spans.length / 2; k++) {
    const key = keyOf(k);
    if (!/^\d+$/.test(key)) {
      warnings.push(`primary file: skipped a row whose entry number is "${key.slice(0, 20)}"`);
      continue;
    }
    if (seen.has(key)) {
      warnings.push(`primary file: entry ${key} appears twice; the first is kept`);
      continue;
    }
    seen.add(key);
    valid.push(k);
    keys.push(key);
    const c = continuation.get(key);
    const print = new Fingerprint(seed);
    if (raw) print.addBytes(raw, spans[2 * k]!, spans[2 * k + 1]!);
    else print.addAll(fieldsOf(k));
    prints.push(
      print
        .addAll(aliases.get(key))
        .addAll(addresses.get(key))
        .addAll(countries.get(key))
        .add(c ?? '')
        .value(),
    );
  }

  const build = (i: number): DesignationRecord => {
    const r = fieldsOf(valid[i]!);
    const key = keys[i]!;
    const programs = programsOf(value(r[3]));
    // Untrimmed: when the split falls after a space, that space belongs between the two halves.
    const ownRemark = value(r[11]) === '' ? '' : (r[11] ?? '');
    const remarks = (ownRemark + (continuation.get(key) ?? '')).trim() || null;
    // Most remarks name no alias; finding that out by the regular expression took 5 ms a catch-up.
    const remarkAliases = remarks?.includes(".k.a. '")
      ? [...remarks.matchAll(REMARK_AKA)].map((m) => m[1]!)
      : [];
    const listed = remarks ? LISTING_DATE.exec(remarks) : null;
    const type = value(r[2]).toLowerCase() || 'entity';
    const facts = parseRemarkFacts(remarks);
    return {
      key,
      list: opts.list ?? (opts.consolidated ? consolidatedListFor(programs) : LIST.sdn),
      name: value(r[1]),
      aliases: uniq([...(aliases.get(key) ?? []), ...remarkAliases]),
      type,
      programs,
      countries: uniq(countries.get(key) ?? []),
      addresses: uniq(addresses.get(key) ?? []),
      listedOn: listed ? toIsoDate(listed[2]) : null,
      citation: null,
      url: `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${key}`,
      remarks,
      identifiers: facts.identifiers,
      effectiveOn: facts.effectiveOn,
      divestBy: facts.divestBy,
      linkedTo: facts.linkedTo,
    };
  };
  return lazyListSnapshot({ keys, prints, build, warnings, endMarked: true });
}

/** "SDGT] [NS-PLC" → SDGT, NS-PLC: by hand, as a replace per program cost 4 ms of a catch-up. */
function programsOf(field: string): string[] {
  const out: string[] = [];
  for (const part of field.split('] [')) {
    const from = part.startsWith('[') ? 1 : 0;
    const to = part.length > from && part.endsWith(']') ? part.length - 1 : part.length;
    const p = part.slice(from, to).trim();
    if (p) out.push(p);
  }
  return out;
}

function push(map: Map<string, string[]>, key: string, v: string): void {
  if (!v) return;
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}
