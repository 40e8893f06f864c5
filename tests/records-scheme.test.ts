// Stored fingerprints and content hashes say "this entry, read by this build, is unchanged". When
// a parser reads the same input differently (a new field, a fixed quirk), RECORDS_SCHEME must move,
// or unchanged entries would keep their old form until the source edits them. This test notices a
// change of parser output that came without a new scheme.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ListSnapshot } from '../src/domain.js';
import { parseCsl } from '../src/sources/csl.js';
import { parseGenericCsv } from '../src/sources/generic-csv.js';
import { RECORDS_SCHEME } from '../src/sources/list-snapshot.js';
import { parseOfacCsv } from '../src/sources/ofac-csv.js';
import { parseOfacXml } from '../src/sources/ofac-xml.js';
import { parseOpenSanctionsCsv } from '../src/sources/opensanctions-csv.js';
import { fixture, ofacCsvFiles } from './helpers/fixtures.js';

/** What each list parser makes of the real fixtures under the current scheme (sha256 of the records' JSON, first 16 hex). */
const RECORDED = {
  scheme: 1,
  digests: {
    'ofac-csv sdn trio': '8da19a20e6399570',
    'ofac-csv consolidated': '3ad1476ba7d634c5',
    'ofac-xml': '8920d7465a72946d',
    csl: '365ab8d9bf2224b7',
    'csl legacy': '64e6cb8889e8fd04',
    'opensanctions-csv': 'c3ab394336e6495e',
    'csv (DoD 1260H)': 'd01ab75ba27076be',
  } as Record<string, string>,
};

const outputs: Record<string, () => ListSnapshot> = {
  'ofac-csv sdn trio': () => parseOfacCsv(ofacCsvFiles('sdn')),
  'ofac-csv consolidated': () => parseOfacCsv(ofacCsvFiles('consolidated'), { consolidated: true }),
  // The excerpt's header is set to the five entries it keeps, as a whole file's is.
  'ofac-xml': () =>
    parseOfacXml(
      Buffer.from(
        fixture('ofac/SDN_2014-05-30_excerpt.xml')
          .toString('utf8')
          .replace('<Record_Count>5931</Record_Count>', '<Record_Count>5</Record_Count>'),
      ),
    ),
  csl: () => parseCsl(fixture('csl/consolidated_2023-11_excerpt.csv')),
  'csl legacy': () => parseCsl(fixture('csl/csl_legacy_excerpt.csv')),
  'opensanctions-csv': () =>
    parseOpenSanctionsCsv(fixture('opensanctions/targets.simple_cmic_constructed.csv'), {
      list: 'NS-CMIC',
    }),
  'csv (DoD 1260H)': () =>
    parseGenericCsv(fixture('dod1260h/dod_1260h_2024-01-31.csv'), {
      list: 'DoD 1260H',
      columns: {
        name: 'Company',
        aliases: 'Also known as',
        listedOn: 'Listed on',
        endedOn: 'Removed on',
        url: 'Source',
      },
      today: '2024-06-01',
    }),
};

const digest = (s: ListSnapshot) =>
  createHash('sha256').update(JSON.stringify(s.records)).digest('hex').slice(0, 16);

describe('records scheme', () => {
  it('parser output is what the recorded scheme says it is', () => {
    const now = Object.fromEntries(
      Object.entries(outputs).map(([name, parse]) => [name, digest(parse())]),
    );
    const moved = Object.keys(now).filter((k) => now[k] !== RECORDED.digests[k]);
    const advice =
      RECORDED.scheme === RECORDS_SCHEME
        ? `Parser output changed for ${moved.join(', ')}: raise RECORDS_SCHEME in src/sources/list-snapshot.ts, then record the new scheme and these digests here: ${JSON.stringify(now)}`
        : `RECORDS_SCHEME is ${RECORDS_SCHEME}: record it here with these digests: ${JSON.stringify(now)}`;
    expect({ scheme: RECORDS_SCHEME, moved }, advice).toEqual({
      scheme: RECORDED.scheme,
      moved: [],
    });
  });
});
