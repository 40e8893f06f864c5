// The name and identifier indexes are written after the poll that changed the records
// (src/store/indexing.ts). What must hold: readers (lookups, history, portfolio reports) write nothing;
// the polling process indexes what it queued, the daemon as a turn of its command queue so a
// command asked meanwhile waits for it; a feed poll indexes before it reads mentions; two
// connections index each record once; a process stopped between its poll and the indexing
// leaves nothing unindexed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openDb } from '../db/database.js';
import {
  queueIndexing,
  queuedIndexingCount,
  queuedNeeds,
  takeQueuedIndexing,
} from '../db/index-queue.js';
import { commandQueue } from '../src/commands/queue.js';
import { runCommand } from '../src/commands/run.js';
import type { Alert, DesignationRecord } from '../src/domain.js';
import { indexQueued, indexQueuedInTurns } from '../src/store/indexing.js';
import { entityNames } from '../src/names/entity-names.js';
import { NameMatcher } from '../src/names/matcher.js';
import type { ExposureEntry } from '../src/portfolio/exposure.js';
import { openStore } from '../src/store/open.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, pollTestbed, source } from './helpers/poll-harness.js';
import type { Db } from '../db/database.js';

const before = fixture('ofac/sdn_2024-04-04_trimmed.csv');
const after = fixture('ofac/sdn_2024-04-12_trimmed.csv');

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
/** How many names the stored records give: what the index holds when every record is indexed once. */
const expectedNames = (db: Db) =>
  (db.prepare('SELECT record FROM designations').pluck().all() as string[]).reduce(
    (n, r) => n + entityNames(JSON.parse(r) as DesignationRecord).length,
    0,
  );

describe('indexes written after the poll', () => {
  const { server, h } = pollTestbed();
  const sdn = () => source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
  /** The best entity a lookup finds, and whether it is listed now. */
  const lookup = (db: Db, text: string) => {
    const r = runCommand(`lookup ${text}`, {
      db,
      matcher: new NameMatcher(db),
      sources: [sdn()],
      channel: 'slack:C1',
    });
    const best = (
      r.data as { results: { name: string; listings: { current: boolean }[] }[] } | undefined
    )?.results[0];
    return best
      ? `${best.name}: ${best.listings.some((l) => l.current) ? 'listed' : 'not listed now'}`
      : r.summary;
  };

  it('a poll queues its records and its process indexes them; a lookup writes nothing', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    expect(await h.pollOnly(sdn())).toMatchObject({ status: 'baseline', records: 123 });
    expect(queuedIndexingCount(h.db)).toBe(123);
    expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(0);
    // A reader reads: it takes no write lock and indexes nothing, whatever is queued.
    const written = count(h.db, 'SELECT total_changes()');
    lookup(h.db, 'Banco Nacional de Cuba');
    runCommand('portfolio', {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [sdn()],
      channel: 'slack:C1',
    });
    expect(count(h.db, 'SELECT total_changes()')).toBe(written);
    expect(queuedIndexingCount(h.db)).toBe(123);

    expect(indexQueued(h.db)).toBe(123);
    expect(lookup(h.db, 'Banco Nacional de Cuba')).toBe('BANCO NACIONAL DE CUBA: listed');
    expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(h.db));

    // Four people added, one amended in its remarks only: the four are queued, names and
    // identifiers; the amended entry keeps its names and is not.
    server.set('/sdn.csv', { kind: 'body', body: after });
    const r = await h.pollOnly(sdn());
    expect(r).toMatchObject({ status: 'changed', added: 4, removed: 2, amended: 1 });
    const keyOf = h.db.prepare('SELECT key FROM designations WHERE id = ?').pluck();
    const queued = queuedNeeds(h.db).map(({ id, ...need }) => ({ key: keyOf.get(id), ...need }));
    expect(queued.sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual(
      ['48239', '48240', '48241', '48242'].map((key) => ({ key, names: true, identifiers: true })),
    );
    // A name listed by this very poll is found once its process indexed it, and by history.
    expect(indexQueued(h.db)).toBe(4);
    expect(lookup(h.db, 'Khalil Muhammad Azzam')).toBe("'AZZAM, Khalil Muhammad: listed");
    expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(h.db));
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.pollOnly(sdn());
    expect(queuedIndexingCount(h.db)).toBe(2);
    indexQueued(h.db);
    const history = runCommand('history Abu Shanab', {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [sdn()],
      channel: 'slack:C1',
    });
    expect(history.ok).toBe(true);
    expect(
      history.sections.flatMap((s) => s.lines).map((l) => l.replace(/^\d{4}-\d\d-\d\d/, 'DATE')),
    ).toEqual([
      'DATE  REMOVED from SDN https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48240',
      'DATE  ADDED to SDN https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48240',
    ]);
    expect(queuedIndexingCount(h.db)).toBe(0);
  });

  it('two connections: whichever indexes first takes the queue, the other finds nothing left; every name once', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.pollOnly(sdn());
    const other = openDb(join(h.dir, 'test.db')).db;
    try {
      expect(indexQueued(other)).toBe(123);
      expect(lookup(other, 'Banco Nacional de Cuba')).toBe('BANCO NACIONAL DE CUBA: listed');
      expect(indexQueued(h.db)).toBe(0);
      expect(lookup(h.db, 'Banco Nacional de Cuba')).toBe('BANCO NACIONAL DE CUBA: listed');
      expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(h.db));
      expect(
        count(
          h.db,
          'SELECT count(*) FROM (SELECT designation_id, normalized FROM entity_names GROUP BY 1, 2 HAVING count(*) > 1)',
        ),
      ).toBe(0);
    } finally {
      other.close();
    }
  });

  it("the daemon's indexing takes a slice per turn of the event loop; a command asked meanwhile waits for it", async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.pollOnly(sdn());
    const seen: number[] = [];
    let done = false;
    const watch = () => {
      if (done) return;
      seen.push(queuedIndexingCount(h.db));
      setImmediate(watch);
    };
    setImmediate(watch);
    expect(await indexQueuedInTurns(h.db, 50)).toBe(123);
    done = true;
    // The event loop ran between the slices of 50, and saw the queue shrink by one slice a turn.
    expect(seen.slice(0, 3)).toEqual([73, 23, 0]);

    server.set('/sdn.csv', { kind: 'body', body: after });
    await h.pollOnly(sdn());
    // As the daemon runs them (src/app.ts): the index a turn of the command queue, taken right
    // after the poll, in slices of one here; a lookup asked in the first gap runs after it.
    const queue = commandQueue();
    let queuedWhenAsked = -1;
    const indexing = queue(() => indexQueuedInTurns(h.db, 1));
    let answer: Promise<string> | null = null;
    setImmediate(() => {
      queuedWhenAsked = queuedIndexingCount(h.db);
      answer = queue(() => lookup(h.db, 'Khalil Muhammad Azzam'));
    });
    expect(await indexing).toBe(4);
    expect(queuedWhenAsked).toBeGreaterThan(0);
    expect(await answer).toBe("'AZZAM, Khalil Muhammad: listed");
    expect(queuedIndexingCount(h.db)).toBe(0);
    expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(h.db));
  });

  it('one queue row per poll: a slice spans polls, a record queued twice gets what each poll asked, a deleted one is skipped', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    indexQueued(h.db);
    const idOf = (key: string) =>
      h.db.prepare('SELECT id FROM designations WHERE key = ?').pluck().get(key) as number;
    const [cuba, other] = [idOf('306'), idOf('424')];
    // As two polls queue them: names of one, then identifiers of both.
    queueIndexing(h.db, new Map([[cuba, { names: true, identifiers: false }]]));
    queueIndexing(
      h.db,
      new Map([
        [cuba, { names: false, identifiers: true }],
        [other, { names: true, identifiers: true }],
      ]),
    );
    expect(count(h.db, 'SELECT count(*) FROM index_queue')).toBe(2);
    expect(queuedIndexingCount(h.db)).toBe(3);
    h.db.prepare('DELETE FROM entity_names WHERE designation_id IN (?, ?)').run(cuba, other);
    // A record gone since it was queued (its source removed) is skipped, not an error.
    queueIndexing(h.db, new Map([[999_999, { names: true, identifiers: true }]]));
    // Slices of two: the first takes the whole first row and one item of the second.
    const step = h.db.transaction(() => takeQueuedIndexing(h.db, 2));
    const first = step.immediate();
    expect(first.taken).toBe(2);
    expect(first.rows.map((r) => [r.id, r.names, r.identifiers])).toEqual([[cuba, true, true]]);
    expect(queuedNeeds(h.db)).toEqual([
      { id: other, names: true, identifiers: true },
      { id: 999_999, names: true, identifiers: true },
    ]);
    const second = step.immediate();
    expect(second.taken).toBe(2);
    expect(second.rows.map((r) => r.id)).toEqual([other]);
    expect(queuedIndexingCount(h.db)).toBe(0);
    // indexQueued does the same and writes what it took: both records are named again.
    queueIndexing(
      h.db,
      new Map([
        [cuba, { names: true, identifiers: false }],
        [999_999, { names: true, identifiers: false }],
      ]),
    );
    queueIndexing(h.db, new Map([[other, { names: true, identifiers: false }]]));
    expect(indexQueued(h.db)).toBe(3);
    expect(count(h.db, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(h.db));
  });

  it('what migration 012 left queued, one row per designation, migration 013 carries over as one row', () => {
    const u = createHarness();
    try {
      const path = join(u.dir, 'old.db');
      const old = new Database(path);
      migrate(
        old,
        loadMigrations().filter((m) => m.version <= 12),
      );
      old.prepare("INSERT INTO sources (id, kind) VALUES ('s', 'ofac-csv')").run();
      const add = old.prepare(
        "INSERT INTO designations (source_id, key, list, name, record, first_seen, last_changed) VALUES ('s', ?, 'SDN', ?, ?, 'x', 'x')",
      );
      const ids = ['ACME TRADING', 'BETA SHIPPING'].map((name, i) =>
        Number(
          add.run(String(i), name, JSON.stringify({ key: String(i), name, list: 'SDN' }))
            .lastInsertRowid,
        ),
      );
      old
        .prepare(
          'INSERT INTO index_queue (designation_id, names, identifiers) VALUES (?, 1, 0), (?, 1, 1)',
        )
        .run(ids[1], ids[0]);
      old.close();
      const { db } = openDb(path);
      try {
        expect(queuedNeeds(db)).toEqual([
          { id: ids[0], names: true, identifiers: true },
          { id: ids[1], names: true, identifiers: false },
        ]);
        expect(indexQueued(db)).toBe(2);
        expect(db.prepare('SELECT count(*) FROM entity_names').pluck().get()).toBe(2);
      } finally {
        db.close();
      }
    } finally {
      u.close();
    }
  });

  it('a process stopped between its poll and the indexing: the next open indexes what it left', async () => {
    const u = createHarness();
    try {
      server.set('/sdn.csv', { kind: 'body', body: before });
      await u.pollOnly(sdn());
      expect(queuedIndexingCount(u.db)).toBe(123);
      u.db.close();
      const reopened = openStore(join(u.dir, 'test.db')).db;
      try {
        expect(queuedIndexingCount(reopened)).toBe(0);
        expect(count(reopened, 'SELECT count(*) FROM entity_names')).toBe(expectedNames(reopened));
      } finally {
        reopened.close();
      }
    } finally {
      u.close();
    }
  });
});

describe('readers inside other polls and reports', () => {
  const { server, h } = pollTestbed({
    fresh: 'block',
    deps: { defaultChannels: ['console:default'] },
  });
  const dod = () =>
    source('dod', 'csv', server.url('/dod.csv'), {
      list: 'DoD 1260H',
      columns: { name: 'Company', aliases: 'Also known as', listedOn: 'Listed on' },
    });
  const dcd = () => source('pacer-dcd', 'pacer', server.url('/dcd.xml'), {});

  it('a court entry naming a company the previous poll listed is matched to its listing, with nothing read between the polls', async () => {
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v1.xml'),
      contentType: 'application/rss+xml',
    });
    expect(await h.poll(dcd())).toMatchObject({ status: 'baseline' });
    server.set('/dod.csv', { kind: 'body', body: fixture('dod1260h/dod_1260h_2024-01-31.csv') });
    expect(await h.pollOnly(dod())).toMatchObject({ status: 'baseline' });
    expect(queuedIndexingCount(h.db)).toBeGreaterThan(0);
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v2.xml'),
      contentType: 'application/rss+xml',
    });
    const r = await h.poll(dcd());
    const hesai = r.alerts.find(
      (a): a is Extract<Alert, { type: 'feed.item' }> =>
        a.type === 'feed.item' && a.item.docket === '1:24-cv-02003',
    );
    expect(hesai?.mentions).toEqual([
      expect.objectContaining({ name: 'Hesai Technology Co., Ltd.', list: 'DoD 1260H' }),
    ]);
    expect(queuedIndexingCount(h.db)).toBe(0);
  });

  it('an identifier index built by another build is queued whole at open and rebuilt as it was', async () => {
    const u = createHarness();
    try {
      server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
      await u.poll(
        source('ofac-cons', 'ofac-csv', server.url('/cons.csv'), { consolidated: true }),
      );
      indexQueued(u.db);
      const rows = (db: Db) =>
        db
          .prepare(
            'SELECT designation_id, type, value, exchange FROM designation_identifiers ORDER BY 1, 2, 3, 4',
          )
          .all();
      const built = rows(u.db);
      expect(built.length).toBeGreaterThan(20);
      // As an older build left it: other rows, and its scheme behind this build's.
      u.db.exec(
        "UPDATE designation_identifiers SET value = 'stale'; DELETE FROM meta WHERE key = 'identifiers_scheme'",
      );
      u.db.close();
      const reopened = openStore(join(u.dir, 'test.db')).db;
      try {
        expect(queuedIndexingCount(reopened)).toBe(0);
        expect(rows(reopened)).toEqual(built);
      } finally {
        reopened.close();
      }
    } finally {
      u.close();
    }
  });

  it('a portfolio report right after the poll that listed a holding finds it by ISIN', async () => {
    const full = fixture('ofac/cons_prim.csv').toString('latin1');
    const cons = () =>
      source('ofac-cons', 'ofac-csv', server.url('/cons.csv'), { consolidated: true });
    server.set('/cons.csv', {
      kind: 'body',
      body: Buffer.from(
        full
          .split('\r\n')
          .filter((l) => !l.startsWith('30923,'))
          .join('\r\n'),
        'latin1',
      ),
    });
    await h.poll(cons());
    const ctx = {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [cons()],
      channel: 'slack:CPORT',
    };
    expect(runCommand('portfolio add US16941M1099', ctx).ok).toBe(true);
    server.set('/cons.csv', { kind: 'body', body: Buffer.from(full, 'latin1') });
    expect(await h.poll(cons())).toMatchObject({ status: 'changed', added: 1 });
    const exposure = (runCommand('portfolio', ctx).data as { exposure: ExposureEntry[] }).exposure;
    expect(exposure).toEqual([
      expect.objectContaining({
        entity: 'CHINA MOBILE LIMITED',
        standing: 'listed',
        matchedBy: 'ISIN',
      }),
    ]);
  });
});
