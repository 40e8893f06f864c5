// A log line about a fault carries the error's stack, not only its message: an operator's bug
// report is worth nothing without it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { Scheduler } from '../src/scheduler.js';
import { createHarness, source } from './helpers/poll-harness.js';

function capture() {
  const lines: { msg?: string; source?: string; level?: number; err?: { type: string; message: string; stack: string } }[] = [];
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
});
