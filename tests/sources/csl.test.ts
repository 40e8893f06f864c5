import { describe, expect, it } from 'vitest';
import { diffSnapshot } from '../../src/poll/diff.js';
import type { DesignationRecord, ListSnapshot } from '../../src/domain.js';
import { parseCsl } from '../../src/sources/csl.js';
import { fixture } from '../helpers/fixtures.js';
import { storedRecords } from '../helpers/stored.js';

function records(body: Buffer): DesignationRecord[] {
  const s = parseCsl(body);
  if (s.kind !== 'list') throw new Error('expected a list');
  return s.records;
}

describe('trade.gov Consolidated Screening List, CSV (2023-11 excerpt)', () => {
  const rs = records(fixture('csl/consolidated_2023-11_excerpt.csv'));

  it("keeps each row's sub-list as its list", () => {
    const lists = new Set(rs.map((r) => r.list));
    for (const l of [
      'NS-CMIC',
      'Entity List',
      'MEU',
      'UVL',
      'DPL',
      'SDN',
      'SSI',
      'NS-PLC',
      'NS-MBS',
      'ISN',
      'DTC',
    ])
      expect(lists).toContain(l);
  });

  it('keys Treasury rows by entity_number and other rows by list + normalised name', () => {
    const huawei = rs.find((r) => r.name === 'HUAWEI TECHNOLOGIES CO., LTD.')!;
    expect(huawei.key).toBe('NS-CMIC:30947');
    const meu = rs.find(
      (r) => r.name === 'Academy of Aerospace Solid Propulsion Technology (AASPT)',
    )!;
    expect(meu.key).toBe('MEU:academy of aerospace solid propulsion technology aaspt');
    expect(meu).toMatchObject({
      list: 'MEU',
      citation: '85 FR 83799',
      listedOn: '2020-12-23',
      countries: ['CN'],
    });
  });

  it('reads aliases, programs and the source link', () => {
    const telecom = rs.find((r) => r.key === 'NS-CMIC:30882')!;
    expect(telecom.aliases).toEqual([
      'CHINA TELECOM',
      'CHINA TELECOM CO., LTD',
      'CHINA TELECOM CORP LTD',
    ]);
    expect(telecom.programs).toEqual(['CMIC-EO13959']);
    expect(telecom.url).toBe('https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list');
  });

  it('gives every record a unique key', () => {
    expect(new Set(rs.map((r) => r.key)).size).toBe(rs.length);
  });

  it('keeps an Entity List key when BIS appends a Federal Register citation (the _id changes)', () => {
    const text = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
    const elLine = text.split('\n').find((l) => l.includes('"Entity List (EL)'))!;
    const fields = elLine.split('","');
    const before = records(Buffer.from(`${text.split('\n')[0]}\n${elLine}\n`))[0]!;
    fields[0] = '"0000000000changed-id';
    fields[8] = `${fields[8]}; 89 FR 12345`;
    const after = records(Buffer.from(`${text.split('\n')[0]}\n${fields.join('","')}\n`))[0]!;
    expect(after.key).toBe(before.key);
    expect(after.citation).toContain('89 FR 12345');
  });
});

describe('CSL legacy layout (2019, no _id column)', () => {
  const rs = records(fixture('csl/csl_legacy_excerpt.csv'));
  it('reads it, trimming the leading space of " ADRIAN MANUEL HERNANDEZ"', () => {
    expect(rs).toHaveLength(25);
    expect(rs[0]).toMatchObject({
      name: 'ADRIAN MANUEL HERNANDEZ',
      list: 'DPL',
      listedOn: '2017-10-16',
    });
  });
});

describe('CSL JSON', () => {
  it('reads the api.trade.gov JSON shape and keys it like the CSV', () => {
    // The same real CMIC record as in the CSV excerpt, in the JSON layout ITA's generator writes.
    const doc = {
      results: [
        {
          id: '30882',
          source:
            'Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department',
          entity_number: 30882,
          type: 'Entity',
          programs: ['CMIC-EO13959'],
          name: 'China Telecom Corporation Limited',
          addresses: [
            {
              address: '31 Jinrong Street, Xicheng District',
              city: 'Beijing',
              state: null,
              postal_code: '100033',
              country: 'CN',
            },
          ],
          alt_names: ['CHINA TELECOM', 'CHINA TELECOM CO., LTD'],
          source_information_url:
            'https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list',
          start_date: null,
        },
      ],
      total: 1,
      sources_used: [],
    };
    const [r] = records(Buffer.from(JSON.stringify(doc)));
    expect(r).toMatchObject({
      key: 'NS-CMIC:30882',
      list: 'NS-CMIC',
      countries: ['CN'],
      aliases: ['CHINA TELECOM', 'CHINA TELECOM CO., LTD'],
    });
    expect(r!.addresses).toEqual(['31 Jinrong Street, Xicheng District, Beijing, 100033, CN']);
    // The same file claiming more results than it holds was cut and closed again.
    expect(() => parseCsl(Buffer.from(JSON.stringify({ ...doc, total: 4164 })))).toThrow(
      /says it holds 4164 results but has 1: incomplete/,
    );
  });

  it('rejects JSON without results, and HTML', () => {
    expect(() => parseCsl(Buffer.from('{"error":"quota"}'))).toThrow(/results/);
    expect(() => parseCsl(Buffer.from('<html><body>502 Bad Gateway</body></html>'))).toThrow(
      /HTML/,
    );
  });
});

describe('CSL entry fingerprints', () => {
  const text = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
  const base = parseCsl(Buffer.from(text));

  it('are the same for the same file, one per entry', () => {
    expect(parseCsl(Buffer.from(text)).prints).toEqual(base.prints);
    expect(base.prints).toHaveLength(base.keys.length);
  });

  it('move for exactly the entry whose row changed; the diff builds only it and finds the amendment', () => {
    const edited = text.replace(
      '"31 Jinrong Street, Xicheng District, Beijing, 100033, CN"',
      '"33 Jinrong Street, Xicheng District, Beijing, 100033, CN"',
    );
    expect(edited).not.toBe(text);
    const next = parseCsl(Buffer.from(edited));
    const moved = next.keys.filter(
      (k, i) => next.prints![i] !== base.prints![base.keys.indexOf(k)],
    );
    expect(moved).toEqual(['NS-CMIC:30882']);
    const built: string[] = [];
    const counting: ListSnapshot = {
      kind: 'list',
      keys: next.keys,
      prints: next.prints,
      warnings: [],
      records: [],
      record: (i) => (built.push(next.keys[i]!), next.record(i)),
    };
    const d = diffSnapshot(storedRecords(base.records, base.prints), counting);
    expect(built).toEqual(['NS-CMIC:30882']);
    expect(d.changes).toMatchObject([
      { type: 'designation.amended', fields: [{ field: 'addresses' }] },
    ]);
  });
});
