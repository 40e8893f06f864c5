// Routing through the follow keys (src/routing/follow-index.ts) gives the routes of a Router holding every
// subscription and holding, reasons included, while loading only the follows a change can reach.
// Names and identifiers are the real lists' (OFAC SDN and NS-CMIC excerpts, the CSL excerpt).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { addHoldings, allHoldings } from '../db/holdings.js';
import { addSubscription, allSubscriptions, removeSubscription } from '../db/subscriptions.js';
import { alertForChange } from '../src/alerts/derive.js';
import type { DesignationRecord, NewAlert, SubscriptionTarget } from '../src/domain.js';
import { IndexedRouter } from '../src/routing/follow-index.js';
import { normalizeName } from '../src/names/normalize.js';
import { Router } from '../src/routing/router.js';
import { openStore } from '../src/store/open.js';
import { fixtureRecords } from './helpers/fixture-records.js';
import { rng } from './helpers/rng.js';

const records = fixtureRecords();
const src = { id: 'csl', label: 'CSL' };
const added = (record: DesignationRecord): NewAlert =>
  alertForChange({ type: 'designation.added', record }, src, '2024-01-01T00:00:00Z');
const at = '2024-01-01T00:00:00Z';

/** A one-letter typo in the longest word: dropped ("Huawei" → "Huawi"), changed ("Huawxi") or added ("Huawexi"). */
function typo(name: string, how: 'drop' | 'change' | 'add'): string {
  const words = name.split(' ');
  const i = words.reduce((best, w, j) => (w.length > words[best]!.length ? j : best), 0);
  const w = words[i]!;
  const m = Math.floor(w.length / 2);
  words[i] = w.slice(0, m) + (how === 'drop' ? '' : 'x') + w.slice(how === 'add' ? m : m + 1);
  return words.join(' ');
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-follow-'));
  db = openStore(join(dir, 'db.sqlite')).db;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('routing through the follow keys', () => {
  it('routes every change as a Router holding every follow would, reasons included', () => {
    expect(records.length).toBeGreaterThan(100);
    const r = rng(31);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    // Followed the ways users follow: the name, an alias, a typo, one word of it, an identifier.
    for (let c = 0; c < 12; c++) {
      for (let i = 0; i < 40; i++) {
        const rec = pick(records);
        const ids = (rec.identifiers ?? []).filter((x) => x.type !== 'Ticker');
        const forms = [
          rec.name,
          rec.aliases[0] ?? rec.name,
          typo(rec.name, 'drop'),
          typo(rec.name, 'change'),
          typo(rec.name, 'add'),
          pick(rec.name.split(' ')),
          ids.length ? pick(ids).value : rec.name,
        ];
        const target: SubscriptionTarget = { kind: 'entity', value: pick(forms) };
        if (normalizeName(target.value)) addSubscription(db, `slack:C${c}`, target, at);
      }
    }
    addSubscription(db, 'slack:CLIST', { kind: 'list', value: 'SDN' }, at);
    addSubscription(db, 'slack:CALL', { kind: 'all' }, at);
    for (let p = 0; p < 4; p++) {
      const rows = Array.from({ length: 60 }, () => {
        const rec = pick(records);
        const isin = rec.identifiers?.find((x) => x.type === 'ISIN')?.value ?? null;
        return {
          name: rec.name,
          normalized: normalizeName(rec.name),
          isin: r() < 0.5 ? isin : null,
          ticker: null,
          exchange: null,
          lei: null,
          uscc: null,
        };
      });
      addHoldings(db, `slack:P${p}`, rows, at);
    }
    const everything = new Router(
      allSubscriptions(db),
      ['console:ops'],
      undefined,
      allHoldings(db),
    );
    const indexed = new IndexedRouter(db, ['console:ops']);
    let specific = 0;
    for (const rec of records) {
      const a = added(rec);
      const want = Object.fromEntries(everything.routes(a));
      expect(Object.fromEntries(indexed.routes(a)), rec.name).toEqual(want);
      if (Object.keys(want).some((c) => /C\d|P\d/.test(c))) specific++;
    }
    // The comparison is not empty: most changes reach a follower of their own.
    expect(specific).toBeGreaterThan(records.length / 4);
  });

  it('loads only the follows a change can reach', () => {
    for (let i = 0; i < 300; i++)
      addSubscription(
        db,
        'slack:C1',
        { kind: 'entity', value: records[i % records.length]!.name + ` ${i}th` },
        at,
      );
    addSubscription(db, 'slack:C2', { kind: 'entity', value: 'Huawai Technologies' }, at);
    const router = new IndexedRouter(db, []);
    const huawei = records.find((x) => /HUAWEI TECHNOLOGIES/i.test(x.name)) ?? {
      ...records[0]!,
      name: 'HUAWEI TECHNOLOGIES CO., LTD.',
      aliases: [],
    };
    const routes = router.routes(added({ ...huawei, name: 'HUAWEI TECHNOLOGIES CO., LTD.' }));
    expect(routes.get('slack:C2')).toBe('subscription #301: "Huawai Technologies"');
    expect(router.loaded).toBeLessThan(10);
  });

  it('forgets a follow with its subscription, and keys a follow added after the router was made at the next poll', () => {
    const huawei = {
      ...records[0]!,
      name: 'HUAWEI TECHNOLOGIES CO., LTD.',
      aliases: [],
      identifiers: [],
    };
    const { subscription } = addSubscription(
      db,
      'slack:C1',
      { kind: 'entity', value: 'Huawei' },
      at,
    );
    expect([...new IndexedRouter(db, []).routes(added(huawei)).keys()]).toEqual(['slack:C1']);
    // A second channel following the name keeps it filed when the first leaves.
    const other = addSubscription(
      db,
      'slack:C9',
      { kind: 'entity', value: 'huawei' },
      at,
    ).subscription;
    new IndexedRouter(db, []);
    removeSubscription(db, 'slack:C1', subscription.id);
    expect(
      db.prepare("SELECT count(*) FROM followed_names WHERE name = 'huawei'").pluck().get(),
    ).toBe(3);
    expect([...new IndexedRouter(db, []).routes(added(huawei)).keys()]).toEqual(['slack:C9']);
    removeSubscription(db, 'slack:C9', other.id);
    expect(db.prepare('SELECT count(*) FROM subscription_keys').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM followed_names').pluck().get()).toBe(0);
    expect([...new IndexedRouter(db, []).routes(added(huawei)).keys()]).toEqual([]);
    addHoldings(
      db,
      'slack:P1',
      [
        {
          name: 'Huawei Technologies',
          normalized: normalizeName('Huawei Technologies'),
          isin: null,
          ticker: null,
          exchange: null,
          lei: null,
          uscc: null,
        },
      ],
      at,
    );
    expect([...new IndexedRouter(db, []).routes(added(huawei)).keys()]).toEqual(['slack:P1']);
    expect(
      db
        .prepare("SELECT count(*) FROM held_names WHERE name = 'huawei technologies'")
        .pluck()
        .get(),
    ).toBe(1);
    db.prepare('DELETE FROM holdings').run();
    expect(db.prepare('SELECT count(*) FROM held_names').pluck().get()).toBe(0);
  });

  it('keys every follow again when names are normalised differently', () => {
    addSubscription(db, 'slack:C1', { kind: 'entity', value: 'Huawei' }, at);
    new IndexedRouter(db, []);
    db.exec(
      "DELETE FROM subscription_keys; DELETE FROM followed_names; INSERT INTO followed_names VALUES ('w stale', 'huawei'); INSERT INTO subscription_keys (key, subscription_id) SELECT 'n huawei', id FROM subscriptions",
    );
    db.prepare("UPDATE meta SET value = -1 WHERE key = 'follow_keys_scheme'").run();
    db.close();
    db = openStore(join(dir, 'db.sqlite')).db;
    new IndexedRouter(db, []);
    expect(db.prepare('SELECT key FROM subscription_keys ORDER BY key').pluck().all()).toEqual([
      'n huawei',
    ]);
    expect(db.prepare('SELECT key FROM followed_names ORDER BY key').pluck().all()).toEqual([
      'c huawei',
      'n huawei',
      'w huawei',
    ]);
  });
});
