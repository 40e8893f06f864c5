// The name-matching evaluation: indexes the real fixture lists through the real poller, then
// scores an engine (ours, or fuse.js and fuzzball in the bench) on tests/fixtures/matching/:
// dev.json (tuned on) and test.json (held out; the floors apply to it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../../db/database.js';
import { groupHits } from '../../src/commands/entities.js';
import { indexQueued } from '../../src/indexing.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { normalizeName } from '../../src/names/normalize.js';
import { FIXTURES } from './fixtures.js';
import { createHarness, source, type Harness } from './poll-harness.js';

export interface EvalSet {
  positives: { kind: string; query: string; expect: string[] }[];
  negatives: { kind: string; query: string }[];
}

const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'matching', name), 'utf8')) as EvalSet;
export const devSet = load('dev.json');
export const testSet = load('test.json');

const url = (p: string) => pathToFileURL(join(FIXTURES, p)).href;

/** A harness whose database holds the evaluation index. */
export async function evalIndex(): Promise<Harness> {
  const h = createHarness();
  await h.poll(source('csl', 'csl', url('csl/consolidated_2023-11_excerpt.csv')));
  await h.poll(source('ofac-cons', 'ofac-csv', url('ofac/cons_prim.csv'), { altUrl: url('ofac/cons_alt.csv'), addUrl: url('ofac/cons_add.csv'), commentsUrl: url('ofac/cons_comments.csv') }));
  await h.poll(source('ofac-sdn', 'ofac-csv', url('ofac/sdn.csv'), { altUrl: url('ofac/alt.csv'), addUrl: url('ofac/add.csv'), commentsUrl: url('ofac/sdn_comments.csv') }));
  await h.poll(source('dod', 'csv', url('dod1260h/dod_1260h_2024-01-31.csv'), { list: 'DoD 1260H', columns: { name: 'Company', aliases: 'Also known as', listedOn: 'Listed on', endedOn: 'Removed on' } }));
  // As the daemon does after its polls (readers of the index would otherwise do it first).
  indexQueued(h.db);
  return h;
}

/** An engine answers a query with the published names of its top entity, or [] for no match. */
export type Engine = (query: string) => string[];

export function ourEngine(db: Db): Engine {
  const matcher = new NameMatcher(db);
  return (query) => {
    const m = matcher.match(query);
    if (!m.ok) return [];
    const top = groupHits(db, m.hits)[0];
    return top ? top.listings.map((l) => l.record.name) : [];
  };
}

export interface EvalResult {
  precision: number;
  recall: number;
  truePositives: number;
  answered: number;
  failures: string[];
}

export function evaluate(engine: Engine, set: EvalSet): EvalResult {
  const same = (a: string, b: string) => normalizeName(a) === normalizeName(b);
  let tp = 0;
  let answered = 0;
  const failures: string[] = [];
  for (const p of set.positives) {
    const names = engine(p.query);
    if (names.length) answered++;
    if (names.some((n) => p.expect.some((e) => same(n, e)))) tp++;
    else failures.push(`${p.kind}: "${p.query}" → ${names.length ? names[0] : 'nothing'} (wanted ${p.expect[0]})`);
  }
  for (const n of set.negatives) {
    const names = engine(n.query);
    if (names.length) {
      answered++;
      failures.push(`${n.kind}: "${n.query}" → ${names[0]} (wanted nothing)`);
    }
  }
  return { precision: answered ? tp / answered : 1, recall: tp / set.positives.length, truePositives: tp, answered, failures };
}
