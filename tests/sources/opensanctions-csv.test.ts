import { describe, expect, it } from 'vitest';
import { parseOpenSanctionsCsv, readListing } from '../../src/sources/opensanctions-csv.js';
import { fixture } from '../helpers/fixtures.js';

describe('OpenSanctions targets.simple.csv (exporter layout, CMIC facts)', () => {
  const s = parseOpenSanctionsCsv(fixture('opensanctions/targets.simple_cmic_constructed.csv'), {
    list: 'NS-CMIC',
  });
  if (s.kind !== 'list') throw new Error('expected a list');

  it('keys by id and splits ;-joined cells', () => {
    expect(s.records.map((r) => r.key)).toEqual([
      'ofac-30882',
      'ofac-30902',
      'ofac-30923',
      'ofac-30947',
    ]);
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
    expect(() => parseOpenSanctionsCsv(Buffer.from('"a","b"\n"1","2"\n'))).toThrow(
      /"id" and "name"/,
    );
  });
});

describe('OpenSanctions targets.simple.csv of the DoD 1260H dataset (us_dod_chinese_milcorps)', () => {
  const s = parseOpenSanctionsCsv(fixture('opensanctions/targets.simple_1260h_constructed.csv'), {
    list: 'DoD 1260H',
    today: '2026-12-05',
  });
  const by = (name: string) => s.records.find((r) => r.name === name);

  it('reads each sanctions value as the exporter joins it, empty parts dropped', () => {
    expect(readListing('CMIC-EO13959 - Chinese Military-Industrial Complex - 2021-06-03')).toEqual({
      program: 'CMIC-EO13959',
      start: '2021-06-03',
      end: null,
    });
    expect(readListing('2021-06-03 - 2025-01-07')).toEqual({
      program: null,
      start: '2021-06-03',
      end: '2025-01-07',
    });
    expect(readListing('2025-01-07')).toEqual({ program: null, start: '2025-01-07', end: null });
    expect(readListing('SDGT - Delisted - 2024-05')).toEqual({
      program: 'SDGT',
      start: null,
      end: '2024-05',
    });
  });

  it('drops an entity whose every listing ended, and dates the others by their listing, not by first-seen', () => {
    expect(by('China Railway Construction Corporation Limited')).toBeUndefined();
    expect(by('Tencent Holdings Limited')).toMatchObject({
      listedOn: '2025-01-07',
      list: 'DoD 1260H',
      aliases: ['Tencent'],
    });
    // Removed in February 2026 and named again in June: current, since its first listing that did not end.
    expect(by('Yangtze Memory Technologies Co., Ltd.')!.listedOn).toBe('2024-01-31');
    expect(s.records.map((r) => r.name)).toEqual([
      'Tencent Holdings Limited',
      'Yangtze Memory Technologies Co., Ltd.',
      'Hesai Group',
    ]);
    // On the day before the listing ended, it was current.
    const earlier = parseOpenSanctionsCsv(
      fixture('opensanctions/targets.simple_1260h_constructed.csv'),
      { list: 'DoD 1260H', today: '2025-01-06' },
    );
    expect(earlier.records.map((r) => r.name)).toContain(
      'China Railway Construction Corporation Limited',
    );
  });
});
