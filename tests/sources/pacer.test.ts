import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/domain.js';
import { parseDocket, splitCaseTitle } from '../../src/feeds/docket.js';
import { parsePacer } from '../../src/sources/pacer.js';
import { fixture } from '../helpers/fixtures.js';

async function entries(body: Buffer, court?: string): Promise<FeedItem[]> {
  const s = await parsePacer(body, { court });
  if (s.kind !== 'feed') throw new Error('expected a feed');
  return s.items;
}

describe('docket numbers', () => {
  it.each([
    ['1:21-cv-00280', '1:21-cv-00280', '21-cv-00280'],
    ['1:21-cv-00280-RC', '1:21-cv-00280', '21-cv-00280'],
    ['1:18-mj-03122-1', '1:18-mj-03122', '18-mj-03122'],
    ['1:21-CV-280', '1:21-cv-00280', '21-cv-00280'],
    ['21-cv-280', '21-cv-00280', '21-cv-00280'],
    ['22-1406', '22-1406', '22-1406'],
    ['18-00079', '18-00079', '18-00079'],
  ])('%s → %s', (typed, number, core) => {
    expect(parseDocket(typed)).toMatchObject({ number, core });
  });

  it('refuses what is no docket number', () => {
    for (const bad of ['Xiaomi', '1:21-cv', 'cv-00280', '1:21-cv-00280; DROP TABLE', ''])
      expect(parseDocket(bad)).toBeNull();
  });

  it('keeps a title without a docket number whole, as the caption', () => {
    // A malformed number as seen in the wild: the entry is kept and matched by its caption only.
    expect(splitCaseTitle('1:18cv3365 Chau v. Donovan et al')).toEqual({
      docket: null,
      caseName: '1:18cv3365 Chau v. Donovan et al',
    });
  });
});

describe('PACER RSS (pacer kind)', () => {
  it('district (S.D.N.Y.): court from the links, docket, caption, label, document number and /doc1/ link', async () => {
    const list = await entries(fixture('pacer_rss/sdny_1_excerpt.xml'));
    expect(list[0]).toMatchObject({
      court: 'nysd',
      docket: '1:18-cv-03365',
      caseName: 'Chau v. Donovan et al',
      entryTypes: ['Notice of Appearance'],
      documentNumber: '3',
      documentUrl: 'https://ecf.nysd.uscourts.gov/doc1/127122264358?caseid=492165&de_seq_num=10',
      summary: '[Notice of Appearance]',
      publishedAt: '2018-04-18T00:09:55.000Z',
    });
    // Criminal numbers carry a defendant suffix that is not part of the case.
    expect(
      list
        .filter((i) => i.title.startsWith('1:18-mj-03122-1'))
        .every((i) => i.docket === '1:18-mj-03122'),
    ).toBe(true);
    expect(list.every((i) => i.docket && i.court === 'nysd')).toBe(true);
  });

  it('appellate (D.C. Circuit): twice-escaped captions, EST dates, /docs1/ documents', async () => {
    const [first] = await entries(fixture('pacer_rss/cadc.xml'));
    expect(first).toMatchObject({
      court: 'cadc',
      docket: '22-1214',
      caseName: 'Food & Water Watch v. FERC',
      entryTypes: ['Order Filed (CLERK)'],
      documentNumber: '01208491112',
      documentUrl: 'https://ecf.cadc.uscourts.gov/docs1/01208491112',
      publishedAt: '2023-02-03T16:57:38.000Z',
    });
  });

  it('bankruptcy (D. Md.): office prefix in the description, padded titles, no caption', async () => {
    const [closed, misc] = await entries(fixture('pacer_rss/mdb_1.xml'));
    expect(closed).toMatchObject({
      court: 'mdb',
      docket: '18-00079',
      caseName: 'Dozier v. CN of Dundalk, Inc. d/b/a CNAC of D',
      entryTypes: ['Close Adversary Case'],
      documentNumber: null,
      documentUrl: null,
    });
    expect(misc).toMatchObject({
      docket: '18-90003',
      caseName: null,
      entryTypes: ['Miscellaneous Motion'],
      documentNumber: '1',
    });
    expect(misc!.documentUrl).toBe(
      'https://ecf.mdb.uscourts.gov/doc1/092041355320?pdf_header=&de_seq_num=2&caseid=713212',
    );
  });

  it('one filing listed once per event type under one guid is one entry with every label', async () => {
    const list = await entries(fixture('pacer_rss/dcd_constructed_v2.xml'));
    const order = list.filter((i) => i.documentNumber === '22');
    expect(order).toHaveLength(1);
    expect(order[0]!.entryTypes).toEqual([
      'Order on Motion for Preliminary Injunction',
      'Order on Motion for Miscellaneous Relief',
    ]);
  });

  it('decodes entities with a real decoder: &amp;amp; and named entities come out right', async () => {
    const list = await entries(fixture('pacer_rss/dcd_constructed_v2.xml'));
    expect(list[0]!.entryTypes).toEqual(['Memorandum & Opinion']);
    const xml = fixture('pacer_rss/cadc.xml')
      .toString('latin1')
      .replace('Food &amp;amp; Water Watch', 'Food &amp;mdash; Water &amp;eacute; Watch');
    const [first] = await entries(Buffer.from(xml, 'latin1'));
    expect(first!.caseName).toBe('Food — Water é Watch v. FERC');
  });

  it('a minute entry has no document; the court option wins over the links', async () => {
    const list = await entries(fixture('pacer_rss/dcd_constructed_v2.xml'), 'DCD');
    const minute = list.find((i) => i.entryTypes?.includes('Minute Order'))!;
    expect(minute).toMatchObject({
      court: 'dcd',
      documentNumber: null,
      documentUrl: null,
      docket: '1:15-cv-00791',
      caseName: 'SAVAGE v. BURWELL et al',
    });
  });

  it('strips control characters and bidi overrides from titles and labels', async () => {
    const xml = fixture('pacer_rss/cadc.xml')
      .toString('latin1')
      .replace('Food &amp;amp; Water', 'Food&amp;#x1b;[2J&amp;#x7; &amp;#x202e;Water');
    const [first] = await entries(Buffer.from(xml, 'latin1'));
    expect(first!.caseName).toBe('Food[2J Water Watch v. FERC');
  });

  it('refuses HTML and empty bodies like any feed', async () => {
    await expect(
      parsePacer(Buffer.from('<!DOCTYPE html><html><body>PACER is down</body></html>')),
    ).rejects.toThrow(/HTML/);
    await expect(parsePacer(Buffer.alloc(0))).rejects.toThrow(/empty/);
  });
});
