// The daemon's delivery loop wakes when a deferred delivery falls due (a 429's Retry-After), not at
// the next 5-second beat; a full page is followed at once; later than the beat is the beat's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DispatchLoop } from '../src/delivery/dispatch-loop.js';
import type { DispatchReport } from '../src/delivery/dispatcher.js';

const report = (o: Partial<DispatchReport>): DispatchReport => ({
  sent: 0,
  retrying: 0,
  paused: 0,
  dead: 0,
  nextDueAt: null,
  more: false,
  ...o,
});

describe('DispatchLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs again when the earliest deferred delivery falls due, not at the beat', async () => {
    const calls: number[] = [];
    const answers = [
      report({ sent: 1, retrying: 5, nextDueAt: new Date(Date.now() + 1000).toISOString() }),
      report({ sent: 1 }),
    ];
    const loop = new DispatchLoop(
      async () => (calls.push(Date.now()), answers.shift() ?? report({})),
      { beatMs: 5000 },
    );
    const start = Date.now();
    await loop.run();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((t) => t - start)).toEqual([0, 1000]);
    loop.stop();
  });

  it('follows a full page at once, keeps one wake-up (the earliest), and leaves what is past the beat to the beat', async () => {
    let n = 0;
    const loop = new DispatchLoop(
      async () => {
        n++;
        if (n === 1) return report({ more: true });
        return report({ nextDueAt: new Date(Date.now() + 60_000).toISOString() });
      },
      { beatMs: 5000 },
    );
    loop.start();
    await loop.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(n).toBe(2);
    // 60 s away: nothing before the beat.
    await vi.advanceTimersByTimeAsync(4999);
    expect(n).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(n).toBe(3);
    loop.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(n).toBe(3);
  });
});
