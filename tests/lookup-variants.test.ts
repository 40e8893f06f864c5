// What a compliance officer acts on: "not listed" only when no near name is, with the closest
// names otherwise; variants found as classes (spelling, spacing, scripts, acronyms, short names);
// no noise from names that share one word. On the real fixture lists, through the command core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { runCommand } from '../src/commands/run.js';
import { renderReplyText } from '../src/commands/render-text.js';
import type { CommandContext } from '../src/commands/context.js';
import { namesByTrigrams, namesContaining, trigramCounts } from '../db/name-index.js';
import { ftsPhrase, NameMatcher, trigramsOf } from '../src/names/matcher.js';
import { normalizeName } from '../src/names/normalize.js';
import { nameScore, MATCH_THRESHOLD } from '../src/names/similarity.js';
import { openStore } from '../src/store/open.js';
import { evalIndex } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';

interface Result {
  name: string;
  score: number;
  matched: { name: string; reason: string; why: string; score: number };
  listings: { list: string }[];
}
interface LookupData {
  results: Result[];
  nearMisses: { name: string; lists: string[]; matched: { reason: string; score: number } }[];
}

describe('lookups a compliance officer can rely on', () => {
  let h: Harness;
  let ctx: CommandContext;
  const lookup = (q: string) => {
    const r = runCommand(`lookup ${q}`, ctx);
    return {
      reply: r,
      data: r.data as LookupData,
      names: (r.data as LookupData).results.map((x) => x.name),
    };
  };
  beforeAll(async () => {
    h = await evalIndex();
    ctx = {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [],
      channel: 'slack:C1',
      maxResults: 10,
    };
  });
  afterAll(() => h.close());

  it('finds short names as whole words of names and aliases: DJI', () => {
    const { names, data } = lookup('DJI');
    expect(names).toContain('SZ DJI TECHNOLOGY CO., LTD.');
    expect(data.results.find((r) => r.name === 'SZ DJI TECHNOLOGY CO., LTD.')!.matched.reason).toBe(
      'subsidiary',
    );
  });

  it('sees through spacing, scripts and spelling', () => {
    expect(lookup('Hik Vision').data.results[0]).toMatchObject({
      name: expect.stringMatching(/hikvision/i),
      matched: { reason: 'spacing' },
    });
    // A Cyrillic "а" typed inside a Latin name, and a whole Cyrillic word romanised.
    expect(lookup('Huаwei Technologies').names[0]).toMatch(/huawei technologies/i);
    expect(lookup('Газпром').names[0]).toBe('Public Joint Stock Company Gazprom');
    expect(normalizeName('Russian Export Centre')).toBe(normalizeName('RUSSIAN EXPORT CENTER'));
    expect(normalizeName('Defence Industries Organisation')).toBe(
      normalizeName('DEFENSE INDUSTRIES ORGANIZATION'),
    );
    expect(normalizeName('Hikvision Digital Tech Intl Corp')).toBe(
      normalizeName('Hikvision Digital Technology International Corporation'),
    );
  });

  it('finds the names holding a word by its two rarest trigrams, checked whole: the same names as the phrase of all of them', () => {
    const counts = trigramCounts(h.db);
    const words = h.db.prepare('SELECT word FROM name_words').pluck().all() as string[];
    expect(words.length).toBeGreaterThan(300);
    let spanning = 0;
    for (const w of words) {
      const tri = trigramsOf(w)
        .filter((t) => counts.has(t))
        .sort((a, b) => counts.get(a)! - counts.get(b)!)
        .slice(0, 2);
      const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
      const viaRarest = ids(namesContaining(h.db, tri.map(ftsPhrase).join(' AND '), w, 100_000));
      expect(viaRarest, w).toEqual(ids(namesByTrigrams(h.db, ftsPhrase(w), 100_000, false)));
      // Held across a space of the name ("hik vision" holds "kvis"): the check reads the spaceless form.
      spanning += namesContaining(h.db, tri.map(ftsPhrase).join(' AND '), w, 100_000).filter(
        (r) => !r.normalized.includes(w),
      ).length;
    }
    expect(spanning).toBeGreaterThan(0);
  });

  it('completes a name as it is typed, spaces aside', () => {
    const m = new NameMatcher(h.db);
    expect(m.suggest('hikvi')).toEqual(
      expect.arrayContaining([expect.stringMatching(/hikvision/i)]),
    );
    expect(m.suggest('hik vi')).toEqual(m.suggest('hikvi'));
  });

  it('tells numbered siblings apart: the 33rd institute is not the 31st or the 35th', () => {
    const casic = (n: number) =>
      `China Aerospace Science and Industry Corporation (CASIC) 3rd Academy, ${n} Research Institute`;
    expect(lookup(casic(33)).names).toEqual([casic(33)]);
    // A number nobody lists: not listed, and its siblings are the closest names.
    const none = lookup(casic(34));
    expect(none.names).toEqual([]);
    expect(none.data.nearMisses.map((n) => n.name)).toEqual(
      expect.arrayContaining([casic(31), casic(33), casic(35)]),
    );
    // Real SDN vessels and aircraft (2024-05-01): a typo is never a changed digit.
    expect(nameScore('kum song 3', 'kum song 5')).toBeLessThan(MATCH_THRESHOLD);
    expect(nameScore('msn 371', 'msn 391')).toBeLessThan(MATCH_THRESHOLD);
    expect(nameScore('kumsong3 shipping', 'kumsong5 shipping')).toBeLessThan(MATCH_THRESHOLD);
    expect(nameScore('kum song 3', 'kumsong 3')).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    // Ordinals and Roman numerals are numbers too (SDN 2024: Burmese army divisions, vessels).
    const division = (n: string) =>
      normalizeName(`${n} LIGHT INFANTRY DIVISION OF THE BURMESE ARMY`);
    expect(nameScore(division('77TH'), division('99TH'))).toBeLessThan(MATCH_THRESHOLD);
    expect(
      nameScore(normalizeName('BICENTENARIO XII'), normalizeName('BICENTENARIO XIV')),
    ).toBeLessThan(MATCH_THRESHOLD);
    expect(nameScore(normalizeName('Bicentenario XII'), normalizeName('BICENTENARIO XII'))).toBe(1);
    // A query with fewer numbers than the name is less specific, not another entity; one with a
    // number the name lacks names something else.
    expect(nameScore('pla unit 61398', 'pla unit 61398 3')).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(nameScore('pla unit 61398 4', 'pla unit 61398 3')).toBeLessThan(MATCH_THRESHOLD);
  });

  it('finds acronyms both ways', () => {
    expect(lookup('CNOOC').names).toContain('China National Offshore Oil Corporation');
    const smic = lookup('Semiconductor Manufacturing International Corp');
    expect(smic.names[0]).toMatch(/semiconductor manufacturing international/i);
  });

  it('ranks a company above the names that contain it, and shows them', () => {
    const { data } = lookup('Gazprom');
    expect(data.results.map((r) => [r.name, r.matched.reason])).toEqual([
      ['Public Joint Stock Company Gazprom', 'exact'],
      ['Public Joint Stock Company Gazprom Neft', 'subsidiary'],
    ]);
    expect(data.results[0]!.score).toBeGreaterThan(data.results[1]!.score);
  });

  it('keeps "holding" in a name: Huawei is Huawei Technologies, not the holding company', () => {
    expect(normalizeName('Huawei Investment & Holding Co., Ltd.')).toBe(
      'huawei investment and holding',
    );
    expect(lookup('Huawei').names[0]).toMatch(/^huawei technologies co\., ltd\.$/i);
    const history = runCommand('history Huawei', ctx);
    expect(history.summary).toMatch(/HUAWEI TECHNOLOGIES CO\., LTD\./i);
  });

  it('no noise: one shared word is not a match when the query names something else', () => {
    // "China Mobile" finds the China Mobile entities and nothing that merely holds "Mobile".
    const mobile = lookup('China Mobile');
    expect(mobile.names.every((n) => /china mobile/i.test(n))).toBe(true);
    // A listed name followed by other distinctive words names another company.
    for (const q of ['Huawei Europa Trading GmbH', 'Megvii Europa Trading GmbH'])
      expect(lookup(q).names, q).toEqual([]);
    expect(nameScore('hikvision europa', 'hangzhou hikvision digital technology')).toBeLessThan(
      MATCH_THRESHOLD,
    );
  });

  it('never a bare "not listed" when near names exist: the closest names are shown, with why', () => {
    const { reply, data } = lookup('Hikvision Europa');
    expect(data.results).toEqual([]);
    expect(reply.summary).toMatch(
      /is not on any of the \d+ tracked lists.*Not listed, closest names:$/,
    );
    expect(data.nearMisses[0]).toMatchObject({
      name: expect.stringMatching(/hikvision/i),
      lists: ['NS-CMIC'],
      matched: { reason: 'similar' },
    });
    expect(data.nearMisses[0]!.matched.score).toBeLessThan(MATCH_THRESHOLD);
    expect(renderReplyText(reply)).toMatch(
      /Closest names \(below the match threshold: check them\)[\s\S]*Hikvision/i,
    );
    // Nothing near at all: the plain answer, and an empty nearMisses in JSON.
    const none = lookup('Xiaomi Corporation');
    expect(none.reply.summary).toMatch(
      /^"Xiaomi Corporation" is not on any of the \d+ tracked lists \(as of .*\)\.$/,
    );
    expect(none.data.nearMisses).toEqual([]);
  });

  it('every result says how it matched and with what score', () => {
    const { data } = lookup('Huawei Technologie');
    expect(data.results[0]).toMatchObject({
      matched: { reason: 'typo', why: 'one typo per word' },
    });
    expect(data.results[0]!.score).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  it('subscribe answers with what the name matches today, through the same scorer', () => {
    const r = runCommand('subscribe Hik Vision', ctx);
    expect(r.summary).toMatch(/It matches 1 entity now \(1 currently listed\): .*HIKVISION/i);
    const later = runCommand('subscribe Hesai Photonics', ctx);
    expect(later.summary).toMatch(
      /Nothing on the tracked lists matches it yet: this channel will hear if it is listed\./,
    );
  });
});

describe('the name index follows the code', () => {
  it('re-indexes every name once when the way names are normalised changes', async () => {
    const h = await evalIndex();
    const path = `${h.dir}/test.db`;
    // A database indexed by an older build: its stored forms differ and its scheme is behind.
    h.db.prepare("UPDATE entity_names SET normalized = 'stale', compact = 'stale'").run();
    h.db
      .prepare(
        "INSERT INTO holdings (channel, name, normalized, created_at) VALUES ('slack:C1', 'Hikvision Digital Technology Co., Ltd.', 'stale', '2026-01-01')",
      )
      .run();
    h.db.prepare("DELETE FROM meta WHERE key = 'names_scheme'").run();
    h.db.close();
    const { db, reindexed } = openStore(path);
    expect(reindexed).toBeGreaterThan(200);
    expect(
      db.prepare("SELECT count(*) FROM entity_names WHERE normalized = 'stale'").pluck().get(),
    ).toBe(0);
    // Held names route by their stored form: it follows the code too.
    expect(db.prepare('SELECT normalized FROM holdings').pluck().get()).toBe(
      normalizeName('Hikvision Digital Technology Co., Ltd.'),
    );
    expect(new NameMatcher(db).match('Hik Vision')).toMatchObject({
      ok: true,
      hits: expect.arrayContaining([expect.objectContaining({ reason: 'spacing' })]),
    });
    db.close();
    expect(openStore(path).reindexed).toBe(0);
    const again = openDb(path);
    again.db.close();
    h.close();
  });
});
