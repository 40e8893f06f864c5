// A shorter run of the crash proof (`npm run crash` runs 50 kills): poll + dispatch killed with
// SIGKILL at random points against the local list server, fake Slack and Discord and a webhook receiver.
import { describe, expect, it } from 'vitest';
import { crashRun } from './crash/crash-run.js';

describe('SIGKILL at random points of poll and dispatch', () => {
  it('loses no alert on stdout, Slack or Discord; duplicates stay within one per crash (none on Discord)', async () => {
    const r = await crashRun({ kills: 8, seed: 7 });
    // The whole report is shown if any of these fails.
    expect({ ...r, enoughCrashes: r.crashes >= 6 }).toMatchObject({
      enoughCrashes: true,
      integrity: 'ok',
      pendingAfterCleanRun: 0,
    });
    expect(r.crashes).toBeGreaterThanOrEqual(6);
    expect(r.alerts).toBeGreaterThan(100);
    expect(r.integrity).toBe('ok');
    expect(r.pendingAfterCleanRun).toBe(0);
    // Kills between a poll's commit and its indexing: the next run indexes what was queued.
    expect(r.index.queued).toBe(0);
    expect(r.index.names).toBe(r.index.expected);
    expect(r.lost).toEqual({ stdout: 0, slack: 0, discord: 0, webhook: 0 });
    expect(r.duplicates.discord).toBe(0);
    // A webhook may get an alert twice (killed before the 2xx was recorded), always under one key.
    expect(r.duplicates.webhook).toBeLessThanOrEqual(r.crashes);
    expect(r.webhookKeyMismatches).toBe(0);
    expect(r.duplicates.slack).toBeLessThanOrEqual(r.crashes);
    expect(r.duplicates.stdout).toBeLessThanOrEqual(r.crashes);
  }, 120_000);
});
