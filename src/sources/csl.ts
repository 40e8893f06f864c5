// trade.gov Consolidated Screening List, as CSV (data.trade.gov) or JSON (api.trade.gov static file).
import { lazyListSnapshot, RECORDS_SCHEME } from './list-snapshot.js';
import { Fingerprint, fingerprint } from '../text/fingerprint.js';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { LIST } from './lists.js';
import { parseCslIds } from './identifiers.js';
import { normalizeKeyName } from '../names/key.js';
import { scalarText } from '../text/clean.js';
import {
  assertEndsWithNewline,
  assertLooksLikeData,
  decodeText,
  parseCsvObjects,
  ParseError,
  splitList,
  toIsoDate,
  uniq,
} from './parse.js';

/** The CSL `source` column spelled the way the rest of the product names lists. */
const LIST_LABELS: [RegExp, string][] = [
  [/\(EL\)|^Entity List/i, LIST.entityList],
  [/\(MEU\)/, LIST.meu],
  [/\(UVL\)/, LIST.uvl],
  [/\(DPL\)/, LIST.dpl],
  [/\(CMIC\)|NS-CMIC/, LIST.nsCmic],
  [/\(SDN\)/, LIST.sdn],
  [/\(SSI\)/, LIST.ssi],
  [/\(PLC\)/, LIST.nsPlc],
  [/NS-MBS/, LIST.nsMbs],
  [/\(FSE\)/, LIST.fse],
  [/\(CAP\)/, LIST.capta],
  [/\(ISN\)/, LIST.isn],
  [/\(DTC\)/, LIST.dtc],
];

function identifierFields(
  ids: string[],
): Pick<DesignationRecord, 'identifiers' | 'effectiveOn' | 'divestBy' | 'linkedTo'> {
  const f = parseCslIds(ids);
  return {
    identifiers: f.identifiers,
    effectiveOn: f.effectiveOn,
    divestBy: f.divestBy,
    linkedTo: f.linkedTo,
  };
}

export function cslListLabel(source: string): string {
  for (const [re, label] of LIST_LABELS) if (re.test(source)) return label;
  return source.split(' - ')[0]!.trim() || 'CSL';
}

interface CslRow {
  id: string;
  source: string;
  entityNumber: string;
  type: string;
  programs: string[];
  name: string;
  addresses: string[];
  countries: string[];
  citation: string;
  startDate: string;
  remarks: string;
  altNames: string[];
  url: string;
  /** `ids` entries flattened as "type, number" (CMIC rows keep their listing date there). */
  ids: string[];
}

function fromCsv(obj: Record<string, string>): CslRow {
  const addresses = splitList(obj.addresses);
  return {
    id: obj._id ?? '',
    source: obj.source ?? '',
    entityNumber: (obj.entity_number ?? '').trim(),
    type: obj.type ?? '',
    programs: splitList(obj.programs),
    name: obj.name ?? '',
    addresses,
    // The CSV flattens each address to "street, city, state, postal, CC".
    countries: [
      ...addresses.map((a) => a.split(',').pop()!.trim()),
      ...splitList(obj.citizenships),
      ...splitList(obj.nationalities),
    ],
    citation: obj.federal_register_notice ?? '',
    startDate: obj.start_date ?? '',
    remarks: obj.remarks ?? '',
    altNames: splitList(obj.alt_names),
    url: obj.source_information_url || obj.source_list_url || '',
    ids: splitList(obj.ids),
  };
}

type Json = Record<string, unknown>;
const str = scalarText;
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(str).filter(Boolean) : splitList(str(v));

function fromJson(o: Json): CslRow {
  const addrs = Array.isArray(o.addresses) ? (o.addresses as Json[]) : [];
  return {
    id: str(o.id ?? o._id),
    source: str(o.source),
    entityNumber: str(o.entity_number).trim(),
    type: str(o.type),
    programs: strs(o.programs),
    name: str(o.name),
    addresses: addrs.map((a) =>
      ['address', 'city', 'state', 'postal_code', 'country']
        .map((k) => str(a[k]).trim())
        .filter(Boolean)
        .join(', '),
    ),
    countries: [
      ...addrs.map((a) => str(a.country)),
      ...strs(o.citizenships),
      ...strs(o.nationalities),
    ],
    citation: str(o.federal_register_notice),
    startDate: str(o.start_date),
    remarks: str(o.remarks),
    altNames: strs(o.alt_names),
    url: str(o.source_information_url) || str(o.source_list_url),
    ids: (Array.isArray(o.ids) ? (o.ids as Json[]) : []).map(
      (i) => `${str(i.type)}, ${str(i.number)}`,
    ),
  };
}

const TREASURY = /Treasury Department/i;

export function parseCsl(body: Uint8Array): ListSnapshot {
  const text = decodeText(body);
  assertLooksLikeData(text, 'the Consolidated Screening List');
  const warnings: string[] = [];
  let rows: CslRow[];
  let marked = false;
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ParseError(
        `the Consolidated Screening List is not valid JSON: ${(err as Error).message}`,
      );
    }
    const results = Array.isArray(doc) ? doc : (doc as Json).results;
    if (!Array.isArray(results))
      throw new ParseError('the Consolidated Screening List JSON has no "results" array');
    // The static file says how many results it holds: fewer is a file cut short and re-closed.
    const total = Array.isArray(doc) ? undefined : (doc as Json).total;
    if (typeof total === 'number' && results.length < total)
      throw new ParseError(
        `the Consolidated Screening List JSON says it holds ${total} results but has ${results.length}: incomplete`,
      );
    marked = typeof total === 'number';
    rows = (results as Json[]).map(fromJson);
  } else {
    assertEndsWithNewline(text, 'the Consolidated Screening List');
    const objs = parseCsvObjects(text, warnings, 'the Consolidated Screening List');
    if (objs.length > 0 && !('source' in objs[0]! && 'name' in objs[0])) {
      throw new ParseError(
        'the Consolidated Screening List CSV has no "source" and "name" columns',
      );
    }
    rows = objs.map(fromCsv);
  }
  if (rows.length === 0) throw new ParseError('the Consolidated Screening List has no records');

  // Rows by entry key, in first-seen order: the Entity List gives one row per notice of a name.
  const byKey = new Map<string, { rows: CslRow[]; names: string[]; list: string }>();
  for (const row of rows) {
    const name = row.name.replace(/\s+/g, ' ').trim();
    if (!name) {
      warnings.push(`a ${row.source || 'CSL'} row without a name was skipped`);
      continue;
    }
    const list = cslListLabel(row.source);
    // Treasury rows carry OFAC's ent_num. Other ids (Entity List: a hash of name + FR citations)
    // change whenever BIS appends a citation, so those rows are keyed by list + normalised name.
    const key =
      TREASURY.test(row.source) && row.entityNumber
        ? `${list}:${row.entityNumber}`
        : `${list}:${normalizeKeyName(name)}`;
    const entry = byKey.get(key);
    if (entry) {
      entry.rows.push(row);
      entry.names.push(name);
    } else byKey.set(key, { rows: [row], names: [name], list });
  }
  const keys = [...byKey.keys()];
  const entries = [...byKey.values()];
  // Everything a record is built from (the row id is not: BIS changes it with every citation).
  const seed = fingerprint(`csl ${RECORDS_SCHEME}`);
  const prints = entries.map((e) => {
    const f = new Fingerprint(seed);
    for (const r of e.rows) {
      f.add(r.source)
        .add(r.entityNumber)
        .add(r.type)
        .addAll(r.programs)
        .add(r.name)
        .addAll(r.addresses)
        .addAll(r.countries);
      f.add(r.citation).add(r.startDate).add(r.remarks).addAll(r.altNames).add(r.url).addAll(r.ids);
    }
    return f.value();
  });
  const build = (i: number): DesignationRecord => {
    const { rows: group, names, list } = entries[i]!;
    const records = group.map((row, j): DesignationRecord => ({
      key: keys[i]!,
      list,
      name: names[j]!,
      aliases: uniq(row.altNames),
      type: row.type.toLowerCase(),
      programs: uniq(row.programs),
      countries: uniq(row.countries),
      addresses: uniq(row.addresses),
      // Treasury leaves start_date empty on CMIC rows and gives "Listing Date (CMIC), 2021-06-03" in ids.
      listedOn:
        toIsoDate(row.startDate) ??
        toIsoDate(row.ids.find((x) => x.startsWith('Listing Date'))?.split(', ')[1]),
      citation: row.citation.trim() || null,
      url: row.url.trim() || null,
      remarks: row.remarks.trim() || null,
      ...identifierFields(row.ids),
    }));
    return records.reduce(merge);
  };
  return lazyListSnapshot({ keys, prints, build, warnings, endMarked: marked });
}

/** The Entity List repeats a name once per Federal Register notice; one entry holds them all. */
function merge(a: DesignationRecord, b: DesignationRecord): DesignationRecord {
  const citations = uniq([...splitList(a.citation), ...splitList(b.citation)]);
  return {
    ...a,
    aliases: uniq([...a.aliases, ...b.aliases]),
    programs: uniq([...a.programs, ...b.programs]),
    countries: uniq([...a.countries, ...b.countries]),
    addresses: uniq([...a.addresses, ...b.addresses]),
    listedOn: [a.listedOn, b.listedOn].filter(Boolean).sort()[0] ?? null,
    citation: citations.length ? citations.join('; ') : null,
    identifiers: [
      ...(a.identifiers ?? []),
      ...(b.identifiers ?? []).filter(
        (x) => !(a.identifiers ?? []).some((y) => y.type === x.type && y.value === x.value),
      ),
    ],
    linkedTo: uniq([...(a.linkedTo ?? []), ...(b.linkedTo ?? [])]),
    effectiveOn: a.effectiveOn ?? b.effectiveOn ?? null,
    divestBy: a.divestBy ?? b.divestBy ?? null,
  };
}
