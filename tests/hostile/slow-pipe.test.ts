// `poll --json` into a pipe nobody reads fast enough, then SIGKILL: every alert the database marks
// sent has reached the pipe, and the next run prints the rest, marked redelivered. Node queues
// writes to a full pipe in memory; confirming a line before it left lost 43 of 150 here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

const ALERTS = 150;

/** A team list of one company, then of 150 more, each line of alert JSON over 1 KB (a pipe holds 64 KB). */
function list(n: number): string {
  const rows = ['Company,Also known as', 'Alpha Baseline Widgets Ltd,'];
  for (let i = 0; i < n; i++) {
    rows.push(
      `Zeta${i} Kappa Manufacturing Company Number ${i},"${Array.from({ length: 25 }, (_, j) => `Zeta${i} alias ${j} Trading House`).join('; ')}"`,
    );
  }
  return `${rows.join('\n')}\n`;
}

const idsOf = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { entity?: { name: string }; redelivered?: boolean });

describe('poll --json into a slow pipe, killed', () => {
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sr-pipe-'));
    writeFileSync(
      join(dir, 'sources.json'),
      JSON.stringify({
        sources: [
          {
            id: 'team',
            kind: 'csv',
            url: 'file:list.csv',
            list: 'Team list',
            columns: { name: 'Company', aliases: 'Also known as' },
          },
        ],
      }),
    );
    writeFileSync(join(dir, 'list.csv'), list(0));
    args = [
      'poll',
      '--json',
      '--sources',
      join(dir, 'sources.json'),
      '--db',
      join(dir, 'radar.db'),
    ];
    expect((await runCli(args, cleanEnv())).code).toBe(0);
    writeFileSync(join(dir, 'list.csv'), list(ALERTS));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marks sent only what reached the pipe; the next run prints the rest once', async () => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.pause();
    const db = new Database(join(dir, 'radar.db'), { readonly: true });
    const sent = () => {
      try {
        return db
          .prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'")
          .pluck()
          .get() as number;
      } catch {
        return 0; // the poll's commit holds the write lock a moment
      }
    };
    // Until deliveries stop moving (the pipe is full and nobody reads) or all are out.
    let last = -1;
    for (let still = 0, i = 0; still < 6 && i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const now = sent();
      still = now > 0 && now === last ? still + 1 : 0;
      last = now;
      if (now === ALERTS) break;
    }
    child.kill('SIGKILL');
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout.resume();
    await new Promise((r) => child.on('close', r));
    const markedSent = sent();
    db.close();
    const first = idsOf(out);
    expect(markedSent).toBeGreaterThan(0);
    expect(markedSent).toBeLessThan(ALERTS);
    expect(first.length).toBeGreaterThanOrEqual(markedSent);

    const again = await runCli(args, cleanEnv());
    expect(again.code).toBe(0);
    const second = idsOf(again.stdout);
    expect(second.every((a) => a.redelivered === true)).toBe(true);
    const names = [...first, ...second].map((a) => a.entity!.name);
    expect(new Set(names).size).toBe(ALERTS);
    // At most the line in flight at the kill is printed twice.
    expect(names.length - ALERTS).toBeLessThanOrEqual(1);
  });

  it('a reader that goes away (| head -1) ends the poll calmly; what was not printed stays in the outbox', async () => {
    writeFileSync(join(dir, 'list.csv'), list(ALERTS + 20));
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const firstLine = await new Promise<string>((resolve) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) {
          child.stdout.destroy();
          resolve(buf.slice(0, buf.indexOf('\n')));
        }
      });
    });
    const code = await new Promise((r) => child.on('close', r));
    expect(JSON.parse(firstLine)).toMatchObject({ type: 'designation.added' });
    expect(code).toBe(0);
    expect(err).not.toMatch(/Unhandled 'error' event|EPIPE\n\s+at /);
    expect(err).toMatch(/stdout closed \(write EPIPE\): the alerts wait in the outbox/);
    const db = new Database(join(dir, 'radar.db'), { readonly: true });
    expect(
      db.prepare("SELECT count(*) FROM deliveries WHERE status = 'pending'").pluck().get(),
    ).toBeGreaterThan(0);
    db.close();
  });
});
