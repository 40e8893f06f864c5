// reachTest (src/names/similarity.ts) lets routing drop a followed name without preparing or
// scoring it. It must never drop one that scores the threshold: checked here over the real lists'
// names (OFAC SDN and consolidated excerpts, the CSL excerpt) against queries made the ways users
// and the bench follow them: as listed, with words added, with a word dropped, misspelt, joined
// or split, and names that only share a word.
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../src/names/normalize.js';
import {
  MATCH_THRESHOLD,
  explainPrepared,
  reachTest,
  prepareName,
  type PreparedName,
} from '../src/names/similarity.js';
import { fixtureRecords } from './helpers/fixture-records.js';
import { rng } from './helpers/rng.js';

const listed = fixtureRecords()
  .flatMap((r) => [r.name, ...(r.aliases ?? [])])
  .map((n) => normalizeName(n))
  .filter((n): n is string => !!n);
const names = [...new Set(listed)];
const ADDED = ['north', 'global', 'trading', 'group', 'pacific', 'textiles', 'china', 'iran', '3'];

/** A followed name made from a listed one. */
function variant(name: string, r: () => number): string {
  const words = name.split(' ');
  const i = Math.floor(r() * words.length);
  const w = words[i]!;
  switch (Math.floor(r() * 6)) {
    case 0:
      return [...words, ADDED[Math.floor(r() * ADDED.length)]!].join(' ');
    case 1:
      return words.length > 1 ? words.filter((_, j) => j !== i).join(' ') : name;
    case 2:
      // One letter changed, dropped or doubled.
      return words
        .map((x, j) =>
          j !== i || x.length < 4
            ? x
            : x.slice(0, 2) + ['x', '', x[2]! + x[2]!][j % 3] + x.slice(3),
        )
        .join(' ');
    case 3:
      return words.length > 1 ? [...words.slice(0, 1), words.slice(1).join('')].join(' ') : name;
    case 4:
      return w.length > 5
        ? words.map((x) => (x === w ? `${x.slice(0, 3)} ${x.slice(3)}` : x)).join(' ')
        : name;
    default:
      return [
        w,
        ADDED[Math.floor(r() * ADDED.length)]!,
        ADDED[Math.floor(r() * ADDED.length)]!,
      ].join(' ');
  }
}

describe('reachTest', () => {
  it('never drops a followed name that scores the threshold against a listed one', () => {
    expect(names.length).toBeGreaterThan(400);
    const r = rng(33);
    // Listed names by word, so that most pairs share a word, as the ones routing reaches do.
    const byWord = new Map<string, string[]>();
    for (const n of names)
      for (const w of new Set(n.split(' '))) byWord.set(w, [...(byWord.get(w) ?? []), n]);
    const prepared = new Map<string, PreparedName>();
    const prep = (n: string) => prepared.get(n) ?? prepared.set(n, prepareName(n)).get(n)!;
    // One test per listed name, asked of every query, as routing asks it.
    const tests = new Map<string, (name: string) => boolean>();
    const reaches = (n: string) =>
      tests.get(n) ?? tests.set(n, reachTest(prep(n), MATCH_THRESHOLD)).get(n)!;
    let dropped = 0;
    let kept = 0;
    let matches = 0;
    for (let k = 0; k < 20000; k++) {
      // One to three changes, so that a join or a typo meets an added word.
      let query = names[Math.floor(r() * names.length)]!;
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) query = variant(query, r);
      const words = query.split(' ');
      const sharing = byWord.get(words[Math.floor(r() * words.length)]!) ?? names;
      for (const candidate of [
        sharing[Math.floor(r() * sharing.length)]!,
        names[Math.floor(r() * names.length)]!,
      ]) {
        const c = prep(candidate);
        const score = explainPrepared(prep(query), c, MATCH_THRESHOLD).score;
        if (score >= MATCH_THRESHOLD) matches++;
        if (reaches(candidate)(query)) kept++;
        else {
          dropped++;
          expect(score, `${query} | ${candidate}`).toBeLessThan(MATCH_THRESHOLD);
        }
        // Run together with another name, only the missing words count.
        const joined = prepareName(`${candidate} ${names[Math.floor(r() * names.length)]}`);
        if (!reachTest(joined, MATCH_THRESHOLD, false)(query))
          expect(
            explainPrepared(prep(query), c, MATCH_THRESHOLD).score,
            `${query} | ${candidate} (joined)`,
          ).toBeLessThan(MATCH_THRESHOLD);
      }
    }
    // The check is not idle: it saw matches, and it both dropped and kept names.
    expect(matches).toBeGreaterThan(500);
    expect(dropped).toBeGreaterThan(1000);
    expect(kept).toBeGreaterThan(1000);
  });
});
