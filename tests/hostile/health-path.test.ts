// Chat commands off the path that serves health: many lookups at once (each synchronous SQLite
// work) run one per turn of the event loop, so /healthz, asked while they run, is answered between
// two of them, not after all. A real HTTP server on 127.0.0.1, real lookups on the real lists.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandQueue } from '../../src/commands/queue.js';
import { runCommand } from '../../src/commands/run.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { closeServer, listenLocal } from '../helpers/listen.js';
import { evalIndex } from '../helpers/matching-eval.js';
import type { Harness } from '../helpers/poll-harness.js';

describe('commands and /healthz share one process', () => {
  let h: Harness;
  let server: Server;
  let port = 0;
  let finished = 0;
  beforeAll(async () => {
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    const queue = commandQueue();
    server = createServer((req, res) => {
      if (req.url === '/healthz') return void res.writeHead(200).end(JSON.stringify({ finished }));
      req.resume();
      req.on('end', () => {
        void queue(() =>
          runCommand(`lookup ${req.url!.slice(1)}`, {
            db: h.db,
            matcher,
            sources: [],
            channel: 'slack:C1',
          }),
        ).then((reply) => {
          finished++;
          res.writeHead(200).end(reply.summary);
        });
      });
    });
    port = await listenLocal(server);
  });
  afterAll(async () => {
    await closeServer(server);
    h.close();
  });

  it('answers /healthz between two queued commands, while most of them still wait', async () => {
    // Queries that make the matcher work: long, near-miss names across the real lists.
    const queries = Array.from({ length: 60 }, (_, i) =>
      encodeURIComponent(
        `Joint Stock Company Scientific Production Corporation Radio Electronic ${i} Huawe Technolgies`,
      ),
    );
    const commands = queries.map((q) =>
      fetch(`http://127.0.0.1:${port}/${q}`).then((r) => r.text()),
    );
    // Asked once the first command has run: it must not wait for the other fifty-nine.
    while (finished === 0) await new Promise((r) => setTimeout(r, 1));
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      finished: number;
    };
    expect(health.finished).toBeLessThan(queries.length);
    const answers = await Promise.all(commands);
    expect(answers.every((a) => a.length > 0)).toBe(true);
    expect(finished).toBe(queries.length);
  }, 60_000);

  it('keeps the order commands came in, and a command that throws does not stop the queue', async () => {
    const queue = commandQueue();
    const order: number[] = [];
    const runs = [
      queue(() => order.push(1)),
      queue(() => {
        throw new Error('boom');
      }),
      queue(() => order.push(3)),
    ];
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(order).toEqual([1, 3]);
  });
});
