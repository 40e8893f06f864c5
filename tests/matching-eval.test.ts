// Precision and recall floors on the held-out half of the evaluation set (tests/fixtures/matching/
// test.json), which was never looked at while the scorer was tuned on the development half.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devSet, evalIndex, evaluate, ourEngine, testSet } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';

describe('name matching on the evaluation set', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await evalIndex();
  });
  afterAll(() => h.close());

  it('meets the precision and recall floors on the held-out set', () => {
    const r = evaluate(ourEngine(h.db), testSet);
    expect(r.precision).toBeGreaterThanOrEqual(0.97);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never matches a bare generic word or phrase', () => {
    const engine = ourEngine(h.db);
    for (const n of [...devSet.negatives, ...testSet.negatives].filter((x) => x.kind === 'generic'))
      expect(engine(n.query), n.query).toEqual([]);
  });

  it('is as large as the issue asks, in both halves, with every kind of case', () => {
    const positives = [...devSet.positives, ...testSet.positives];
    const negatives = [...devSet.negatives, ...testSet.negatives];
    expect(positives.length).toBeGreaterThanOrEqual(300);
    expect(negatives.length).toBeGreaterThanOrEqual(200);
    expect(testSet.positives.length).toBeGreaterThanOrEqual(120);
    const kinds = [
      'alias',
      'legal-suffix',
      'typo',
      'reordered',
      'british',
      'spacing',
      'acronym',
      'lookalike',
    ];
    for (const k of kinds)
      expect(
        positives.some((p) => p.kind === k),
        k,
      ).toBe(true);
    for (const k of ['generic', 'unlisted-company', 'court-party'])
      expect(
        negatives.some((n) => n.kind === k),
        k,
      ).toBe(true);
    // No query is in both halves.
    const dev = new Set([...devSet.positives, ...devSet.negatives].map((x) => x.query));
    expect([...testSet.positives, ...testSet.negatives].filter((x) => dev.has(x.query))).toEqual(
      [],
    );
  });
});
