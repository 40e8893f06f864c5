// The disk under the database fills up, or refuses writes: /healthz says so with what to do, the
// log says it once, a CLI call ends with one line (no stack trace), a CourtListener webhook is told
// to retry (503) and loses nothing, and all recovers once there is room again. `backup` into a
// place it cannot write answers at once, in a line.
//
// A real full disk: a small tmpfs this test mounts (root can, on the machines the tests run on).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, spawnCli, waitFor } from '../helpers/cli.js';

function mount(dir: string, options: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const unmount = (dir: string) => execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
const fill = (dir: string) => {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd ends with "No space left on device": that is the point.
  }
};

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const list = (n: number) =>
  `Company,Also known as\n${Array.from({ length: n }, (_, i) => `Storage Test Company Number ${i},"Storage alias ${i}"`).join('\n')}\n`;
const SECRET = 'storage-test-secret-0123456789';

describe('a database whose disk fills up', () => {
  const root = mkdtempSync(join(tmpdir(), 'sr-storage-'));
  const disk = join(root, 'disk');
  const mounted = process.getuid?.() === 0 && mount(disk, 'size=80m');
  afterAll(() => {
    if (mounted) unmount(disk);
    rmSync(root, { recursive: true, force: true });
  });

  it.runIf(mounted)(
    'the daemon says so in /healthz and once in the log, refuses webhooks with 503, and recovers when space is freed',
    async () => {
      const sources = join(root, 'sources.json');
      writeFileSync(join(root, 'list.csv'), list(1));
      writeFileSync(
        sources,
        JSON.stringify({
          sources: [
            {
              id: 'team',
              kind: 'csv',
              url: 'file:list.csv',
              list: 'Team list',
              columns: { name: 'Company', aliases: 'Also known as' },
              schedule: '* * * * * *',
            },
          ],
        }),
      );
      const run = spawnCli(
        ['start', '--sources', sources, '--db', join(disk, 'radar.db')],
        cleanEnv({ PORT: '0', COURTLISTENER_WEBHOOK_SECRET: SECRET }),
      );
      const lines = () =>
        run
          .stderr()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { msg: string; level: number });
      try {
        const { port } = await waitFor(
          () =>
            lines().find((l) => l.msg === 'sanctions-radar started') as unknown as { port: number },
        );
        const health = async () =>
          (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
            status: string;
            storage?: { reason: string };
          };
        await waitFor(() => run.stderr().includes('"status":"baseline"'));
        expect((await health()).storage).toBeUndefined();

        fill(disk);
        writeFileSync(join(root, 'list.csv'), list(3000));
        // First the warning that the disk is nearly full, then the write that failed.
        const failing = await until(async () => {
          const h = await health();
          return /cannot be written/.test(h.storage?.reason ?? '') ? h : undefined;
        }, 20_000);
        expect(failing).toMatchObject({
          status: 'degraded',
          storage: {
            status: 'failing',
            reason: expect.stringMatching(
              /cannot be written: the disk is full: free space on the disk that holds it \(SQLITE_(FULL|IOERR\w*)\)/,
            ),
          },
        });
        const post = await fetch(
          `http://127.0.0.1:${port}/courtlistener/webhook?secret=${SECRET}`,
          {
            method: 'POST',
            body: JSON.stringify({
              payload: { results: [{ id: 1, entry_number: 1, description: 'x' }] },
              webhook: { event_type: 1 },
            }),
            headers: { 'content-type': 'application/json' },
          },
        );
        expect(post.status).toBe(503);
        expect(post.headers.get('retry-after')).toBe('300');
        // Several polls failed by now; the log said it once, and printed no stack.
        await new Promise((r) => setTimeout(r, 2500));
        expect(
          lines().filter((l) => /cannot be written: the disk is full/.test(l.msg)).length,
        ).toBeLessThanOrEqual(2);
        expect(run.stderr()).not.toMatch(/\\n\s+at /);

        rmSync(join(disk, 'filler'));
        await until(async () => ((await health()).storage ? undefined : true), 20_000);
        expect(lines().some((l) => l.msg === 'the database takes writes again')).toBe(true);
        await waitFor(() => run.stderr().includes('"added":2999'), 20_000);
      } finally {
        rmSync(join(disk, 'filler'), { force: true });
        run.child.kill('SIGTERM');
        await new Promise((r) => run.child.on('exit', r));
      }
    },
    90_000,
  );

  it.runIf(mounted)(
    'a poll from the command line on a full disk ends with one line saying so',
    async () => {
      const sources = join(root, 'sources2.json');
      writeFileSync(join(root, 'list2.csv'), list(1));
      writeFileSync(
        sources,
        JSON.stringify({
          sources: [
            {
              id: 'team',
              kind: 'csv',
              url: 'file:list2.csv',
              list: 'Team list',
              columns: { name: 'Company' },
            },
          ],
        }),
      );
      const db = join(disk, 'cli.db');
      expect(
        (await runCli(['poll', '--sources', sources, '--db', db], cleanEnv({ LOG_LEVEL: 'error' })))
          .code,
      ).toBe(0);
      fill(disk);
      try {
        writeFileSync(join(root, 'list2.csv'), list(3000));
        const r = await runCli(
          ['poll', '--sources', sources, '--db', db],
          cleanEnv({ LOG_LEVEL: 'error' }),
        );
        expect(r.code).not.toBe(0);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(
          /^sanctions-radar: .*the database .*cli\.db cannot be written: the disk is full/,
        );
      } finally {
        rmSync(join(disk, 'filler'), { force: true });
      }
    },
    60_000,
  );
});

describe('backup into a place it cannot write', () => {
  const root = mkdtempSync(join(tmpdir(), 'sr-backup-'));
  const ro = join(root, 'ro');
  const mountedRo = process.getuid?.() === 0 && mount(ro, 'size=1m,ro');
  let db = '';
  beforeAll(async () => {
    const sources = join(root, 'sources.json');
    writeFileSync(join(root, 'list.csv'), list(5));
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          {
            id: 'team',
            kind: 'csv',
            url: 'file:list.csv',
            list: 'Team list',
            columns: { name: 'Company' },
          },
        ],
      }),
    );
    db = join(root, 'radar.db');
    await runCli(['poll', '--sources', sources, '--db', db], cleanEnv({ LOG_LEVEL: 'error' }));
  });
  afterAll(() => {
    if (mountedRo) unmount(ro);
    rmSync(root, { recursive: true, force: true });
  });

  it('answers at once, in a line, for a path no folder can be made on, a device, and (as root) a read-only disk', async () => {
    const cases: [string, RegExp][] = [
      [
        '/proc/sanctions-radar-x/out.db',
        /^sanctions-radar: cannot write the backup to \/proc\/sanctions-radar-x\/out\.db: a folder on its path cannot be made \(ENOENT\)/,
      ],
      [
        '/dev/null',
        /^sanctions-radar: \/dev\/null is not a regular file; give the name of a file to write/,
      ],
    ];
    if (mountedRo)
      cases.push([
        join(ro, 'out.db'),
        /^sanctions-radar: cannot write the backup to .*out\.db: (the file system is read-only \(EROFS\)|the file or its folder is read-only|the file cannot be created there)/,
      ]);
    for (const [target, message] of cases) {
      const r = await runCli(['backup', target, '--db', db], cleanEnv({ LOG_LEVEL: 'error' }));
      expect(r.code, target).toBe(2);
      expect(r.stderr, target).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 30_000);
});
