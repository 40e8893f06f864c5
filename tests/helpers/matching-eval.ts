// The name-matching evaluation: indexes the real fixture lists through the real poller, then
// scores an engine (ours, or fuse.js and fuzzball in the bench) on tests/fixtures/matching/:
// dev.json (tuned on) and test.json (held out; the floors apply to it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../../db/database.js';
import { groupHits } from '../../src/commands/entities.js';
import { indexQueued } from '../../src/store/indexing.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { normalizeName } from '../../src/names/normalize.js';
import { FIXTURES } from './fixtures.js';
import { createHarness, source, type Harness } from './poll-harness.js';

export interface EvalSet {
  positives: { kind: string; query: string; expect: string[] }[];
  negatives: { kind: string; query: string }[];
}

const load = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, 'matching', name), 'utf8')) as EvalSet;
export const devSet = load('dev.json');
export const testSet = load('test.json');

const url = (p: string) => pathToFileURL(join(FIXTURES, p)).href;

/** A harness whose database holds the evaluation index. */
export async function evalIndex(): Promise<Harness> {
  const h = createHarness();
  await h.poll(source('csl', 'csl', url('csl/consolidated_2023-11_excerpt.csv')));
  await h.poll(
    source('ofac-cons', 'ofac-csv', url('ofac/cons_prim.csv'), {
      altUrl: url('ofac/cons_alt.csv'),
      addUrl: url('ofac/cons_add.csv'),
      commentsUrl: url('ofac/cons_comments.csv'),
    }),
  );
  await h.poll(
    source('ofac-sdn', 'ofac-csv', url('ofac/sdn.csv'), {
      altUrl: url('ofac/alt.csv'),
      addUrl: url('ofac/add.csv'),
      commentsUrl: url('ofac/sdn_comments.csv'),
    }),
  );
  await h.poll(
    source('dod', 'csv', url('dod1260h/dod_1260h_2024-01-31.csv'), {
      list: 'DoD 1260H',
      columns: {
        name: 'Company',
        aliases: 'Also known as',
        listedOn: 'Listed on',
        endedOn: 'Removed on',
      },
    }),
  );
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

/**
 * What the index itself says of the queries: the published names of every listing carrying a
 * name equal to the query once normalised (legal forms dropped). On the full lists some of the set's
 * negatives are listed after all ("Severstal" is PJSC SEVERSTAL, "National Bank" an alias) and some
 * positives' queries are another listing's own name ("CEC" is CEC LIMITED too): a negative listed so
 * is left out, and such a listing is one more right answer to a positive.
 */
export function listedAs(db: Db): (query: string) => string[] {
  const rows = db
    .prepare(
      'SELECT n.normalized, d.name FROM entity_names n JOIN designations d ON d.id = n.designation_id',
    )
    .all() as { normalized: string; name: string }[];
  const byName = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = byName.get(r.normalized) ?? new Set();
    set.add(r.name);
    byName.set(r.normalized, set);
  }
  return (query) => [...(byName.get(normalizeName(query)) ?? [])];
}

export interface EvalResult {
  precision: number;
  recall: number;
  truePositives: number;
  answered: number;
  failures: string[];
}

/** `listed`: listedAs of the index, for judging on an index larger than the set was built on. */
export function evaluate(
  engine: Engine,
  set: EvalSet,
  listed?: (query: string) => string[],
): EvalResult {
  const same = (a: string, b: string) => normalizeName(a) === normalizeName(b);
  let tp = 0;
  let answered = 0;
  const failures: string[] = [];
  let positives = 0;
  for (const p of set.positives) {
    positives++;
    const names = engine(p.query);
    const expect = [...p.expect, ...(listed?.(p.query) ?? [])];
    if (names.length) answered++;
    if (names.some((n) => expect.some((e) => same(n, e)))) tp++;
    else
      failures.push(
        `${p.kind}: "${p.query}" → ${names.length ? names[0] : 'nothing'} (wanted ${p.expect[0]})`,
      );
  }
  for (const n of set.negatives) {
    if (listed?.(n.query).length) continue;
    const names = engine(n.query);
    if (names.length) {
      answered++;
      failures.push(`${n.kind}: "${n.query}" → ${names[0]} (wanted nothing)`);
    }
  }
  return {
    precision: answered ? tp / answered : 1,
    recall: tp / positives,
    truePositives: tp,
    answered,
    failures,
  };
}
