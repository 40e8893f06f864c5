// Precision and recall floors on the evaluation set built from real listed names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalIndex, evalSet, evaluate, ourEngine } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';

describe('name matching on the evaluation set', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await evalIndex();
  });
  afterAll(() => h.close());

  it('meets the precision and recall floors', () => {
    const r = evaluate(ourEngine(h.db));
    // Printed so a regression shows which cases broke, not only that a number fell.
    if (r.failures.length) console.log(r.failures.join('\n'));
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('never matches a bare generic word', () => {
    const engine = ourEngine(h.db);
    for (const n of evalSet.negatives.filter((x) => x.kind === 'generic')) expect(engine(n.query), n.query).toEqual([]);
  });

  it('has every kind of case the issue asks for', () => {
    expect(new Set(evalSet.positives.map((p) => p.kind))).toEqual(new Set(['case-punct', 'legal-suffix', 'reordered', 'alias', 'typo']));
    expect(new Set(evalSet.negatives.map((p) => p.kind))).toEqual(new Set(['generic', 'shared-words']));
  });
});
