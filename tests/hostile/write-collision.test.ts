// A poll's commit and another connection's write (a CLI command beside the daemon) at the same
// time: a deferred transaction read first, then failed to write with SQLITE_BUSY_SNAPSHOT, to
// which no busy wait applies, and the source read as failing (8 of 500 daemon polls). Write
// transactions take the write lock when they begin; the other writer waits or gives way.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/fixtures.js';
import { pollTestbed, source } from '../helpers/poll-harness.js';

describe('a poll while another thread writes to the database', () => {
  const { server, h } = pollTestbed();

  it('never fails on a snapshot gone stale: 60 changing polls against a writer that never waits', async () => {
    const sdn = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
    const versions = [
      fixture('ofac/sdn_2024-04-04_trimmed.csv'),
      fixture('ofac/sdn_2024-04-12_trimmed.csv'),
    ];
    server.set('/sdn.csv', { kind: 'body', body: versions[0]! });
    await h.poll(sdn);
    const stop = new SharedArrayBuffer(4);
    const writer = new Worker(
      fileURLToPath(new URL('../helpers/meta-writer.mjs', import.meta.url)),
      { workerData: { path: h.db.name, ms: 60_000, stop } },
    );
    const done = new Promise<{ writes: number; busy: number }>((resolve) =>
      writer.once('message', resolve),
    );
    const failures: string[] = [];
    try {
      for (let i = 1; i <= 60; i++) {
        server.set('/sdn.csv', { kind: 'body', body: versions[i % 2]! });
        const r = await h.poll(sdn);
        // Each poll alternates the version: every one must apply its changes.
        if (r.status !== 'changed')
          failures.push(`poll ${i}: ${r.status}${r.error ? `: ${r.error}` : ''}`);
      }
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
    }
    const { writes } = await done;
    expect(failures).toEqual([]);
    // The writer did collide with the polls' commits.
    expect(writes).toBeGreaterThan(60);
  }, 120_000);
});
