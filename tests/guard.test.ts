import { describe, expect, it } from 'vitest';
import { judgeSnapshot, rowsCutAtEnd, type GuardInput } from '../src/poll/guard.js';

const base: GuardInput = {
  previousCount: 1000,
  nextCount: 1000,
  contentHash: 'h1',
  maxShrink: 0.1,
  confirmPolls: 3,
  heldHash: null,
  heldCount: 0,
  acceptedHash: null,
};

describe('judgeSnapshot', () => {
  const cases: [string, Partial<GuardInput>, string][] = [
    ['same size', {}, 'commit'],
    ['growth', { nextCount: 5000 }, 'commit'],
    ['shrink within the allowance (10%)', { nextCount: 900 }, 'commit'],
    ['shrink past the allowance', { nextCount: 899 }, 'hold'],
    ['empty, even on the first poll', { previousCount: 0, nextCount: 0 }, 'hold'],
    [
      'empty, even when repeated past confirmPolls',
      { nextCount: 0, heldHash: 'h1', heldCount: 10 },
      'hold',
    ],
    ['empty, even when an operator accepted it', { nextCount: 0, acceptedHash: 'h1' }, 'hold'],
    ['first snapshot of any size', { previousCount: 0, nextCount: 3 }, 'commit'],
    ['shrink seen for the 2nd time', { nextCount: 500, heldHash: 'h1', heldCount: 1 }, 'hold'],
    ['shrink seen for the 3rd time', { nextCount: 500, heldHash: 'h1', heldCount: 2 }, 'commit'],
    [
      'a different shrunk content restarts the count',
      { nextCount: 500, heldHash: 'h0', heldCount: 2 },
      'hold',
    ],
    ['shrink accepted by an operator', { nextCount: 500, acceptedHash: 'h1' }, 'commit'],
    ['acceptance of other content does not count', { nextCount: 500, acceptedHash: 'h0' }, 'hold'],
    [
      'confirmPolls 0: only an operator accepts',
      { nextCount: 500, confirmPolls: 0, heldHash: 'h1', heldCount: 50 },
      'hold',
    ],
  ];
  for (const [name, input, action] of cases) {
    it(`${name} → ${action}`, () =>
      expect(judgeSnapshot({ ...base, ...input }).action).toBe(action));
  }

  it('explains a hold with the numbers and the way out', () => {
    const v = judgeSnapshot({ ...base, nextCount: 0 + 700 });
    expect(v.action === 'hold' && v.reason).toMatch(
      /from 1000 to 700 records \(-30%.*sources accept/,
    );
  });

  it('says whether a hold is news', () => {
    expect(judgeSnapshot({ ...base, nextCount: 500 })).toMatchObject({
      firstTime: true,
      heldCount: 1,
    });
    expect(judgeSnapshot({ ...base, nextCount: 500, heldHash: 'h1', heldCount: 1 })).toMatchObject({
      firstTime: false,
      heldCount: 2,
    });
  });
});

describe('rowsCutAtEnd', () => {
  const tail = ['a', 'b', 'c', 'd', 'e'];
  it('counts the rows missing after the row a cut file ends on', () => {
    expect(rowsCutAtEnd(tail, 5, ['a', 'b', 'c'])).toBe(2);
    expect(
      rowsCutAtEnd(tail, 105, [
        ...Array.from({ length: 100 }, (_, i) => `x${i}`),
        'a',
        'b',
        'c',
        'd',
      ]),
    ).toBe(1);
  });
  it('is 0 for any other shape', () => {
    expect(rowsCutAtEnd(tail, 5, tail)).toBe(0); // same end
    expect(rowsCutAtEnd(tail, 5, ['a', 'b', 'd', 'e'])).toBe(0); // a row gone from the middle
    expect(rowsCutAtEnd(tail, 5, ['a', 'b', 'z', 'c'])).toBe(0); // ends on c but a row was added
    expect(rowsCutAtEnd(tail, 5, ['a', 'b', 'e', 'c'])).toBe(0); // e is still there
    expect(rowsCutAtEnd(tail, 5, ['q'])).toBe(0); // ends on an unknown row
    expect(rowsCutAtEnd(null, 5, ['a'])).toBe(0); // no tail stored (a snapshot from before)
    expect(rowsCutAtEnd(tail, 5, [])).toBe(0);
  });
  it('holds a cut within the shrink allowance, and says why', () => {
    const v = judgeSnapshot({
      previousCount: 100,
      nextCount: 98,
      contentHash: 'h',
      maxShrink: 0.1,
      confirmPolls: 3,
      heldHash: null,
      heldCount: 0,
      acceptedHash: null,
      cutAtEnd: 2,
    });
    expect(v).toMatchObject({
      action: 'hold',
      firstTime: true,
      reason: expect.stringMatching(/followed with 2 more/),
    });
    expect(
      judgeSnapshot({
        previousCount: 100,
        nextCount: 98,
        contentHash: 'h',
        maxShrink: 0.1,
        confirmPolls: 3,
        heldHash: 'h',
        heldCount: 2,
        acceptedHash: null,
        cutAtEnd: 2,
      }),
    ).toEqual({ action: 'commit', confirmedShrink: true });
  });
});
