// Prometheus metrics of the daemon through prom-client: counters and histograms fed by polls and
// deliveries as they happen, gauges read from the database at scrape time (queue depth, each
// source's records, status and last success), build info, and Node's default process metrics
// (event-loop lag, heap, CPU). Loaded by `start` only: a CLI call never pays for it.
import { statSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../../db/database.js';
import { queuedIndexingCount } from '../../db/index-queue.js';
import { deliveryCounts } from '../../db/outbox.js';
import { listSources } from '../../db/source-state.js';
import type { DeliveryObservation, MetricsSink } from '../delivery/observe.js';
import type { PollResult } from '../poll/poll-source.js';

const STATUSES = ['ok', 'failing', 'held', 'new'] as const;
/** A source the database holds but the configuration no longer names: not polled, not failing. */
const NOT_CONFIGURED = 'not_configured';

export interface Metrics extends MetricsSink {
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * `configured`: the ids of the sources the configuration polls (null until known: every source
 * counts as configured). A dropped source gets no last-success time, so an alert on its age does
 * not fire for good, and the status `not_configured`.
 */
export function createMetrics(
  db: () => Db | null,
  build: { version: string },
  configured: () => ReadonlySet<string> | null = () => null,
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const polls = new Counter({
    name: 'sanctions_radar_polls_total',
    help: 'Polls of a source, by what came of them.',
    labelNames: ['source', 'status'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'sanctions_radar_poll_failures_total',
    help: 'Polls that failed (the source could not be read or parsed) or were held (a shrink not yet believed).',
    labelNames: ['source', 'status'],
    registers: [registry],
  });
  const changes = new Counter({
    name: 'sanctions_radar_changes_total',
    help: 'Designation changes detected, and new feed entries stored.',
    labelNames: ['source', 'type'],
    registers: [registry],
  });
  const pollSeconds = new Histogram({
    name: 'sanctions_radar_poll_duration_seconds',
    help: 'How long a poll took, download to commit.',
    labelNames: ['source'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'sanctions_radar_deliveries_total',
    help: 'Alerts handed to a platform, by outcome: sent, retry (deferred), paused (channel paused), dead (given up).',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  const deliverySeconds = new Histogram({
    name: 'sanctions_radar_delivery_duration_seconds',
    help: 'How long one batch took to deliver to a platform.',
    labelNames: ['platform'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'sanctions_radar_build_info',
    help: 'The running build.',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: build.version, node: process.version }, 1);

  // Read from the database when scraped, so they are right whichever process did the work.
  const withDb = (f: (d: Db) => void) => () => {
    const d = db();
    if (d?.open) f(d);
  };
  const queue = new Gauge({
    name: 'sanctions_radar_deliveries',
    help: 'Deliveries in the queue by status (pending is the queue depth).',
    labelNames: ['status'],
    registers: [registry],
    collect: withDb((d) => {
      queue.reset();
      for (const [status, n] of Object.entries(deliveryCounts(d))) queue.set({ status }, n);
    }),
  });
  const indexing = new Gauge({
    name: 'sanctions_radar_index_queue',
    help: 'Designations whose names or identifiers are still to be indexed (written just after each poll).',
    registers: [registry],
    collect: withDb((d) => {
      indexing.set(queuedIndexingCount(d));
    }),
  });
  const records = new Gauge({
    name: 'sanctions_radar_source_records',
    help: 'Records (list entries or feed items) a source holds now.',
    labelNames: ['source'],
    registers: [registry],
    collect: withDb((d) => {
      records.reset();
      for (const s of listSources(d)) records.set({ source: s.id }, s.recordCount);
    }),
  });
  const status = new Gauge({
    name: 'sanctions_radar_source_status',
    help: "A source's status: 1 for the one it is in.",
    labelNames: ['source', 'status'],
    registers: [registry],
    collect: withDb((d) => {
      status.reset();
      const polled = configured();
      for (const s of listSources(d)) {
        const now = polled && !polled.has(s.id) ? NOT_CONFIGURED : s.status;
        for (const st of [...STATUSES, NOT_CONFIGURED])
          status.set({ source: s.id, status: st }, now === st ? 1 : 0);
      }
    }),
  });
  // Growing without bound means nothing copies the log back (checkpoint starvation).
  const wal = new Gauge({
    name: 'sanctions_radar_wal_bytes',
    help: "Size of the database's write-ahead log file.",
    registers: [registry],
    collect: withDb((d) => {
      if (d.memory) return;
      try {
        wal.set(statSync(`${d.name}-wal`).size);
      } catch {
        wal.set(0);
      }
    }),
  });
  const lastSuccess = new Gauge({
    name: 'sanctions_radar_source_last_success_timestamp_seconds',
    help: 'When a source was last read successfully (Unix time): alert on it growing old.',
    labelNames: ['source'],
    registers: [registry],
    collect: withDb((d) => {
      lastSuccess.reset();
      const polled = configured();
      for (const s of listSources(d))
        if (s.lastSuccessAt && (!polled || polled.has(s.id)))
          lastSuccess.set({ source: s.id }, Date.parse(s.lastSuccessAt) / 1000);
    }),
  });

  return {
    poll(r: PollResult) {
      polls.inc({ source: r.source, status: r.status });
      if (r.status === 'failing' || r.status === 'held')
        failures.inc({ source: r.source, status: r.status });
      if (r.status !== 'busy') pollSeconds.observe({ source: r.source }, r.durationMs / 1000);
      if (r.added) changes.inc({ source: r.source, type: 'added' }, r.added);
      if (r.removed) changes.inc({ source: r.source, type: 'removed' }, r.removed);
      if (r.amended) changes.inc({ source: r.source, type: 'amended' }, r.amended);
      if (r.items && r.status === 'changed')
        changes.inc({ source: r.source, type: 'feed_item' }, r.items);
    },
    delivery(o: DeliveryObservation) {
      for (const [outcome, n] of Object.entries(o.counts))
        if (n) deliveries.inc({ platform: o.platform, outcome }, n);
      deliverySeconds.observe({ platform: o.platform }, o.seconds);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
