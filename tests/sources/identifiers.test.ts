// Identifiers and CMIC dates parsed from the real OFAC and CSL rows in the fixtures.
import { describe, expect, it } from 'vitest';
import { bindingDates } from '../../src/alerts/binding.js';
import { alertForChange } from '../../src/alerts/derive.js';
import { alertJson, formatAlertText } from '../../src/alerts/format-text.js';
import { diffSnapshot } from '../../src/poll/diff.js';
import { listSnapshot } from '../../src/sources/list-snapshot.js';
import type { Alert, DesignationRecord } from '../../src/domain.js';
import { parseCsl } from '../../src/sources/csl.js';
import { isValidIsin, parseRemarkFacts } from '../../src/sources/identifiers.js';
import { parseOfacCsv } from '../../src/sources/ofac-csv.js';
import { fixture } from '../helpers/fixtures.js';
import { storedRecords } from '../helpers/stored.js';

const records = (s: ReturnType<typeof parseOfacCsv>) => (s.kind === 'list' ? s.records : []);
const cons = records(
  parseOfacCsv(
    {
      primary: fixture('ofac/cons_prim.csv'),
      alt: fixture('ofac/cons_alt.csv'),
      comments: fixture('ofac/cons_comments.csv'),
    },
    { consolidated: true },
  ),
);
const csl = (() => {
  const s = parseCsl(fixture('csl/consolidated_2023-11_excerpt.csv'));
  return s.kind === 'list' ? s.records : [];
})();

describe('identifiers on every record', () => {
  it('reads the NS-CMIC rows of CONS_PRIM.CSV: ISINs, tickers with their exchange, CMIC dates, Linked To', () => {
    const mobile = cons.find((r) => r.name === 'CHINA MOBILE LIMITED')!;
    expect(mobile.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'ISIN', value: 'US16941M1099' },
        { type: 'ISIN', value: 'HK0941009539' },
        { type: 'Ticker', value: 'CHL', exchange: 'US' },
        { type: 'Ticker', value: '941', exchange: 'HK' },
      ]),
    );
    expect(mobile).toMatchObject({
      effectiveOn: '2021-08-02',
      divestBy: '2022-06-03',
      listedOn: '2021-06-03',
      linkedTo: ['CHINA MOBILE COMMUNICATIONS GROUP CO., LTD'],
    });
    // The raw remark stays.
    expect(mobile.remarks).toMatch(/^Equity Ticker CHL US; alt\. Equity Ticker 941 HK/);
    const telecom = cons.find((r) => r.name === 'CHINA TELECOM CORPORATION LIMITED')!;
    expect(telecom.identifiers).toContainEqual({
      type: 'USCC',
      value: '9111000071093019X7',
      country: 'China',
    });
    expect(telecom.linkedTo).toEqual(['CHINA TELECOMMUNICATIONS CORPORATION']);
  });

  it('reads every identifier type the fixtures carry, in OFAC remarks and in the CSL ids column', () => {
    const types = (rs: DesignationRecord[]) =>
      new Set(rs.flatMap((r) => (r.identifiers ?? []).map((i) => i.type)));
    expect(types(cons)).toEqual(
      new Set([
        'ISIN',
        'Ticker',
        'USCC',
        'LEI',
        'SWIFT/BIC',
        'Registration Number',
        'Government Gazette Number',
        'Tax ID',
      ]),
    );
    expect(types(csl)).toEqual(
      new Set([
        'ISIN',
        'Ticker',
        'USCC',
        'LEI',
        'SWIFT/BIC',
        'Registration Number',
        'Government Gazette Number',
        'Tax ID',
      ]),
    );
    const telecom = csl.find((r) => /^China Telecom Corporation Limited$/i.test(r.name))!;
    expect(telecom).toMatchObject({ effectiveOn: '2021-08-02', divestBy: '2022-06-03' });
    expect(telecom.identifiers).toContainEqual({ type: 'ISIN', value: 'US1694261033' });
    expect(telecom.identifiers).toContainEqual({ type: 'Ticker', value: 'CHA', exchange: 'US' });
    // Kinds the fixtures' remarks lack, in OFAC's own spelling.
    expect(
      parseRemarkFacts(
        'Vessel Registration Identification IMO 9187629; MMSI 422031300; SWIFT/BIC BKMTIRTH; Tax ID No. 7702070139 (Russia); alt. Legal Entity Number 253400V1H6ART1UQ0N98',
      ).identifiers,
    ).toEqual([
      { type: 'IMO', value: '9187629' },
      { type: 'MMSI', value: '422031300' },
      { type: 'SWIFT/BIC', value: 'BKMTIRTH' },
      { type: 'Tax ID', value: '7702070139', country: 'Russia' },
      { type: 'LEI', value: '253400V1H6ART1UQ0N98' },
    ]);
  });

  it('reads a part whatever white space opens it, and in any case where OFAC varies it ("alt.", "Linked To")', () => {
    // Most parts (genders, websites, dates) are passed over by their first two letters; these must not be.
    expect(
      parseRemarkFacts(
        'Gender Male;\tTax ID No. 1234 (Russia);\u00a0ISIN US0378331005; ALT. Equity Ticker AAPL US; LINKED TO: X CO.; Website x.com; Organization Established Date 1990;\v\fRegistration ID 99',
      ),
    ).toEqual({
      identifiers: [
        { type: 'Tax ID', value: '1234', country: 'Russia' },
        { type: 'ISIN', value: 'US0378331005' },
        { type: 'Ticker', value: 'AAPL', exchange: 'US' },
        { type: 'Registration Number', value: '99' },
      ],
      effectiveOn: null,
      divestBy: null,
      linkedTo: ['X CO'],
    });
  });

  it('checks ISINs by their check digit, and keeps a wrong one marked as the list printed it', () => {
    for (const ok of ['US16941M1099', 'US0378331005', 'CNE1000002V2', 'HK0941009539'])
      expect(isValidIsin(ok), ok).toBe(true);
    for (const bad of ['US0378331006', 'US16941M1098', 'BRC1EODR004', 'us0378331005'])
      expect(isValidIsin(bad), bad).toBe(false);
    // Real: OFAC prints an 11-character ISIN for one CMIC issuer.
    expect(
      cons
        .flatMap((r) => r.identifiers ?? [])
        .filter((i) => i.valid === false)
        .map((i) => i.value),
    ).toContain('BRC1EODR004');
  });
});

describe('identifier changes and what binds an investor', () => {
  const mobile = () => structuredClone(cons.find((r) => r.name === 'CHINA MOBILE LIMITED')!);
  const stored = (r: DesignationRecord) => storedRecords([r]);

  it('a record stored before identifiers were parsed is refreshed silently, not amended', () => {
    const now = mobile();
    const { identifiers: _i, effectiveOn: _e, divestBy: _d, linkedTo: _l, ...old } = now;
    const d = diffSnapshot(stored(old as DesignationRecord), listSnapshot([now]));
    expect(d.changes).toEqual([]);
    expect(d.refreshed.map((r) => r.key)).toEqual([now.key]);
  });

  it('an identifier added or removed is an amendment, before → after', () => {
    const before = mobile();
    const after = mobile();
    after.identifiers = [...after.identifiers!, { type: 'ISIN', value: 'US0378331005' }];
    const { changes } = diffSnapshot(stored(before), listSnapshot([after]));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      type: 'designation.amended',
      fields: [{ field: 'identifiers' }],
    });
  });

  it('an NS-CMIC listing alert says in words what binds, and --json carries the facts', () => {
    const r = mobile();
    expect(bindingDates(r)).toBe(
      'purchases barred from 2021-08-02; divestment allowed until 2022-06-03',
    );
    const alert = {
      ...alertForChange(
        { type: 'designation.added', record: r },
        { id: 'ofac-cons', label: 'OFAC consolidated' },
        '2021-06-03T12:00:00Z',
      ),
      id: 1,
      channels: ['console:x'],
    } as Alert;
    expect(formatAlertText(alert)).toMatch(
      /ADDED to NS-CMIC: CHINA MOBILE LIMITED \[CMIC-EO13959\] listed 2021-06-03 — purchases barred from 2021-08-02; divestment allowed until 2022-06-03/,
    );
    expect(alertJson(alert)).toMatchObject({
      effectiveOn: '2021-08-02',
      divestBy: '2022-06-03',
      linkedTo: ['CHINA MOBILE COMMUNICATIONS GROUP CO., LTD'],
      identifiers: expect.arrayContaining([{ type: 'ISIN', value: 'US16941M1099' }]),
    });
  });
});
