import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { DesignationRecord } from '../../src/domain.js';
import { parseOfacCsv } from '../../src/sources/ofac-csv.js';
import { ParseError } from '../../src/sources/parse.js';
import { fixture, ofacCsvFiles } from '../helpers/fixtures.js';

function records(snapshot: ReturnType<typeof parseOfacCsv>): DesignationRecord[] {
  if (snapshot.kind !== 'list') throw new Error('expected a list');
  return snapshot.records;
}
const byKey = (rs: DesignationRecord[], key: string) => rs.find((r) => r.key === key)!;

describe('OFAC legacy CSV (SDN trio, July 2021 excerpt)', () => {
  const snap = parseOfacCsv(ofacCsvFiles('sdn'));
  const rs = records(snap);

  it('reads every record, keyed by ent_num, despite CRLF and the trailing 0x1A', () => {
    expect(rs).toHaveLength(71);
    expect(rs[0]).toMatchObject({
      key: '36',
      name: 'AEROCARIBBEAN AIRLINES',
      list: 'SDN',
      programs: ['CUBA'],
      type: 'entity',
    });
    expect(snap.warnings).toEqual([]);
  });

  it('reads the bare "-0- " null as empty, not as text', () => {
    const r = byKey(rs, '36');
    expect(r.remarks).toBeNull();
    expect(
      rs.some(
        (x) => x.name.includes('-0-') || x.programs.includes('-0-') || x.aliases.includes('-0-'),
      ),
    ).toBe(false);
  });

  it('joins aliases from alt.csv, addresses and countries from add.csv, and a.k.a. names from remarks', () => {
    const bnc = byKey(rs, '306');
    expect(bnc.aliases).toContain('NATIONAL BANK OF CUBA');
    expect(bnc.aliases).toContain('BNC'); // "a.k.a. 'BNC'." in remarks only
    expect(bnc.addresses).toContain('Zweierstrasse 35, Zurich CH-8022, Switzerland');
    expect(bnc.countries).toContain('Switzerland');
  });

  it('continues a remark mid-word from the comments file', () => {
    const r = byKey(rs, '12300');
    expect(r.remarks).toContain('PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL INMOBILIARIA');
    expect(r.remarks!.endsWith('Linked To: R D I S.A.')).toBe(true);
  });

  it('splits programs joined as "A] [B"', () => {
    const multi = rs.find((r) => r.programs.length > 1)!;
    expect(multi.programs.every((p) => !p.includes('[') && !p.includes(']'))).toBe(true);
  });

  it('keeps the type of individuals apart from entities', () => {
    expect(byKey(rs, '36').type).toBe('entity');
    expect(rs.filter((r) => r.type === 'individual').length).toBeGreaterThan(10);
    expect(new Set(rs.map((r) => r.type))).toEqual(new Set(['entity', 'individual']));
  });

  it('links every record to its OFAC search page', () => {
    expect(byKey(rs, '306').url).toBe('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=306');
  });
});

describe('OFAC consolidated non-SDN CSV (CONS_PRIM with NS-CMIC rows)', () => {
  const rs = records(parseOfacCsv(ofacCsvFiles('consolidated'), { consolidated: true }));

  it("names each row's list from its program", () => {
    const lists = new Map<string, number>();
    for (const r of rs) lists.set(r.list, (lists.get(r.list) ?? 0) + 1);
    expect(lists.get('NS-CMIC')).toBe(68);
    expect(byKey(rs, '15268').list).toBe('CAPTA'); // BANK OF KUNLUN, 561-Related
    expect([...lists.keys()].sort()).toEqual(['CAPTA', 'NS-CMIC', 'NS-MBS', 'NS-PLC', 'SSI']);
  });

  it('parses the CMIC listing date kept inside the remarks', () => {
    const telecom = byKey(rs, '30882');
    expect(telecom.name).toBe('CHINA TELECOM CORPORATION LIMITED');
    expect(telecom.listedOn).toBe('2021-06-03');
    expect(byKey(rs, '30902').aliases).toContain('AECC');
  });
});

describe('OFAC CSV: bad input', () => {
  it('rejects the real empty download of 2024-05-04', () => {
    expect(() =>
      parseOfacCsv({ primary: fixture('ofac/sdn_2024-05-04_EMPTY_download.csv') }),
    ).toThrow(ParseError);
    expect(() =>
      parseOfacCsv({ primary: fixture('ofac/sdn_2024-05-04_EMPTY_download.csv') }),
    ).toThrow(/empty/);
  });

  it('rejects an HTML page served in place of the file', () => {
    const html = Buffer.from(
      '<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Down</body></html>',
    );
    expect(() => parseOfacCsv({ primary: html })).toThrow(/HTML page/);
  });

  it('rejects a download cut off mid-record', () => {
    const full = fixture('ofac/sdn_2024-04-04_trimmed.csv');
    for (const share of [0.25, 0.5, 0.9]) {
      const cut = full.subarray(0, Math.floor(full.length * share));
      expect(() => parseOfacCsv({ primary: cut })).toThrow(/truncated|not valid CSV/);
    }
  });

  it('rejects a file whose first field is not an entry number', () => {
    expect(() =>
      parseOfacCsv({ primary: Buffer.from('name,program\r\n"ACME","SDGT"\r\n') }),
    ).toThrow(ParseError);
  });
});

describe('OFAC completeness: the end-of-file mark', () => {
  it('a real SDN.CSV cut exactly at a record boundary (mark gone) is refused as truncated', () => {
    const text = fixture('ofac/sdn_2024-04-12_trimmed.csv').toString('latin1');
    const rows = text.split('\r\n').filter((l) => /^\d/.test(l));
    const cut = Buffer.from(`${rows.slice(0, rows.length - 5).join('\r\n')}\r\n`, 'latin1');
    expect(() => parseOfacCsv({ primary: cut })).toThrow(
      /truncated: it lacks the end-of-file mark \(0x1A\)/,
    );
    expect(() =>
      parseOfacCsv({
        primary: fixture('ofac/sdn.csv'),
        alt: Buffer.from(
          fixture('ofac/alt.csv').toString('latin1').replace(String.fromCharCode(0x1a), ''),
          'latin1',
        ),
      }),
    ).toThrow(/alias file looks truncated/);
    // The same rows with the mark are a complete (smaller) list.
    const whole = parseOfacCsv({ primary: Buffer.concat([cut, Buffer.from([0x1a])]) });
    expect(whole.kind === 'list' && whole.records.length).toBe(rows.length - 5);
  });
});

describe('OFAC CSV entry fingerprints (what lets a poll build only the entries that moved)', () => {
  const files = () => ofacCsvFiles('sdn');
  const latin1 = (b: Buffer) => b.toString('latin1');
  const bytes = (s: string) => Buffer.from(s, 'latin1');

  it('gives every entry a fingerprint, the same for the same files', () => {
    const a = parseOfacCsv(files());
    const b = parseOfacCsv(files());
    expect(a.prints).toHaveLength(a.keys.length);
    expect(new Set(a.prints).size).toBe(a.keys.length);
    expect(b.prints).toEqual(a.prints);
  });

  it('moves the fingerprint of exactly the entry whose alias row changed', () => {
    const before = parseOfacCsv(files());
    const alt = latin1(fixture('ofac/alt.csv')).replace(
      '"AERO-CARIBBEAN"',
      '"AERO CARIBBEAN S.A."',
    );
    const after = parseOfacCsv({ ...files(), alt: bytes(alt) });
    const moved = after.keys.filter(
      (k, i) => after.prints![i] !== before.prints![before.keys.indexOf(k)],
    );
    expect(moved).toEqual(['36']);
    expect(after.record(after.keys.indexOf('36')).aliases).toContain('AERO CARIBBEAN S.A.');
  });

  it('moves fingerprints on an address, a remark continuation or a primary field, and with the reading options', () => {
    const base = parseOfacCsv(files());
    const printOf = (s: ReturnType<typeof parseOfacCsv>, key: string) =>
      s.prints![s.keys.indexOf(key)];
    const add = latin1(fixture('ofac/add.csv'));
    const firstAddKey = add.split(',')[0]!;
    const changedAdd = parseOfacCsv({
      ...files(),
      add: bytes(add.replace(/^(\d+,\d+,)/, '$1"Calle 1",')),
    });
    expect(printOf(changedAdd, firstAddKey)).not.toBe(printOf(base, firstAddKey));
    const sdn = latin1(fixture('ofac/sdn.csv')).replace(
      'AEROCARIBBEAN AIRLINES',
      'AEROCARIBBEAN AIRLINES S.A.',
    );
    expect(printOf(parseOfacCsv({ ...files(), primary: bytes(sdn) }), '36')).not.toBe(
      printOf(base, '36'),
    );
    expect(printOf(parseOfacCsv(files(), { list: 'Other' }), '36')).not.toBe(printOf(base, '36'));
  });

  it("an ASCII file's entries are printed from their rows' bytes, another's from their fields: either way one changed row moves one print", () => {
    const sdn = latin1(fixture('ofac/sdn.csv'));
    expect(isAscii(fixture('ofac/sdn.csv'))).toBe(true);
    const moved = (a: ReturnType<typeof parseOfacCsv>, b: ReturnType<typeof parseOfacCsv>) =>
      b.keys.filter((k, i) => b.prints![i] !== a.prints![a.keys.indexOf(k)]);
    const ascii = parseOfacCsv({ ...files(), primary: bytes(sdn) });
    // A quote OFAC did not need is a change to the row, not to the record: printed from the bytes,
    // the entry is built and compared once, and found unchanged.
    const requoted = parseOfacCsv({
      ...files(),
      primary: bytes(sdn.replace('36,"AEROCARIBBEAN AIRLINES"', '"36","AEROCARIBBEAN AIRLINES"')),
    });
    expect(moved(ascii, requoted)).toEqual(['36']);
    expect(requoted.record(requoted.keys.indexOf('36'))).toEqual(
      ascii.record(ascii.keys.indexOf('36')),
    );
    // One letter beyond ASCII (Windows-1252 é in entry 36): every entry is printed from its fields,
    // so all prints move once, and the same file again gives the same prints.
    const accented = bytes(sdn.replace('AEROCARIBBEAN AIRLINES', 'AÉROCARIBBEAN AIRLINES'));
    const fields = parseOfacCsv({ ...files(), primary: accented });
    expect(moved(ascii, fields)).toHaveLength(ascii.keys.length);
    expect(parseOfacCsv({ ...files(), primary: accented }).prints).toEqual(fields.prints);
    const cuban = latin1(accented)
      .split('\r\n')
      .find((l) => l.includes('"CUBA"'))!
      .split(',')[0];
    const edited = parseOfacCsv({
      ...files(),
      primary: bytes(latin1(accented).replace('"CUBA"', '"CUBA "')),
    });
    expect(moved(fields, edited)).toEqual([cuban]);
  });
});
