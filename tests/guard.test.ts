import { describe, expect, it } from 'vitest';
import { judgeSnapshot, type GuardInput } from '../src/guard.js';

const base: GuardInput = { previousCount: 1000, nextCount: 1000, contentHash: 'h1', maxShrink: 0.1, confirmPolls: 3, heldHash: null, heldCount: 0, acceptedHash: null };

describe('judgeSnapshot', () => {
  const cases: [string, Partial<GuardInput>, string][] = [
    ['same size', {}, 'commit'],
    ['growth', { nextCount: 5000 }, 'commit'],
    ['shrink within the allowance (10%)', { nextCount: 900 }, 'commit'],
    ['shrink past the allowance', { nextCount: 899 }, 'hold'],
    ['empty, even on the first poll', { previousCount: 0, nextCount: 0 }, 'hold'],
    ['empty, even when repeated past confirmPolls', { nextCount: 0, heldHash: 'h1', heldCount: 10 }, 'hold'],
    ['empty, even when an operator accepted it', { nextCount: 0, acceptedHash: 'h1' }, 'hold'],
    ['first snapshot of any size', { previousCount: 0, nextCount: 3 }, 'commit'],
    ['shrink seen for the 2nd time', { nextCount: 500, heldHash: 'h1', heldCount: 1 }, 'hold'],
    ['shrink seen for the 3rd time', { nextCount: 500, heldHash: 'h1', heldCount: 2 }, 'commit'],
    ['a different shrunk content restarts the count', { nextCount: 500, heldHash: 'h0', heldCount: 2 }, 'hold'],
    ['shrink accepted by an operator', { nextCount: 500, acceptedHash: 'h1' }, 'commit'],
    ['acceptance of other content does not count', { nextCount: 500, acceptedHash: 'h0' }, 'hold'],
    ['confirmPolls 0: only an operator accepts', { nextCount: 500, confirmPolls: 0, heldHash: 'h1', heldCount: 50 }, 'hold'],
  ];
  for (const [name, input, action] of cases) {
    it(`${name} → ${action}`, () => expect(judgeSnapshot({ ...base, ...input }).action).toBe(action));
  }

  it('explains a hold with the numbers and the way out', () => {
    const v = judgeSnapshot({ ...base, nextCount: 0 + 700 });
    expect(v.action === 'hold' && v.reason).toMatch(/from 1000 to 700 records \(-30%.*sources accept/);
  });

  it('says whether a hold is news', () => {
    expect(judgeSnapshot({ ...base, nextCount: 500 })).toMatchObject({ firstTime: true, heldCount: 1 });
    expect(judgeSnapshot({ ...base, nextCount: 500, heldHash: 'h1', heldCount: 1 })).toMatchObject({ firstTime: false, heldCount: 2 });
  });
});
