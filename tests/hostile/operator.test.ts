// A careless operator: every database or environment mistake gets one line that says what to fix,
// and exit 2, never a stack trace. A database that does not exist yet is made by `subscribe` here:
// the reading verbs refuse a path that names no file (tests/cli.test.ts).
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  truncateSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, BIN } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';

describe('database and environment mistakes', () => {
  let dir: string;
  let good: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sr-operator-'));
    good = join(dir, 'good.db');
    expect(
      (await runCli(['subscribe', 'Xiaomi', '--channel', 'console:x', '--db', good], cleanEnv()))
        .code,
    ).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectOneLine = (r: { code: number | null; stderr: string }, message: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  };

  it('--db naming a directory', async () => {
    mkdirSync(join(dir, 'adir'));
    expectOneLine(
      await runCli(['subscriptions', '--db', join(dir, 'adir')], cleanEnv({ LOG_LEVEL: 'error' })),
      /is a directory, not a file; set SANCTIONS_RADAR_DB \(or --db\)/,
    );
  });

  it('a garbage file and a truncated database', async () => {
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database, it is a shopping list\n'.repeat(200));
    expectOneLine(
      await runCli(['subscriptions', '--db', garbage], cleanEnv({ LOG_LEVEL: 'error' })),
      /is not a SQLite database/,
    );
    const cut = join(dir, 'cut.db');
    copyFileSync(good, cut);
    truncateSync(cut, 1000);
    expectOneLine(
      await runCli(['subscriptions', '--db', cut], cleanEnv({ LOG_LEVEL: 'error' })),
      /is (damaged|not a SQLite database)/,
    );
  });

  it('a schema newer than the code', async () => {
    const newer = join(dir, 'newer.db');
    copyFileSync(good, newer);
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    expectOneLine(
      await runCli(['subscriptions', '--db', newer], cleanEnv({ LOG_LEVEL: 'error' })),
      /schema version 99, newer than this build knows/,
    );
  });

  it('a folder path through a file', async () => {
    writeFileSync(join(dir, 'plainfile'), 'x');
    expectOneLine(
      await runCli(
        [
          'subscribe',
          'Xiaomi',
          '--channel',
          'console:x',
          '--db',
          join(dir, 'plainfile', 'radar.db'),
        ],
        cleanEnv({ LOG_LEVEL: 'error' }),
      ),
      /the database .*radar\.db (has a file where a folder should be|cannot be)/,
    );
  });

  // Root ignores file modes; setpriv drops the capability that lets it, so the modes below bind
  // the child exactly as they bind an operator's own account.
  const runAsOwner = (args: string[]) => {
    const argv =
      process.getuid?.() === 0
        ? [
            'setpriv',
            '--bounding-set=-dac_override,-dac_read_search',
            process.execPath,
            BIN,
            ...args,
          ]
        : [process.execPath, BIN, ...args];
    const r = spawnSync(argv[0]!, argv.slice(1), {
      env: cleanEnv({ LOG_LEVEL: 'error' }),
      encoding: 'utf8',
    });
    return { code: r.status, stderr: r.stderr };
  };

  it('a folder that is not writable, and a read-only database file', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    expectOneLine(
      runAsOwner([
        'subscribe',
        'Xiaomi',
        '--channel',
        'console:x',
        '--db',
        join(locked, 'radar.db'),
      ]),
      /the database .*locked\/radar\.db cannot be created: its folder .*locked is not writable/,
    );
    expectOneLine(
      runAsOwner([
        'subscribe',
        'Xiaomi',
        '--channel',
        'console:x',
        '--db',
        join(locked, 'sub', 'radar.db'),
      ]),
      /cannot be created or written here \(EACCES\)/,
    );

    const roDir = join(dir, 'ro-file');
    mkdirSync(roDir);
    const ro = join(roDir, 'radar.db');
    copyFileSync(good, ro);
    chmodSync(ro, 0o444);
    expectOneLine(
      runAsOwner(['subscribe', 'Xiaomi', '--channel', 'console:x', '--db', ro]),
      /the database .*radar\.db is read-only; make it \(and its folder\) writable/,
    );
    chmodSync(roDir, 0o555);
    expectOneLine(
      runAsOwner(['subscriptions', '--db', ro]),
      /the database .*radar\.db (is read-only|cannot be created: its folder .* is not writable)/,
    );
    chmodSync(roDir, 0o755);
    chmodSync(locked, 0o755);
  });

  it('a folder that cannot be made (a path under /proc used to hang in mkdir)', async () => {
    expectOneLine(
      await runCli(
        [
          'subscribe',
          'Xiaomi',
          '--channel',
          'console:x',
          '--db',
          '/proc/sanctions-radar-x/radar.db',
        ],
        cleanEnv({ LOG_LEVEL: 'error' }),
      ),
      /a folder on its path cannot be made \(ENOENT\)/,
    );
  }, 15000);

  it('LOG_LEVEL=loud and a .env that is a directory', async () => {
    expectOneLine(
      await runCli(['subscriptions', '--db', good], cleanEnv({ LOG_LEVEL: 'loud' })),
      /LOG_LEVEL=loud is not a level/,
    );
    const cwd = join(dir, 'envdir');
    mkdirSync(join(cwd, '.env'), { recursive: true });
    const r = spawnSync(process.execPath, [BIN, 'subscriptions', '--db', good], {
      cwd,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expectOneLine({ code: r.status, stderr: r.stderr }, /\.env in .* cannot be read \(EISDIR\)/);
  });
});
