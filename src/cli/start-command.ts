// `sanctions-radar start`: the daemon. Scheduler, adapters and one HTTP port until SIGINT/SIGTERM.
import { createApp } from '../app.js';
import type { Settings } from '../config/settings.js';
import { HttpServer } from '../http/server.js';
import { courtListenerWebhook, WEBHOOK_PATH } from '../http/courtlistener-webhook.js';
import type { Logger } from '../log.js';
import { createMetrics } from '../http/metrics.js';
import { Scheduler } from '../poll/scheduler.js';
import { DispatchLoop } from '../delivery/dispatch-loop.js';
import { StorageHealth } from '../store/health.js';
import { packageVersion } from '../version.js';
import type { Db } from '../../db/database.js';
import type { CliIo } from './io.js';

/** Deliveries are looked at on this beat at least (and at once when one falls due sooner). */
const DISPATCH_INTERVAL_MS = 5_000;
/** Retention, journaled decisions and review reminders: hourly. */
const HOURLY_MS = 3_600_000;

export async function startCommand(
  io: CliIo,
  settings: Settings,
  log: Logger,
  json: boolean,
  signal?: AbortSignal,
): Promise<number> {
  const http = new HttpServer();
  let db: Db | null = null;
  let configured: ReadonlySet<string> | null = null;
  const metrics = createMetrics(
    () => db,
    { version: packageVersion() },
    () => configured,
  );
  const app = await createApp({
    settings,
    log,
    adapterFactories: io.adapterFactories,
    env: io.env,
    mode: 'start',
    json,
    http,
    metrics,
  });
  db = app.db;
  configured = new Set(app.sources.map((s) => s.id));
  const storage = new StorageHealth(settings.dbPath, log);
  http.attach(app.db, configured, app.dispatcher.platforms, app.platformProblems, metrics, storage);
  if (settings.courtListenerWebhookSecret) {
    http.route(
      'POST',
      WEBHOOK_PATH,
      courtListenerWebhook({
        db: app.db,
        log,
        secret: settings.courtListenerWebhookSecret,
        defaultChannels: settings.alertChannels,
        caps: { maxItems: settings.maxFeedItems, maxAlerts: settings.maxFeedAlerts },
        storage,
      }),
    );
  }
  const port = await http.listen(settings.port, settings.host);
  for (const a of app.adapters) await a.start?.();
  log.info(
    {
      port,
      sources: app.sources.map((s) => s.id),
      adapters: app.adapters.map((a) => a.platform),
      sourcesFile: app.sourcesFile,
    },
    'sanctions-radar started',
  );

  // On the beat, after each poll, and when a deferred delivery falls due (a rate limit's end).
  const deliveries = new DispatchLoop(
    () =>
      app.dispatcher.dispatch().catch((err: Error) => {
        if (!storage.note(err, 'delivery')) log.error({ err }, 'dispatch failed');
        return undefined;
      }),
    { beatMs: DISPATCH_INTERVAL_MS },
  );
  const dispatch = () => deliveries.run();
  const scheduler = new Scheduler(
    app.sources,
    async (source) => {
      try {
        await app.poll([source.id]);
        storage.wrote();
      } catch (err) {
        if (storage.note(err, `poll of ${source.id}`)) return;
        throw err;
      }
      // Alerts first: the name and identifier indexes of the changes are written while the first
      // deliveries are in flight, as a turn of the command queue taken now: a command asked after
      // the commit waits for the index.
      const sent = dispatch();
      const indexed = app.indexQueued();
      try {
        await indexed;
      } catch (err) {
        if (!storage.note(err, 'indexing'))
          log.error(
            { err },
            'indexing failed; what is queued is indexed after the next poll, or at the next start',
          );
      }
      await sent;
    },
    log,
  );
  scheduler.start();
  deliveries.start();
  let reminding: Promise<unknown> = Promise.resolve();
  const hourly = () => {
    try {
      app.prune();
    } catch (err) {
      if (!storage.note(err, 'retention'))
        log.error({ err }, 'retention failed; it runs again in an hour');
    }
    try {
      app.recordJournaled();
    } catch (err) {
      if (!storage.note(err, 'decision journal'))
        log.error({ err }, 'recording journaled decisions failed; tried again in an hour');
    }
    // In steps: a year of deliveries is read a page per turn of the event loop.
    reminding = app.remind().then(
      (queued) => queued && void dispatch(),
      (err: unknown) => {
        if (!storage.note(err, 'reminders'))
          log.error({ err }, 'review reminders failed; they are tried again in an hour');
      },
    );
  };
  const hours = setInterval(hourly, HOURLY_MS);
  hourly();
  // Poll everything once at start, so a new install shows its state without waiting for cron.
  const initial = (async () => {
    for (const s of app.sources) await scheduler.trigger(s);
  })();

  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      log.info({ signal: why }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    signal?.addEventListener('abort', () => stop('abort'));
  });
  deliveries.stop();
  clearInterval(hours);
  await reminding;
  await scheduler.stop();
  await initial.catch(() => undefined);
  await dispatch();
  await http.close();
  for (const a of app.adapters) await a.stop?.();
  app.close();
  log.info('stopped');
  return 0;
}
