import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/domain.js';
import { parseRss } from '../../src/sources/rss.js';
import { fixture } from '../helpers/fixtures.js';

async function items(path: string): Promise<FeedItem[]> {
  const s = await parseRss(fixture(path));
  if (s.kind !== 'feed') throw new Error('expected a feed');
  return s.items;
}

describe('PACER RSS', () => {
  it('D.C. Circuit: undoes double escaping, reads EST dates, keys by guid', async () => {
    const it0 = (await items('pacer_rss/cadc.xml'))[0]!;
    expect(it0.title).toBe('22-1214 Food & Water Watch v. FERC');
    expect(it0.guid).toBe(
      'https://ecf.cadc.uscourts.gov/n/beam/servlet/TransportRoom?servlet=DocketReportFilter.jsp&caseNum=22-1214&partId=1984499',
    );
    expect(it0.publishedAt).toBe('2023-02-03T16:57:38.000Z');
    expect(it0.summary).toBe('[Order Filed (CLERK)] ( Document )');
  });

  it('merges entries listed once per event type under one guid', async () => {
    // PACER repeats an entry filed under two event types as two items with one guid; none of the
    // stored feeds happens to contain one, so the first real item is repeated with another label.
    const xml = fixture('pacer_rss/cadc.xml').toString('latin1');
    const first = /<item>[\s\S]*?<\/item>/.exec(xml)![0];
    const twin = first.replace('[Order Filed (CLERK)]', '[Judgment Filed]');
    const s = await parseRss(Buffer.from(xml.replace(first, first + twin), 'latin1'));
    if (s.kind !== 'feed') throw new Error('expected a feed');
    expect(s.items).toHaveLength(13);
    expect(s.items[0]!.summary).toContain('[Order Filed (CLERK)]');
    expect(s.items[0]!.summary).toContain('[Judgment Filed]');
  });

  it('S.D.N.Y.: ISO-8859-1 feed with entities', async () => {
    const list = await items('pacer_rss/sdny_1_excerpt.xml');
    expect(list.length).toBeGreaterThan(20);
    expect(
      list.every((i) => i.guid.startsWith('https://ecf.nysd.uscourts.gov/cgi-bin/DktRpt.pl?')),
    ).toBe(true);
    expect(list.some((i) => /&#x|&amp;/.test(i.title + i.summary))).toBe(false);
  });

  it('bankruptcy feed: trims padded titles', async () => {
    const list = await items('pacer_rss/mdb_1.xml');
    expect(list[0]!.title).toBe(list[0]!.title.trim());
    expect(list[0]!.summary).toMatch(/^Type: ap/);
  });

  it('rejects HTML and an empty body', async () => {
    await expect(
      parseRss(Buffer.from('<!DOCTYPE html><html><body>PACER is down</body></html>')),
    ).rejects.toThrow(/HTML/);
    await expect(parseRss(Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(parseRss(Buffer.from('<rss><channel><item><title>x'))).rejects.toThrow(
      /not valid RSS/,
    );
  });
});
