import { describe, expect, it } from 'vitest';
import { parseGenericCsv } from '../../src/sources/generic-csv.js';
import { fixture } from '../helpers/fixtures.js';

const columns = {
  name: 'Company',
  aliases: 'Also known as',
  listedOn: 'Listed on',
  endedOn: 'Removed on',
  url: 'Source',
};

describe("generic CSV with a column mapping (a team's DoD 1260H list)", () => {
  const s = parseGenericCsv(fixture('dod1260h/dod_1260h_2024-01-31.csv'), {
    list: 'DoD 1260H',
    columns,
    today: '2024-06-01',
  });
  if (s.kind !== 'list') throw new Error('expected a list');

  it('maps the columns and keys by normalised name', () => {
    const hesai = s.records.find((r) => r.name === 'Hesai Technology Co., Ltd.')!;
    expect(hesai).toMatchObject({
      key: 'hesai technology co ltd',
      list: 'DoD 1260H',
      aliases: ['Hesai'],
      listedOn: '2024-01-31',
    });
  });

  it('leaves out rows whose removal date has passed', () => {
    expect(s.records.map((r) => r.name)).not.toContain(
      'SMIC Hong Kong International Company Limited',
    );
    expect(s.records).toHaveLength(11);
  });

  it('names the missing column when the mapping does not fit the file', () => {
    expect(() =>
      parseGenericCsv(fixture('dod1260h/dod_1260h_2024-01-31.csv'), {
        list: 'x',
        columns: { name: 'Entity' },
      }),
    ).toThrow(/no column\(s\) "Entity"/);
  });
});
