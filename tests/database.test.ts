import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDb } from '../db/database.js';

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
});
