// OFAC SDN.XML (and the consolidated XML of the same shape). OFAC has moved the namespace before,
// so prefixes are stripped and element names matched bare; `publshInformation` is OFAC's spelling.
import { listSnapshot } from './list-snapshot.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { assertLooksLikeData, decodeText, ParseError, uniq } from './parse.js';
import { LIST } from './lists.js';
import { scalarText } from '../text/clean.js';

const ARRAYS = new Set(['sdnEntry', 'program', 'aka', 'address', 'citizenship', 'nationality']);

type Node = Record<string, unknown>;

function text(v: unknown): string {
  return scalarText(v).trim();
}

function fullName(n: Node): string {
  const last = text(n.lastName);
  const first = text(n.firstName);
  return first ? `${last}, ${first}` : last;
}

function arr(container: unknown, child: string): Node[] {
  if (!container || typeof container !== 'object') return [];
  const v = (container as Node)[child];
  return Array.isArray(v) ? (v as Node[]) : [];
}

export interface OfacXmlOptions {
  list?: string;
}

export function parseOfacXml(body: Uint8Array, opts: OfacXmlOptions = {}): ListSnapshot {
  const xml = decodeText(body);
  assertLooksLikeData(xml, 'the OFAC XML file');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ParseError(
      `the OFAC XML file is not well-formed (line ${valid.err.line}: ${valid.err.msg}); truncated download?`,
    );
  }
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => ARRAYS.has(name),
  });
  const doc = parser.parse(xml) as Node;
  const root = doc.sdnList as Node | undefined;
  if (!root) throw new ParseError('the OFAC XML file has no <sdnList> root element');
  const warnings: string[] = [];
  const records: DesignationRecord[] = [];
  for (const e of arr(root, 'sdnEntry')) {
    const key = text(e.uid);
    if (!key) {
      warnings.push('an <sdnEntry> without <uid> was skipped');
      continue;
    }
    const addresses = arr(e.addressList, 'address');
    records.push({
      key,
      list: opts.list ?? LIST.sdn,
      name: fullName(e),
      aliases: uniq(arr(e.akaList, 'aka').map(fullName)),
      type: text(e.sdnType).toLowerCase() || 'entity',
      programs: arr(e.programList, 'program').map(text).filter(Boolean),
      countries: uniq(addresses.map((a) => text(a.country))),
      addresses: uniq(
        addresses.map((a) =>
          ['address1', 'address2', 'address3', 'city', 'stateOrProvince', 'postalCode', 'country']
            .map((k) => text(a[k]))
            .filter(Boolean)
            .join(', '),
        ),
      ),
      listedOn: null,
      citation: null,
      url: `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${key}`,
      remarks: text(e.remarks) || null,
    });
  }
  const count = Number(text((root.publshInformation as Node | undefined)?.Record_Count));
  // The header's count lets us tell a cut-short file from a genuinely smaller list.
  if (count && records.length < count)
    throw new ParseError(
      `the OFAC XML file says ${count} records but holds ${records.length}: incomplete`,
    );
  if (count && count !== records.length)
    warnings.push(`the file says ${count} records but holds ${records.length}`);
  return listSnapshot(records, warnings, true);
}
