// `npm run bench -- webhooks`: 10,000 alerts to a webhook channel, through the real outbox and
// dispatcher, to a receiver on 127.0.0.1 in another process (answering 204 after reading the body):
// throughput, and the latency of each delivery's POST (median, p99, max) as the sender waits for it.
import { spawn } from 'node:child_process';
import { createWebhookAdapter } from '../adapters/webhook/webhook-adapter.js';
import { enqueueAlerts } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import type { NewAlert } from '../src/domain.js';
import { silentLogger } from '../src/log.js';
import { createHarness } from '../tests/helpers/poll-harness.js';

const N = 10_000;
const receiver = spawn(
  process.execPath,
  [
    '-e',
    `
  const http = require('node:http');
  let n = 0;
  http.createServer((req, res) => { req.resume(); req.on('end', () => { n++; res.writeHead(204).end(); }); })
    .listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<string>((resolve) =>
  receiver.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
);
const h = createHarness();
try {
  const alerts = Array.from(
    { length: N },
    (_, i): { alert: NewAlert; routes: Map<string, string>; changeId: null } => ({
      alert: {
        type: 'designation.added',
        source: 'ofac-sdn',
        sourceLabel: 'OFAC SDN',
        detectedAt: new Date().toISOString(),
        list: 'SDN',
        entity: { key: `SDN:${i}`, name: `COMPANY ${i} LIMITED`, aliases: [], programs: ['SDGT'] },
        record: {
          key: `SDN:${i}`,
          list: 'SDN',
          name: `COMPANY ${i} LIMITED`,
          aliases: [`COMPANY ${i}`],
          type: 'entity',
          programs: ['SDGT'],
          countries: ['CN'],
          addresses: ['Beijing'],
          listedOn: '2026-12-05',
          citation: '91 FR 1234',
          url: 'https://sanctionssearch.ofac.treas.gov/',
          remarks: null,
        },
      },
      routes: new Map([['webhook:bench', 'subscription #1 (all alerts)']]),
      changeId: null,
    }),
  );
  h.db.transaction(() => enqueueAlerts(h.db, alerts))();
  const latencies: number[] = [];
  const timed: typeof fetch = async (url, init) => {
    const t = performance.now();
    const res = await fetch(url, init);
    latencies.push(performance.now() - t);
    return res;
  };
  const adapter = createWebhookAdapter(
    new Map([
      ['bench', { url: `http://127.0.0.1:${port}/hook`, secret: 'bench-secret-0123456789' }],
    ]),
    { fetch: timed, log: silentLogger, userAgent: 'sanctions-radar-bench' },
  );
  const started = performance.now();
  const report = await new Dispatcher(h.db, silentLogger, [adapter]).drain(600_000);
  const seconds = (performance.now() - started) / 1000;
  if (report.sent !== N) throw new Error(`sent ${report.sent} of ${N}`);
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(
    `  ${N} webhook deliveries (one channel, in order): ${seconds.toFixed(1)} s, ${(N / seconds).toFixed(0)} deliveries/s; POST latency median ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
} finally {
  h.close();
  receiver.kill();
}
