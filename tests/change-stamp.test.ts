// Reads kept until the database changes: every kind of change must show, whoever makes it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeStamp, untilChanged } from '../db/change-stamp.js';
import { openDb } from '../db/database.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { pollSource } from '../src/poll/poll-source.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, pollTestbed, source } from './helpers/poll-harness.js';

describe('untilChanged', () => {
  const setup = () => {
    const h = createHarness();
    h.db.exec('CREATE TABLE t (v INTEGER)');
    let reads = 0;
    const sum = untilChanged((db) => {
      reads++;
      return db.prepare('SELECT coalesce(sum(v), 0) FROM t').pluck().get() as number;
    });
    return { h, sum, reads: () => reads };
  };

  it('reads once while nothing changes, and again after a write of this connection', () => {
    const { h, sum, reads } = setup();
    expect(sum(h.db)).toBe(0);
    expect(sum(h.db)).toBe(0);
    expect(reads()).toBe(1);
    h.db.prepare('INSERT INTO t VALUES (5)').run();
    expect(sum(h.db)).toBe(5);
    expect(reads()).toBe(2);
    h.close();
  });

  it('sees a commit of another connection (a cron poll in another process writes through its own)', () => {
    const { h, sum, reads } = setup();
    expect(sum(h.db)).toBe(0);
    const other = openDb(join(h.dir, 'test.db')).db;
    other.prepare('INSERT INTO t VALUES (7)').run();
    expect(sum(h.db)).toBe(7);
    expect(reads()).toBe(2);
    // Nothing new since: kept again.
    expect(sum(h.db)).toBe(7);
    expect(reads()).toBe(2);
    other.close();
    h.close();
  });

  it('keeps nothing read inside a transaction, so a rollback leaves no trace', () => {
    const { h, sum } = setup();
    expect(sum(h.db)).toBe(0);
    const rolledBack = h.db.transaction(() => {
      h.db.prepare('INSERT INTO t VALUES (9)').run();
      expect(sum(h.db)).toBe(9);
      throw new Error('abandon');
    });
    expect(() => rolledBack()).toThrow('abandon');
    // total_changes() kept the rolled-back insert: a value kept under that stamp would say 9.
    expect(sum(h.db)).toBe(0);
    h.close();
  });

  it('keeps a value per connection', () => {
    const a = createHarness();
    const b = createHarness();
    for (const h of [a, b]) h.db.exec('CREATE TABLE t (v INTEGER)');
    b.db.prepare('INSERT INTO t VALUES (3)').run();
    const sum = untilChanged(
      (db) => db.prepare('SELECT coalesce(sum(v), 0) FROM t').pluck().get() as number,
    );
    expect([sum(a.db), sum(b.db), sum(a.db)]).toEqual([0, 3, 0]);
    expect(changeStamp(a.db)).not.toBe(changeStamp(b.db));
    a.close();
    b.close();
  });
});

describe('a lookup states the lists it searched as they are now', () => {
  const { server, h } = pollTestbed();

  it('after a poll of this connection and after one of another process', async () => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv')));
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:test' };
    const lookup = () => runCommand('lookup Xiaomi Corporation', ctx);
    const first = lookup();
    expect(first.data).toMatchObject({ trackedLists: ['SDN'] });
    expect(lookup().data).toMatchObject({ trackedLists: ['SDN'] });

    // The daemon's own poll adds a list.
    server.set('/dod.csv', { kind: 'body', body: fixture('dod1260h/dod_1260h_2024-01-31.csv') });
    await h.poll(
      source('dod', 'csv', server.url('/dod.csv'), {
        list: 'DoD 1260H',
        columns: { name: 'Company', aliases: 'Also known as' },
      }),
    );
    expect(lookup().data).toMatchObject({ trackedLists: ['DoD 1260H', 'SDN'] });

    // A `poll` in another process (its own connection) adds another, later: the kept scope moves.
    const other = openDb(join(h.dir, 'test.db'));
    server.set('/csl.csv', { kind: 'body', body: fixture('csl/consolidated_2023-11_excerpt.csv') });
    const before = (lookup().data as { asOf: string }).asOf;
    // A minute later by its own clock, whatever this machine's timer does.
    const later = () => new Date(Date.now() + 60_000);
    await pollSource(
      { ...h.deps, db: other.db, now: later },
      source('csl', 'csl', server.url('/csl.csv')),
    );
    const after = lookup().data as { trackedLists: string[]; asOf: string };
    expect(after.trackedLists.length).toBeGreaterThan(2);
    expect(after.trackedLists).toContain('Entity List');
    // The answer holds as of the oldest read among the sources searched, which this poll is not.
    expect(after.asOf).toBe(before);
    other.db.close();
  });
});
