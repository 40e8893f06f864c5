// The daemon runs `portfolio` on a large portfolio in steps, with turns of the event loop between
// them, so /healthz and Slack's next request are answered during a report of 50,000 holdings
// (~0.6 s of work); the command line runs the same steps at once, with the same answer.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addHoldings } from '../db/holdings.js';
import { runCommand, runCommandPaced } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { parseHoldingsFile } from '../src/portfolio/holdings-file.js';
import { FIXTURES } from './helpers/fixtures.js';
import { createHarness, source } from './helpers/poll-harness.js';

describe('a report over a large portfolio, paced', () => {
  it('lets other work run between its steps and answers as the unpaced run does', async () => {
    const h = createHarness();
    try {
      await h.poll(
        source(
          'ofac-cons',
          'ofac-csv',
          pathToFileURL(join(FIXTURES, 'ofac', 'cons_prim.csv')).href,
          { consolidated: true },
        ),
      );
      // 12,000 holdings: China Mobile by ISIN among invented names (pages of 5,000, steps of 2,500).
      const rows = [
        'Security Name;ISIN',
        'China Mobile Ltd;US16941M1099',
        ...Array.from({ length: 11_999 }, (_, i) => `Holding Number ${i} Textiles;`),
      ];
      addHoldings(
        h.db,
        'slack:CBIG',
        parseHoldingsFile(rows.join('\n')).holdings,
        '2026-12-05T00:00:00Z',
      );
      const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'slack:CBIG' };
      let turns = 0;
      const tick = () => {
        turns++;
        if (!done) setImmediate(tick);
      };
      let done = false;
      setImmediate(tick);
      const paced = await runCommandPaced('portfolio', ctx);
      done = true;
      const pacedTurns = turns;
      expect(pacedTurns).toBeGreaterThanOrEqual(6);

      turns = 0;
      done = false;
      setImmediate(tick);
      const atOnce = runCommand('portfolio', ctx);
      expect(turns).toBe(0);
      done = true;
      expect(paced).toEqual(atOnce);
      expect(atOnce.summary).toMatch(
        /^1 of this channel's 12000 holdings is on a tracked list now/,
      );
    } finally {
      h.close();
    }
  });

  it('adds one holding to a large portfolio: finds the one already held, adds a new one, holds the limit', async () => {
    const h = createHarness();
    try {
      const rows = [
        'Security Name',
        ...Array.from({ length: 3000 }, (_, i) => `Holding Number ${i} Textiles`),
      ];
      addHoldings(
        h.db,
        'slack:CBIG',
        parseHoldingsFile(rows.join('\n')).holdings,
        '2026-12-05T00:00:00Z',
      );
      const ctx = {
        db: h.db,
        matcher: new NameMatcher(h.db),
        sources: [],
        channel: 'slack:CBIG',
        maxHoldings: 3001,
      };
      expect(
        (await runCommandPaced('portfolio add Holding Number 7 Textiles', ctx)).summary,
      ).toMatch(/^Added "Holding Number 7 Textiles": 0 holdings added, 1 already held\./);
      expect((await runCommandPaced('portfolio add Apple Inc', ctx)).summary).toMatch(
        /^Added "Apple Inc": 1 holding added\./,
      );
      expect((await runCommandPaced('portfolio add Alphabet Inc', ctx)).summary).toMatch(
        /This channel holds 3001 holdings, and 1 more would pass its limit of 3001/,
      );
    } finally {
      h.close();
    }
  });
});
