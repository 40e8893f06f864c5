import { describe, expect, it } from 'vitest';
import { parseOpenSanctionsCsv } from '../../src/sources/opensanctions-csv.js';
import { fixture } from '../helpers/fixtures.js';

describe('OpenSanctions targets.simple.csv (exporter layout, CMIC facts)', () => {
  const s = parseOpenSanctionsCsv(fixture('opensanctions/targets.simple_cmic_constructed.csv'), { list: 'NS-CMIC' });
  if (s.kind !== 'list') throw new Error('expected a list');

  it('keys by id and splits ;-joined cells', () => {
    expect(s.records.map((r) => r.key)).toEqual(['ofac-30882', 'ofac-30902', 'ofac-30923', 'ofac-30947']);
    expect(s.records[0]).toMatchObject({
      name: 'CHINA TELECOM CORPORATION LIMITED',
      aliases: ['China Telecom Co., Ltd', 'China Telecom Corp Ltd'],
      list: 'NS-CMIC',
      listedOn: '2021-06-03',
      type: 'company',
      url: 'https://www.opensanctions.org/entities/ofac-30882/',
    });
    expect(s.records[2]!.countries).toEqual(['cn', 'hk']);
    expect(s.records[0]!.programs).toEqual(['US-CMIC', 'CMIC-EO13959']);
  });

  it('rejects a file without id and name columns', () => {
    expect(() => parseOpenSanctionsCsv(Buffer.from('"a","b"\n"1","2"\n'))).toThrow(/"id" and "name"/);
  });
});
