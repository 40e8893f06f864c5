// The daemon, as `npm start` runs it: keeps running through failing sources, serves health on
// PORT, delivers to the console, and stops cleanly on SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, spawnCli, waitFor } from './helpers/cli.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

describe('sanctions-radar start', () => {
  const server = new FeedServer();
  let dir: string;
  beforeAll(async () => {
    await server.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-start-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a source that is down once, keeps the others going, serves /healthz and stops on SIGTERM', async () => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    const gone = await new FeedServer().start();
    const deadUrl = gone.url('/feed.xml');
    await gone.stop();
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          {
            id: 'ofac-sdn',
            kind: 'ofac-csv',
            url: server.url('/sdn.csv'),
            schedule: '* * * * * *',
          },
          { id: 'court', kind: 'rss', url: deadUrl, schedule: '* * * * * *' },
        ],
      }),
    );
    const run = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar.db')],
      cleanEnv({ PORT: '0' }),
    );
    try {
      const started = await waitFor(() =>
        run
          .stderr()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === 'sanctions-radar started'),
      );
      // Every-second schedules: several polls of each source happen while we wait.
      await waitFor(
        () =>
          run
            .stderr()
            .split('\n')
            .filter((l) => l.includes('"source":"court"')).length >= 3,
      );
      const failing = run
        .stdout()
        .split('\n')
        .filter((l) => l.includes('SOURCE FAILING court'));
      expect(failing).toHaveLength(1);
      expect(failing[0]).toMatch(/ECONNREFUSED/);
      const health = await (await fetch(`http://127.0.0.1:${started.port}/healthz`)).json();
      expect(health).toMatchObject({
        status: 'degraded',
        sources: [
          {
            id: 'court',
            status: 'failing',
            reason: expect.stringMatching(/ECONNREFUSED.*feed\.xml/),
          },
          { id: 'ofac-sdn', status: 'ok' },
        ],
      });
      // The port is public: the feed's address (its host and port) stays in `sources` and the log.
      expect(JSON.stringify(health)).not.toMatch(/127\.0\.0\.1|http:|lastError/);
      expect(health.sources[1]).not.toHaveProperty('reason');
      // /readyz: the same report, 503 while degraded (the container's health check).
      const ready = await fetch(`http://127.0.0.1:${started.port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'degraded' });
      const metrics = await (await fetch(`http://127.0.0.1:${started.port}/metrics`)).text();
      expect(metrics).toContain('sanctions_radar_source_records{source="ofac-sdn"} 123');
      // Prometheus exposition with HELP and TYPE, counters and histograms of the polls as they
      // happened, gauges from the database, build info and Node's process metrics.
      expect(metrics).toMatch(
        /# HELP sanctions_radar_polls_total .+\n# TYPE sanctions_radar_polls_total counter/,
      );
      expect(metrics).toMatch(
        /sanctions_radar_polls_total\{source="court",status="failing"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /sanctions_radar_poll_failures_total\{source="court",status="failing"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /sanctions_radar_poll_duration_seconds_bucket\{le="\+Inf",source="ofac-sdn"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /sanctions_radar_source_last_success_timestamp_seconds\{source="ofac-sdn"\} \d{10}/,
      );
      expect(metrics).toMatch(/sanctions_radar_source_status\{source="court",status="failing"\} 1/);
      expect(metrics).toMatch(
        /sanctions_radar_deliveries_total\{platform="console",outcome="sent"\} [1-9]/,
      );
      expect(metrics).toMatch(/sanctions_radar_deliveries\{status="sent"\} [1-9]/);
      expect(metrics).toMatch(/sanctions_radar_build_info\{version="\d+\.\d+\.\d+",node="v\d+/);
      expect(metrics).toMatch(/# TYPE nodejs_eventloop_lag_seconds gauge/);
      expect(metrics).toMatch(/nodejs_heap_size_used_bytes \d+/);
      expect(metrics).not.toMatch(/xoxb|secret|password/i);
      // The write-ahead log, and the thread that copies it back into the file once it grows.
      // The daemon indexed the baseline's names right after its poll.
      expect(metrics).toMatch(
        /# TYPE sanctions_radar_index_queue gauge\nsanctions_radar_index_queue 0\n/,
      );
      expect(run.stderr()).toMatch(/"designations":123,.*"msg":"names and identifiers indexed"/);
      expect(metrics).toMatch(
        /# TYPE sanctions_radar_wal_bytes gauge\nsanctions_radar_wal_bytes \d+/,
      );
      expect(run.child.exitCode).toBeNull();

      run.child.kill('SIGTERM');
      const code = await new Promise((resolve) => run.child.on('exit', resolve));
      expect(code).toBe(0);
      expect(run.stderr()).toContain('"msg":"stopped"');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }

    // The operator drops the dead feed from the configuration: it no longer degrades the health
    // or reads as failing in the metrics, and /healthz names it apart until `sources forget`.
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv'), schedule: '0 0 1 1 *' },
        ],
      }),
    );
    const again = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar.db')],
      cleanEnv({ PORT: '0' }),
    );
    try {
      const started = await waitFor(() =>
        again
          .stderr()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === 'sanctions-radar started'),
      );
      const health = await (await fetch(`http://127.0.0.1:${started.port}/healthz`)).json();
      expect(health).toEqual({
        status: 'ok',
        sources: [{ id: 'ofac-sdn', status: 'ok', lastSuccessAt: expect.any(String) }],
        notConfigured: [{ id: 'court', lastSuccessAt: null }],
      });
      expect((await fetch(`http://127.0.0.1:${started.port}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${started.port}/metrics`)).text();
      expect(metrics).toMatch(
        /sanctions_radar_source_status\{source="court",status="not_configured"\} 1/,
      );
      expect(metrics).toMatch(/sanctions_radar_source_status\{source="court",status="failing"\} 0/);
      expect(metrics).toMatch(
        /sanctions_radar_source_last_success_timestamp_seconds\{source="ofac-sdn"\} \d{10}/,
      );
    } finally {
      again.child.kill('SIGTERM');
      await new Promise((resolve) => again.child.on('exit', resolve));
    }
  });
});
