// `npm run bench -- memory`: the daemon's memory over many polls with changes, in one process as
// the daemon runs them: 10,000 hourly polls (MEMORY_POLLS) of the CSL excerpt, alternating between two
// real versions so every poll adds, removes and amends, each followed by a dispatch to a platform
// that accepts everything, with 500 followed companies routed. RSS and V8's external memory are
// sampled (after full collections) every 500 polls; after a warm-up of 2,000 each must stay
// within ±10% of its value at the end of the warm-up. The warm-up idles once for 30 s, as a daemon
// idles between polls: ~30 MB of pooled pages go back to the system then, as in a daemon's first
// minutes (polled back to back, V8's memory reducer gave them back only ~100 s in, after the
// warm-up), and RSS takes the polls to ~2,000 to climb back to where it then stays.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { addSubscription } from '../db/subscriptions.js';
import type { Adapter } from '../src/delivery/adapter.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';
import { fixture } from '../tests/helpers/fixtures.js';
import { createHarness, source } from '../tests/helpers/poll-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const polls = Number(process.env.MEMORY_POLLS ?? 10_000);
const text = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
const [header, ...rows] = text.split('\n').filter(Boolean);
// The second version: every 25th row gone and every 40th amended.
const other = rows
  .filter((_, i) => i % 25 !== 3)
  .map((r, i) => (i % 40 === 0 ? r.replace(/"$/, ' (bench)"') : r));
const versions = [`${header}\n${rows.join('\n')}\n`, `${header}\n${other.join('\n')}\n`];

// Polls an hour apart, as a daemon's: what a poll reads of recent history (the 14 days in which
// another source's copy of a change is the same event) is what an hourly schedule would give it.
let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => new Date(clock);
const h = createHarness({ maxShrink: 1, defaultChannels: ['chat:ops'], now });
const file = join(h.dir, 'csl.csv');
const cfg = source('csl', 'csl', pathToFileURL(file).href);
const names = rows
  .map((r) => /^(?:"[^"]*",){5}"([^"]+)"/.exec(r)?.[1])
  .filter((n): n is string => !!n);
for (let i = 0; i < 500; i++)
  addSubscription(
    h.db,
    `chat:C${i % 50}`,
    { kind: 'entity', value: names[i % names.length]! },
    new Date().toISOString(),
  );
const accepting: Adapter = {
  platform: 'chat',
  deliver: async () => ({ ok: true, messageId: 'm' }),
};
const dispatcher = new Dispatcher(h.db, silentLogger, [accepting], { now });

const samples: { poll: number; rss: number; external: number; heap: number; ms: number }[] = [];
let windowStart = performance.now();
const sample = async (poll: number) => {
  const ms = (performance.now() - windowStart) / 500;
  // Buffers are freed by their finalisers, after the collection that finds them dead: a second
  // collection after a turn of the event loop counts only what is still held.
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  const m = process.memoryUsage();
  samples.push({ poll, rss: m.rss / 1e6, external: m.external / 1e6, heap: m.heapTotal / 1e6, ms });
  if (process.env.MEMORY_TRACE)
    console.error(
      `${poll} ${ms.toFixed(1)} ms/poll rss ${(m.rss / 1e6).toFixed(1)} ext ${(m.external / 1e6).toFixed(1)} heap ${(m.heapUsed / 1e6).toFixed(1)}/${(m.heapTotal / 1e6).toFixed(1)}`,
    );
  windowStart = performance.now();
};
// A daemon idles between its scheduled polls (minutes apart); this loop polls back to back. One
// idle pause in the warm-up lets V8's memory reducer act as it does in a daemon's first minutes.
const IDLE_AFTER = Number(process.env.MEMORY_IDLE_AFTER ?? 500);
const IDLE_MS = Number(process.env.MEMORY_IDLE_MS ?? 30_000);
const WARM_UP = 2000;
const started = performance.now();
let changed = 0;
for (let i = 1; i <= polls; i++) {
  clock += 3_600_000;
  writeFileSync(file, versions[i % 2]!);
  const r = await h.poll(cfg);
  if (r.added + r.removed + r.amended > 0) changed++;
  await dispatcher.dispatch();
  if (i % 500 === 0) await sample(i);
  if (i === IDLE_AFTER) await new Promise((r) => setTimeout(r, IDLE_MS));
}
const seconds = (performance.now() - started) / 1000;
h.close();

const warm = samples.find((s) => s.poll >= Math.min(WARM_UP, polls))!;
const after = samples.filter((s) => s.poll >= warm.poll);
const spread = (k: 'rss' | 'external' | 'heap') => {
  const xs = after.map((s) => s[k]);
  return {
    min: Math.min(...xs),
    max: Math.max(...xs),
    last: xs[xs.length - 1]!,
    up: Math.max(...xs) / warm[k] - 1,
    down: 1 - Math.min(...xs) / warm[k],
  };
};
console.log(
  `  V8's memory reducer ${process.execArgv.includes('--no-memory-reducer') ? 'off (--no-memory-reducer)' : 'on, as the daemon runs'}: ` +
    `${polls} polls (${changed} with changes) and dispatches in ${seconds.toFixed(0)} s (${(IDLE_MS / 1000).toFixed(0)} s of it idle after poll ${IDLE_AFTER}): ${samples[0]!.ms.toFixed(1)} ms a poll over the first 500, ${samples[samples.length - 1]!.ms.toFixed(1)} ms over the last 500`,
);
// What RSS holds besides: V8's heap (the JavaScript objects), shown for where a change in RSS lies.
const heap = spread('heap');
console.log(
  `  V8 heap (total): ${warm.heap.toFixed(1)} MB after ${warm.poll} polls, ${heap.min.toFixed(1)}–${heap.max.toFixed(1)} MB after`,
);
for (const k of ['rss', 'external'] as const) {
  const s = spread(k);
  // Growth is what leaks; a fall is memory handed back to the system. Both are shown against the
  // ±10% band, each judged on its own.
  const judged = (x: number) => (x <= 0.1 ? 'met' : 'MISSED');
  console.log(
    `  ${k === 'rss' ? 'RSS' : 'external'}: ${warm[k].toFixed(1)} MB after ${warm.poll} polls, ${s.min.toFixed(1)}–${s.max.toFixed(1)} MB after, ${s.last.toFixed(1)} MB at the end: ` +
      `at most ${(s.up * 100).toFixed(1)}% above the warm-up (target +10%: ${judged(s.up)}), ${(s.down * 100).toFixed(1)}% below (target −10%: ${judged(s.down)})`,
  );
}
