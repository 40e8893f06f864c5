// A log line about a fault carries the error's stack, not only its message: an operator's bug
// report is worth nothing without it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { Scheduler } from '../src/poll/scheduler.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, source } from './helpers/poll-harness.js';

function capture() {
  const lines: {
    msg?: string;
    source?: string;
    level?: number;
    err?: { type: string; message: string; stack: string };
  }[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: createLogger('info', out) };
}

describe('logs keep the stack', () => {
  it('a poll that crashes logs err with its type and stack', async () => {
    const { lines, log } = capture();
    const h = createHarness({ log });
    const cfg = source('ofac-sdn', 'ofac-csv', 'http://127.0.0.1:9/sdn.csv');
    h.close(); // the poll then fails on its first statement, as it would on a lost disk
    const scheduler = new Scheduler([cfg], (s) => h.poll(s).then(() => undefined), log);
    await scheduler.trigger(cfg);
    const crash = lines.find((l) => l.msg === 'poll crashed');
    expect(crash).toBeDefined();
    expect(crash!.source).toBe('ofac-sdn');
    expect(crash!.level).toBe(50);
    expect(crash!.err!.type).toBe('TypeError');
    expect(crash!.err!.message).toMatch(/database connection is not open/);
    expect(crash!.err!.stack).toMatch(/\n\s+at .*poll-source/);
  });

  it('a commit that fails (a write refused) rolls back, reads as a failing source, and logs the stack', async () => {
    const { lines, log } = capture();
    const server = await new FeedServer().start();
    const h = createHarness({ log });
    try {
      const cfg = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
      await h.poll(cfg);
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
      h.db.exec(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.changes BEGIN SELECT RAISE(ABORT, 'the disk refuses this write'); END",
      );
      const r = await h.poll(cfg);
      expect(r).toMatchObject({
        status: 'failing',
        error: 'could not be applied: the disk refuses this write',
      });
      expect(r.alerts.map((a) => a.type)).toEqual(['source.health']);
      expect(h.db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(0);
      expect(
        h.db.prepare("SELECT count(*) FROM designations WHERE key = '48239'").pluck().get(),
      ).toBe(0);
      // The lease goes back with the failure's own commit, as with any other.
      expect(
        h.db.prepare("SELECT poll_claimed_by FROM sources WHERE id = 'ofac-sdn'").pluck().get(),
      ).toBeNull();
      const line = lines.find((l) => l.msg === 'poll could not be committed');
      expect(line?.err?.message).toBe('the disk refuses this write');
      expect(line?.err?.stack).toMatch(/\n\s+at .*commit/);
      // Once the write goes through, the same answer is applied whole.
      h.db.exec('DROP TRIGGER temp.refuse');
      expect(await h.poll(cfg)).toMatchObject({
        status: 'changed',
        added: 4,
        removed: 2,
        amended: 1,
      });
    } finally {
      h.close();
      await server.stop();
    }
  });
});

describe('the logger', () => {
  it('writes what its level lets through, with the bindings of a child made before the first line', () => {
    const lines: { level: number; msg: string; channel?: string; app?: string }[] = [];
    const out = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const log = createLogger('warn', out);
    // pino loads with the first line let through; a child made before then still binds its fields.
    const child = log.child({ channel: 'slack:C1' });
    log.debug('hidden');
    log.info('hidden too');
    child.info('hidden as well');
    child.warn({ attempt: 2 }, 'slow channel');
    log.error('broken');
    expect(lines.map((l) => [l.level, l.msg, l.channel ?? null, l.app])).toEqual([
      [40, 'slow channel', 'slack:C1', 'sanctions-radar'],
      [50, 'broken', null, 'sanctions-radar'],
    ]);
    expect(() => createLogger('verbose', out)).toThrow(/level:verbose/);
  });
});
