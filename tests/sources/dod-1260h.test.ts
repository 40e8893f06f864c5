import { describe, expect, it } from 'vitest';
import {
  companyOf,
  listNotices,
  namesInNotice,
  noticeBody,
  noticeKind,
  parseDod1260h,
  replayNotices,
} from '../../src/sources/dod-1260h.js';
import { readDocumentText } from '../../src/sources/fr-full-text.js';
import { dod1260hSearchUrl, sameSite } from '../../src/sources/federal-register-query.js';
import { ParseError } from '../../src/sources/parse.js';
import { fixture } from '../helpers/fixtures.js';

const DIR = 'federal_register/dod_1260h';
const text = (name: string) => fixture(`${DIR}/${name}`);
const enc = (s: string) => new TextEncoder().encode(s);

/** The search answer with only the given documents, as the API would have answered on an earlier day. */
function answerWith(...numbers: string[]): Uint8Array {
  const all = JSON.parse(new TextDecoder().decode(text('documents_shaped.json'))) as {
    results: { document_number: string }[];
  };
  const results = all.results.filter((r) => numbers.includes(r.document_number));
  return enc(JSON.stringify({ count: results.length, total_pages: 1, results }));
}

const bodiesFor = (...numbers: string[]) => ({
  main: answerWith(...numbers),
  [noticeBody('2021-13753')]: text('2021-13753_shaped.txt'),
  [noticeBody('2024-30018')]: text('2024-30018_shaped.txt'),
  [noticeBody('2025-00070')]: text('2025-00070_shaped.txt'),
  [noticeBody('2026-11571')]: text('2026-11571_shaped.xml'),
});

describe('DoD 1260H from the Federal Register (dod-1260h kind)', () => {
  it('asks the API for every DoD notice about Chinese military companies, with where each text is', () => {
    const u = new URL(
      dod1260hSearchUrl({
        id: 'dod-1260h',
        kind: 'dod-1260h',
        url: 'https://www.federalregister.gov/api/v1/documents.json',
        schedule: '',
        options: {},
      }),
    );
    expect(u.searchParams.getAll('conditions[agencies][]')).toEqual(['defense-department']);
    expect(u.searchParams.get('conditions[term]')).toBe('"chinese military"');
    expect(u.searchParams.getAll('fields[]')).toEqual(
      expect.arrayContaining([
        'raw_text_url',
        'full_text_xml_url',
        'citation',
        'publication_date',
        'action',
      ]),
    );
  });

  it('tells editions, additions and removals apart by title and action, and leaves other DoD documents out', () => {
    expect(
      noticeKind('Notice of Availability of Designation of Chinese Military Companies', 'Notice.'),
    ).toBe('edition');
    expect(
      noticeKind(
        'Notice of Designation of Chinese Military Companies Under the William M. (Mac) Thornberry NDAA for FY21',
        'Notice.',
      ),
    ).toBe('edition');
    expect(
      noticeKind(
        'Notice of Designation of Chinese Military Company',
        'Notice of addition of a company to the Section 1260H List of Chinese Military Companies Operating in the United States.',
      ),
    ).toBe('additions');
    expect(
      noticeKind('Notice of Removal of Designated Chinese Military Companies', 'Notice.'),
    ).toBe('removals');
    expect(
      noticeKind(
        'Defense Federal Acquisition Regulation Supplement: Prohibition on Chinese Military Companies',
        'Final rule.',
      ),
    ).toBe(null);
    expect(noticeKind('Meeting of the Defense Policy Board', 'Notice.')).toBe(null);
    const notices = listNotices(text('documents_shaped.json'));
    expect(notices.map((n) => [n.documentNumber, n.kind, n.publishedOn, n.citation])).toEqual([
      ['2021-13753', 'edition', '2021-06-28', '86 FR 33994'],
      ['2024-30018', 'removals', '2024-12-18', null],
      ['2025-00070', 'edition', '2025-01-07', '90 FR 1105'],
      ['2026-11571', 'edition', '2026-06-10', '91 FR 35189'],
    ]);
    // The raw text when there is one, the XML otherwise.
    expect(notices[2]!.textUrl).toBe(
      'https://www.federalregister.gov/documents/full_text/text/2025/01/07/2025-00070.txt',
    );
    expect(notices[3]!.textUrl).toBe(
      'https://www.federalregister.gov/documents/full_text/xml/2026/06/10/2026-11571.xml',
    );
  });

  it('reads the names of a notice from its SUPPLEMENTARY INFORMATION, aliases from the parentheses', () => {
    const names = namesInNotice(text('2025-00070_shaped.txt'), '2025-00070');
    expect(names).toHaveLength(17);
    expect(names[0]).toEqual({
      name: '360 Security Technology Inc.',
      aliases: ['Qihoo 360'],
      reasons: null,
    });
    expect(names.find((n) => n.name.startsWith('Tencent'))).toEqual({
      name: 'Tencent Holdings Limited',
      aliases: [],
      reasons: null,
    });
    // A legal form in parentheses stays part of the name.
    expect(names.find((n) => n.aliases.includes('CCCG'))!.name).toBe(
      'China Communications Construction Group (Limited)',
    );
    // The statute, the determination and the closing sentence are prose, not names.
    expect(names.some((n) => /Deputy|Section|reconsideration/.test(n.name))).toBe(false);
  });

  it('reads the XML form the same way, with the reasons the 2026 edition gives after each name', () => {
    const names = namesInNotice(text('2026-11571_shaped.xml'), '2026-11571');
    expect(names).toHaveLength(16);
    expect(names.find((n) => n.name === 'Hesai Group')).toMatchObject({
      aliases: ['Hesai Technology Co., Ltd.'],
      reasons: expect.stringMatching(/^Hesai Group is directly affiliated with MIIT/),
    });
    expect(names.find((n) => n.name === 'Tencent Holdings Limited')).toEqual({
      name: 'Tencent Holdings Limited',
      aliases: ['Tencent'],
      reasons: 'Tencent is indirectly affiliated with the PLA (Section 1260H(g)(2)(B)(i)(I)).',
    });
    expect(names.find((n) => n.name.startsWith('Huawei Investment'))!.name).toBe(
      'Huawei Investment & Holding Co., Ltd.',
    );
    expect(names.find((n) => n.name.startsWith('Huawei Technologies'))!.reasons).toBe(null);
  });

  it('takes a name paragraph apart, and refuses prose', () => {
    expect(companyOf('Hesai Group (also known as Hesai Technology Co., Ltd.)')).toEqual({
      name: 'Hesai Group',
      aliases: ['Hesai Technology Co., Ltd.'],
      reasons: null,
    });
    expect(companyOf('Aviation Industry Corporation of China Ltd. (AVIC)*')).toMatchObject({
      name: 'Aviation Industry Corporation of China Ltd.',
      aliases: ['AVIC'],
    });
    expect(companyOf('3. Inspur Group Co., Ltd. (Inspur);')).toMatchObject({
      name: 'Inspur Group Co., Ltd.',
      aliases: ['Inspur'],
    });
    expect(
      companyOf('Tencent is indirectly affiliated with the PLA (Section 1260H(g)(2)(B)(i)(I)).'),
    ).toBe(null);
    expect(
      companyOf(
        'The Deputy Secretary of Defense has determined that the following entities are “Chinese military companies”:',
      ),
    ).toBe(null);
    expect(
      companyOf('FOR FURTHER INFORMATION CONTACT: Mr. Devante Brown (GIES), (703) 695-8545.'),
    ).toBe(null);
    expect(companyOf('Department of Defense')).toBe(null);
  });

  it('builds the list: the latest edition, changes after it, each entry dated and cited by the notice that listed it', () => {
    const s = parseDod1260h(bodiesFor('2021-13753', '2024-30018', '2025-00070'));
    const by = (name: string) => s.records.find((r) => r.name === name || r.aliases.includes(name));
    expect(s.records).toHaveLength(17);
    // Listed in 2021 and named again in 2025: listed since the first notice.
    expect(by('AVIC')).toMatchObject({
      list: 'DoD 1260H',
      listedOn: '2021-06-28',
      citation: '86 FR 33994',
      url: expect.stringContaining('2021-13753'),
    });
    // New in the 2025 edition.
    expect(by('Tencent Holdings Limited')).toMatchObject({
      listedOn: '2025-01-07',
      citation: '90 FR 1105',
      programs: [],
      countries: ['CN'],
      type: 'entity',
    });
    // An edition that no longer names a company removes it.
    expect(by('CRCC')).toBeUndefined();
    expect(by('Torch Electron')).toBeUndefined();
    // A renamed alias keeps the listing (found again by its name).
    expect(by('CH UAV')).toMatchObject({
      name: 'Aerospace CH UAV Co., Ltd',
      listedOn: '2021-06-28',
    });
    // The removal notice names two companies the list as read does not hold (the 2024 edition is not among these notices).
    expect(s.warnings.join(' ')).toMatch(/2024-30018 .*removes "IDG Capital Partners Co., Ltd."/);
  });

  it('keeps a company renamed in a later edition as one listing, found by a name it shares', () => {
    const s = parseDod1260h(bodiesFor('2025-00070', '2026-11571'));
    const by = (name: string) => s.records.find((r) => r.name === name || r.aliases.includes(name));
    expect(by('DJI')).toMatchObject({
      name: 'Shenzhen DJI Technology Co., Ltd.',
      listedOn: '2025-01-07',
      citation: '90 FR 1105',
    });
    expect(by('Hesai Technology Co., Ltd.')).toMatchObject({
      name: 'Hesai Group',
      listedOn: '2025-01-07',
      key: '1260h:hesai technology co ltd',
    });
    expect(by('Alibaba')).toMatchObject({
      listedOn: '2026-06-10',
      citation: '91 FR 35189',
      remarks: expect.stringMatching(/^Alibaba is indirectly affiliated with SASAC/),
    });
    for (const gone of ['Costar', 'CNOOC China Ltd.', 'COSCO SHIPPING Finance Co., Ltd.'])
      expect(by(gone)).toBeUndefined();
    expect(s.warnings).toEqual([]);
  });

  it('removes what a removal notice names', () => {
    const added = replayNotices([
      {
        notice: {
          documentNumber: 'a',
          kind: 'edition',
          title: 'Notice of Availability',
          publishedOn: '2024-04-02',
          citation: null,
          url: 'u',
          textUrl: 't',
        },
        companies: [
          companyOf('IDG Capital Partners Co., Ltd. (IDG Capital)')!,
          companyOf('Tencent Holdings Limited')!,
        ],
      },
    ]);
    expect(added.records).toHaveLength(2);
    const notices = listNotices(answerWith('2024-30018'));
    const removal = namesInNotice(text('2024-30018_shaped.txt'), '2024-30018');
    expect(removal.map((c) => c.name)).toEqual([
      'IDG Capital Partners Co., Ltd.',
      'Advanced Micro-Fabrication Equipment Inc. China',
    ]);
    const after = replayNotices([
      {
        notice: {
          documentNumber: 'a',
          kind: 'edition',
          title: 'Notice of Availability',
          publishedOn: '2024-04-02',
          citation: null,
          url: 'u',
          textUrl: 't',
        },
        companies: [
          companyOf('IDG Capital Partners Co., Ltd. (IDG Capital)')!,
          companyOf('Tencent Holdings Limited')!,
        ],
      },
      { notice: notices[0]!, companies: removal },
    ]);
    expect(after.records.map((r) => r.name)).toEqual(['Tencent Holdings Limited']);
  });

  it('fails on a notice it cannot read, and does not read an edition that names no one as an empty list by itself', () => {
    const bodies = bodiesFor('2025-00070');
    // An error page served where the notice's text should be.
    expect(() =>
      parseDod1260h({
        ...bodies,
        [noticeBody('2025-00070')]: enc(
          '<html><body><h1>503 Service Unavailable</h1></body></html>',
        ),
      }),
    ).toThrow(/no SUPPLEMENTARY INFORMATION section/);
    expect(() => parseDod1260h({ ...bodies, [noticeBody('2025-00070')]: enc('') })).toThrow(
      ParseError,
    );
    // Missing text is never read as "no names".
    expect(() => parseDod1260h({ main: bodies.main })).toThrow(/was not fetched/);
    // A removal notice whose names cannot be read fails the poll.
    const blank = enc(
      '<pre>\nSUPPLEMENTARY INFORMATION: The Deputy Secretary of Defense has determined that the following should be removed:\n</pre>',
    );
    expect(() =>
      parseDod1260h({
        ...bodiesFor('2021-13753', '2024-30018'),
        [noticeBody('2024-30018')]: blank,
      }),
    ).toThrow(/2024-30018 .* names no company/);
    // The only edition naming no one: nothing to build a list from.
    expect(() => parseDod1260h({ ...bodies, [noticeBody('2025-00070')]: blank })).toThrow(
      /no full edition/,
    );
    // A later edition naming no one empties the list, with why: the poller's shrink guard holds that back.
    const later = parseDod1260h({
      ...bodiesFor('2025-00070', '2026-11571'),
      [noticeBody('2026-11571')]: blank,
    });
    expect(later.records).toHaveLength(0);
    expect(later.warnings.join(' ')).toMatch(/2026-11571 .* names no company/);
  });

  it('refuses an answer that is not the API', () => {
    expect(() => listNotices(enc('<!doctype html><html><body>Maintenance</body></html>'))).toThrow(
      /HTML page/,
    );
    expect(() =>
      listNotices(
        enc(
          '{"results": [{"document_number": "2025-00070", "title": "Notice of Availability of Designation of Chinese Military Companies", "publication_date": "2025-01-07"}]}',
        ),
      ),
    ).toThrow(/without raw_text_url/);
    expect(listNotices(enc('{"count": 0, "description": "none"}'))).toEqual([]);
    expect(() => parseDod1260h({ main: enc('{"count": 0}') })).toThrow(
      /lists no Section 1260H notice/,
    );
  });

  it('reads a federalregister.gov link from a mirror when the source is one', () => {
    const link =
      'https://www.federalregister.gov/documents/full_text/text/2025/01/07/2025-00070.txt';
    expect(sameSite(link, 'http://127.0.0.1:8080/api/v1/documents.json')).toBe(
      'http://127.0.0.1:8080/documents/full_text/text/2025/01/07/2025-00070.txt',
    );
    expect(sameSite(link, 'https://www.federalregister.gov/api/v1/documents.json')).toBe(link);
    expect(
      sameSite('https://other.example/x.txt', 'http://127.0.0.1:8080/api/v1/documents.json'),
    ).toBe('https://other.example/x.txt');
  });

  it("reads GPO text paragraphs: an indented line starts one, page markers and ``quotes'' are undone", () => {
    const doc = readDocumentText(
      enc(
        "<pre>\nSUPPLEMENTARY INFORMATION: Section 1260H requires the\n[[Page 1106]]\nSecretary to list ``Chinese military companies.''\n    Tencent Holdings Limited\n    Dated: January 2, 2025.\n    Not read\n</pre>",
      ),
      'x',
    );
    expect(doc.supplementary).toEqual([
      'Section 1260H requires the Secretary to list “Chinese military companies.”',
      'Tencent Holdings Limited',
    ]);
  });
});
