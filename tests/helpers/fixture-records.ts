// The real lists' excerpts as records: the OFAC SDN and consolidated files and the CSL, parsed
// as the poller parses them (see tests/fixtures/PROVENANCE.md).
import type { DesignationRecord } from '../../src/domain.js';
import { parseCsl } from '../../src/sources/csl.js';
import { parseOfacCsv } from '../../src/sources/ofac-csv.js';
import { fixture, ofacCsvFiles } from './fixtures.js';

const all = (s: { keys: string[]; record: (i: number) => DesignationRecord }) =>
  s.keys.map((_, i) => s.record(i));

export function fixtureRecords(): DesignationRecord[] {
  return [
    ...all(parseOfacCsv(ofacCsvFiles('sdn'))),
    ...all(parseOfacCsv(ofacCsvFiles('consolidated'), { consolidated: true })),
    ...all(parseCsl(fixture('csl/consolidated_2023-11_excerpt.csv'))),
  ];
}
