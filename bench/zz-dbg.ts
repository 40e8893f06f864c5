import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { indexQueued } from '../src/indexing.js';
import { NameMatcher } from '../src/names/matcher.js';
import { evalIndex } from '../tests/helpers/matching-eval.js';
import { source } from '../tests/helpers/poll-harness.js';
const dir = '/work/shared/fixtures/bench';
const h = await evalIndex();
const tmp = mkdtempSync(join(tmpdir(), 'sr-full-'));
const csl = readFileSync(join(dir, 'csl_2023-11_watchman_subset.csv'), 'utf8');
writeFileSync(join(tmp, 'csl.csv'), csl.slice(0, csl.lastIndexOf('\n') + 1));
await h.poll(source('sdn-full', 'ofac-csv', pathToFileURL(join(dir, 'sdn_2024-05-01_full.csv')).href, { altUrl: pathToFileURL(join(dir, 'alt_2021-07_full.csv')).href, addUrl: pathToFileURL(join(dir, 'add_2021-07_full.csv')).href }));
await h.poll(source('csl-full', 'csl', pathToFileURL(join(tmp, 'csl.csv')).href));
indexQueued(h.db);
const m = new NameMatcher(h.db);
for (const q of process.argv.slice(2)) {
  const r = m.match(q);
  if (!r.ok) { console.log(q, '→', r); continue; }
  console.log(q, '→', r.normalized, JSON.stringify(r.hits.slice(0, 3).map((x) => [x.name, x.normalized, x.reason, x.score.toFixed(3), h.db.prepare("SELECT json_extract(record, '$.type') FROM designations WHERE id = ?").pluck().get(x.designationId)])), r.hits.length ? '' : JSON.stringify(r.nearMisses.slice(0, 2).map((x) => [x.name, x.score.toFixed(3)])));
}
h.close();
