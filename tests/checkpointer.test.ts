// The daemon's checkpoint thread, on real database files: a large commit leaves its log to the
// thread instead of copying it back on the event loop; the thread copies it, on request and on its
// own beat; if the thread is gone, SQLite's automatic checkpoint is back.
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Checkpointer, type CheckpointResult } from '../db/checkpointer.js';
import { openDb, type Db } from '../db/database.js';

const PAGE = 4096;

describe('Checkpointer', () => {
  let dir: string;
  let db: Db;
  let path: string;
  const open: Checkpointer[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-ckpt-'));
    path = join(dir, 'radar.db');
    db = openDb(path).db;
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.stop();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (intervalMs = 60_000, onError?: (err: Error) => void) => {
    const c = new Checkpointer(db, { intervalMs, onError });
    open.push(c);
    return c;
  };
  /** One transaction writing ~12 MB: well past SQLite's 1,000-page automatic checkpoint. */
  const bigWrite = () => {
    db.exec('CREATE TABLE IF NOT EXISTS blob_rows (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = db.prepare('INSERT INTO blob_rows (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 3_000; i++) insert.run(`${i}`.padEnd(4_000, 'x'));
    })();
  };
  const size = (p: string) => statSync(p).size;
  /** The log's checkpoint sequence and salts: a log started over has new ones. */
  const logHeader = () => readFileSync(`${path}-wal`).subarray(12, 24);

  it('leaves a large commit in the log, then copies it into the database file when asked', async () => {
    const c = start();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = size(path);
    bigWrite();
    // The commit returned without copying anything back: the file is as it was, the log holds it all.
    expect(size(path)).toBe(before);
    expect(size(`${path}-wal`)).toBeGreaterThan(3_000 * PAGE);
    const r = await c.checkpoint();
    expect(r.busy).toBe(false);
    expect(r.log).toBeGreaterThan(3_000);
    expect(r.checkpointed).toBe(r.log);
    expect(r.copied).toBe(r.log);
    // Asked again with nothing new: nothing copied.
    expect((await c.checkpoint()).copied).toBe(0);
    expect(size(path)).toBeGreaterThan(before + 3_000 * PAGE);
    // What another connection reads from the file alone (the log set aside) is the whole write.
    db.close();
    unlinkSync(`${path}-wal`);
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM blob_rows').pluck().get()).toBe(3_000);
    reader.close();
  });

  it('checkpoints on its own beat, and says what it copied', async () => {
    const seen: CheckpointResult[] = [];
    const c = new Checkpointer(db, { intervalMs: 20, onCheckpoint: (r) => seen.push(r) });
    open.push(c);
    const before = size(path);
    // (Whether the commit itself left the file alone is the test above's: here the thread's 20 ms
    // beat may already have copied some back by the time the commit returns.)
    bigWrite();
    const deadline = Date.now() + 10_000;
    while (size(path) <= before + 3_000 * PAGE && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(size(path)).toBeGreaterThan(before + 3_000 * PAGE);
    // The thread's report comes after its copy, later still on a loaded machine: waited for, not timed.
    const copied = () => seen.reduce((n, r) => n + r.copied, 0);
    while (copied() <= 3_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(copied()).toBeGreaterThan(3_000);
    expect(seen.every((r) => r.ms >= 0 && r.copied >= 0)).toBe(true);
  });

  it('leaves small commits in the log until it passes 1,000 pages, and the log is cut back after', async () => {
    const seen: CheckpointResult[] = [];
    const c = new Checkpointer(db, { intervalMs: 10, onCheckpoint: (r) => seen.push(r) });
    open.push(c);
    const threshold = 1000 * (4096 + 24);
    db.exec('CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO small (v) VALUES (?)');
    for (let i = 0; i < 20; i++) insert.run(`row ${i}`);
    await new Promise((r) => setTimeout(r, 150));
    // Twenty commits of a page or two: nothing copied yet, so no commit starts the log over.
    expect(seen).toEqual([]);
    bigWrite();
    const deadline = Date.now() + 10_000;
    const copied = () => seen.reduce((n, r) => n + r.copied, 0);
    // (A beat may come while the big write is still spilling into the log: it copies what was committed.)
    while (copied() < 3_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(copied()).toBeGreaterThan(3_000);
    // The thread started the log over itself, and cut the file back to the threshold...
    expect(size(`${path}-wal`)).toBeLessThanOrEqual(threshold);
    const started = logHeader();
    // ...so the next commit goes on in that log instead of starting it over (and syncing its header).
    insert.run('after');
    expect(logHeader()).toEqual(started);
    expect(size(`${path}-wal`)).toBeLessThanOrEqual(threshold);
  });

  it('starts the log over itself once it is all copied, so the writer never syncs a new log header', async () => {
    const c = start();
    bigWrite();
    const copiedBack = await c.checkpoint();
    expect(copiedBack.checkpointed).toBe(copiedBack.log);
    const started = logHeader();
    db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 1)").run();
    expect(logHeader()).toEqual(started);
    // A fresh database: the thread writes the log's first header, not the first poll.
    db.close();
    const fresh = join(dir, 'fresh.db');
    db = openDb(fresh).db;
    db.close();
    db = new Database(fresh) as Db;
    db.pragma('journal_mode = WAL');
    expect(size(`${fresh}-wal`)).toBe(0);
    const second = start();
    await second.checkpoint();
    const first = readFileSync(`${fresh}-wal`).subarray(12, 24);
    db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 1)").run();
    expect(readFileSync(`${fresh}-wal`).subarray(12, 24)).toEqual(first);
    expect(db.prepare("SELECT key FROM meta WHERE key = 'log_started_at'").pluck().get()).toBe(
      'log_started_at',
    );
  });

  it('never waits for the writer: while it holds the file, the log is left for it to start over', async () => {
    const c = start();
    bigWrite();
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 1)").run();
    const r = await c.checkpoint();
    expect(r.busy).toBe(false);
    expect(r.checkpointed).toBe(r.log);
    db.exec('COMMIT');
    expect(
      db
        .prepare("SELECT count(*) FROM meta WHERE key IN ('probe', 'log_started_at')")
        .pluck()
        .get(),
    ).toBe(1);
    // The writer's commit went on in the copied log; the thread's next look copies it and starts over.
    expect((await c.checkpoint()).copied).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM meta WHERE key = 'log_started_at'").pluck().get()).toBe(
      1,
    );
  });

  it('gives the checkpoint back to SQLite when stopped', async () => {
    const c = start();
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(1000 * (4096 + 24));
    await c.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(-1);
    await expect(c.checkpoint()).rejects.toThrow(/stopped/);
    const before = size(path);
    bigWrite();
    expect(size(path)).toBeGreaterThan(before + 1_000 * PAGE);
  });

  it('says so and gives the checkpoint back to SQLite when the thread cannot run', async () => {
    // The file was moved away under the running connection: the thread cannot open it.
    unlinkSync(path);
    const errors: Error[] = [];
    start(60_000, (err) => errors.push(err));
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(errors[0]?.message).toMatch(/cannot open .*radar\.db: unable to open/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('refuses an in-memory database', () => {
    const mem = openDb(':memory:').db;
    expect(() => new Checkpointer(mem)).toThrow(/in-memory/);
    mem.close();
  });
});
