// Lookups whose text grows when normalised: 200 × "㎉" is 800 letters after NFKC, one word whose
// search took 0.8 s on the real lists (25× a normal lookup) and held every reply and /healthz
// behind it. The matcher works on a bounded form; the figures are in `npm run bench` (matching).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { normalizeName } from '../../src/names/normalize.js';
import { evalIndex } from '../helpers/matching-eval.js';
import type { Harness } from '../helpers/poll-harness.js';

describe('the work a lookup does after normalisation is bounded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await evalIndex();
  });
  afterAll(() => h.close());

  it('scores a query that expands (NFKC, transliteration) in a bounded form: words of 48 letters, 320 characters', () => {
    const matcher = new NameMatcher(h.db);
    for (const typed of [
      '㎉'.repeat(200),
      '㎉ '.repeat(100),
      'щ'.repeat(200),
      'x'.repeat(200),
      `${'ﬃ'.repeat(60)} ${'㎉'.repeat(60)}`,
    ]) {
      const c = matcher.candidates(typed);
      expect(c.normalized.length, typed.slice(0, 10)).toBeLessThanOrEqual(320);
      expect(
        Math.max(...c.normalized.split(' ').map((w) => w.length)),
        typed.slice(0, 10),
      ).toBeLessThanOrEqual(48);
    }
  });

  it('still answers such a lookup plainly, and real names are untouched', () => {
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:x' };
    expect(runCommand(`lookup ${'㎉'.repeat(200)}`, ctx)).toMatchObject({
      ok: true,
      summary: expect.stringMatching(/is not on any of the \d+ tracked lists/),
    });
    const long =
      'Joint Stock Company Scientific Production Corporation Research and Design Institute of Radio Electronic Engineering';
    expect(new NameMatcher(h.db).candidates(long).normalized).toBe(normalizeName(long));
    expect(runCommand('lookup Huawei Technologies', ctx).summary).toMatch(
      /^1 match for "Huawei Technologies"/,
    );
  });
});
