import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDb } from '../db/database.js';
import { openDbAt } from './helpers/old-database.js';
import { forgetSource } from '../db/forget-source.js';
import { enqueueAlert } from '../db/outbox.js';
import { healthAlert } from '../src/alerts/derive.js';

describe('database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-db-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file with WAL, foreign keys and every migration, once', () => {
    const path = join(dir, 'nested', 'radar.db');
    const { db, migrated } = openDb(path);
    expect(migrated).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    db.close();
    const again = openDb(path);
    expect(again.migrated).toBe(0);
    again.db.close();
  });

  it('refuses a database newer than the build', () => {
    const { db } = openDb(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer than this build/);
  });

  it('rejects migrations out of sequence', () => {
    const mdir = join(dir, 'm');
    mkdirSync(mdir, { recursive: true });
    writeFileSync(join(mdir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(join(mdir, '003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(mdir)).toThrow(/out of sequence/);
  });

  it('never hands out an alert id twice: not after sources forget, not after the newest alerts are pruned; the upgrade keeps every delivery', () => {
    const path = join(dir, 'ids', 'radar.db');
    // A database as version 15 left it, with alerts and their deliveries.
    const old = openDbAt(path, 15);
    const at = new Date().toISOString();
    // Written as that version's code did: today's reads ask for columns it did not have yet.
    for (const id of ['gone', 'kept'])
      old.prepare("INSERT INTO sources (id, kind) VALUES (?, 'rss')").run(id);
    for (const source of ['kept', 'gone', 'gone'])
      enqueueAlert(
        old,
        healthAlert('failing', 'r', { id: source, label: source }, at),
        new Map([
          ['console:a', 't'],
          ['slack:C1', 't'],
        ]),
        null,
      );
    old.close();
    const { db: up, migrated } = openDb(path);
    expect(migrated).toBe(loadMigrations().length - 15);
    expect(up.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(6);
    expect(up.pragma('foreign_key_check')).toEqual([]);
    expect(up.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(forgetSource(up, 'gone')).toMatchObject({ alerts: 2 });
    const next = enqueueAlert(
      up,
      healthAlert('failing', 'r', { id: 'kept', label: 'kept' }, at),
      new Map([['console:a', 't']]),
      null,
    );
    expect(next.id).toBe(4);
    up.prepare('DELETE FROM alerts WHERE id = 4').run();
    expect(
      enqueueAlert(
        up,
        healthAlert('failing', 'r', { id: 'kept', label: 'kept' }, at),
        new Map([['console:a', 't']]),
        null,
      ).id,
    ).toBe(5);
    up.close();
  });
});
