// The daemon's poll, warm: one process polls copies of the prepared databases in turn (after a
// first round as warm-up, as a daemon has polled before) and prints each poll's time as JSON.
// Run by scale.ts in its own process, so that the set-up's garbage is not collected in its polls.
// Usage: warm-poll.ts LIST.csv RUNS DB...
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../src/log.js';
import { pollSource } from '../src/poll/poll-source.js';
import { openStore } from '../src/store/open.js';
import { source } from '../tests/helpers/poll-harness.js';
import { freshCopy } from './whole-process.js';

const [list, runs, ...dbs] = process.argv.slice(2);
const times: Record<string, number[]> = Object.fromEntries(dbs.map((d) => [d, []]));
for (let i = 0; i <= Number(runs); i++) {
  for (const path of dbs) {
    const { db } = openStore(freshCopy(path, `${path}.warm`));
    try {
      const deps = {
        db,
        log: silentLogger,
        fetch: {
          timeoutMs: 10_000,
          maxBytes: 64 * 1024 * 1024,
          userAgent: 'bench',
          retries: 0,
          retryDelayMs: 5,
        },
        defaultChannels: ['console:ops'],
        maxShrink: 1,
        confirmPolls: 3,
      };
      const t = performance.now();
      const r = await pollSource(deps, source('ofac-sdn', 'ofac-csv', pathToFileURL(list!).href));
      const ms = performance.now() - t;
      if (r.added !== 35) throw new Error(`expected 35 additions, got ${r.added}`);
      if (i > 0) times[path]!.push(ms);
    } finally {
      db.close();
    }
  }
}
console.log(JSON.stringify(times));
