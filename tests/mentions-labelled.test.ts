// The labelled set of real court captions and agency titles: each must yield exactly the mentions
// it is labelled with, against the real fixture lists, and the real PACER feeds' own entries none.
import { describe, expect, it } from 'vitest';
import type { DesignationRecord } from '../src/domain.js';
import { itemText } from '../src/feeds/policy.js';
import { captionParties, MentionIndex, type MentionName } from '../src/feeds/mentions.js';
import { normalizeName } from '../src/names/normalize.js';
import { parseCsl } from '../src/sources/csl.js';
import { parseGenericCsv } from '../src/sources/generic-csv.js';
import { parseOfacCsv } from '../src/sources/ofac-csv.js';
import { parsePacer } from '../src/sources/pacer.js';
import { fixture, ofacCsvFiles } from './helpers/fixtures.js';
import { listingMentionNames } from './helpers/stored.js';

function lists(): DesignationRecord[] {
  const out: DesignationRecord[] = [];
  const csl = parseCsl(fixture('csl/consolidated_2023-11_excerpt.csv'));
  const cons = parseOfacCsv(ofacCsvFiles('consolidated'), { consolidated: true });
  for (const s of [csl, cons]) if (s.kind === 'list') out.push(...s.records);
  for (const f of ['dod1260h/dod_1260h_2024-01-31.csv', 'dod1260h/dod_1260h_2025-01-07.csv']) {
    const s = parseGenericCsv(fixture(f), {
      list: 'DoD 1260H',
      columns: { name: 'Company', aliases: 'Also known as' },
    });
    if (s.kind === 'list') out.push(...s.records);
  }
  return out;
}

interface Labelled {
  text: string;
  follow?: string[];
  names: string[];
}

const listed = listingMentionNames(lists());
const indexFor = (follow: string[] = []) =>
  new MentionIndex([
    ...listed,
    ...follow.map((f): MentionName => ({
      normalized: normalizeName(f),
      mention: { name: f, key: 'subscription', list: null },
    })),
  ]);
const plain = indexFor();
const labelled = (
  JSON.parse(fixture('mentions/labelled.json').toString('utf8')) as { cases: Labelled[] }
).cases;

describe('mentions: a labelled set of real captions and titles', () => {
  it.each(labelled.map((c) => [c.text.slice(0, 70), c] as const))('%s', (_t, c) => {
    const found = (c.follow ? indexFor(c.follow) : plain).find(c.text);
    expect([...new Set(found.map((m) => m.name.toLowerCase()))].sort()).toEqual(
      c.names.map((n) => n.toLowerCase()).sort(),
    );
  });

  it('the real S.D.N.Y., D.C. Circuit and D. Md. feed entries name no tracked company', async () => {
    let n = 0;
    for (const f of ['pacer_rss/sdny_1_excerpt.xml', 'pacer_rss/cadc.xml', 'pacer_rss/mdb_1.xml']) {
      const s = await parsePacer(fixture(f));
      if (s.kind !== 'feed') throw new Error('feed');
      for (const item of s.items) {
        n++;
        expect([
          item.title,
          plain.find(itemText(item), { parties: captionParties(item.caseName) }),
        ]).toEqual([item.title, []]);
      }
    }
    expect(n).toBe(40);
  });
});
