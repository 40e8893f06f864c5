// Wires settings, storage, sources and adapters together for the CLI commands.
import type { Db } from '../db/database.js';
import type { DeliveryObservation, MetricsSink } from './delivery/observe.js';
import { openStore } from './store/open.js';
import { prune } from '../db/retention.js';
import { ConfigError, loadSourcesFile, DEFAULT_SOURCES_FILE } from './config/sources-file.js';
import type { Settings } from './config/settings.js';
import { runCommandPaced } from './commands/run.js';
import type {
  Adapter,
  AdapterContext,
  AdapterFactory,
  CommandRunner,
  HttpRoutes,
} from './delivery/adapter.js';
import { indexQueuedInTurns } from './store/indexing.js';
import { NameMatcher } from './names/matcher.js';
import { Dispatcher } from './delivery/dispatcher.js';
import type { SourceConfig } from './domain.js';
import type { Logger } from './log.js';
import { pollSource, type PollDeps, type PollResult } from './poll/poll-source.js';
import { WEBHOOK_SOURCE } from './http/webhook-source.js';
import { commandQueue } from './commands/queue.js';
import { runReview, type ReviewRunner } from './review/review.js';
import { pruneEvidence } from '../db/evidence.js';
import { reminderSteps } from './review/reminders.js';
import { paced } from './commands/steps.js';
import { DecisionJournal } from './review/journal.js';
import { quietUntil } from './delivery/quiet-hours.js';

export interface App {
  db: Db;
  sources: SourceConfig[];
  sourcesFile: string;
  adapters: Adapter[];
  dispatcher: Dispatcher;
  pollDeps: PollDeps;
  poll(ids?: string[]): Promise<PollResult[]>;
  /** Platforms that cannot connect now, with why. */
  platformProblems: Map<string, string>;
  /** Applies the retention setting; logs what went. */
  prune(): void;
  /** Records the decisions an earlier run journaled and did not record (a crash, a locked database); returns how many. */
  recordJournaled(): number;
  /** Queues the review reminders due (SANCTIONS_RADAR_REVIEW_REMINDER_HOURS), outside quiet hours, a page of deliveries per turn of the event loop; returns how many. */
  remind(now?: Date): Promise<number>;
  /** Writes the name and identifiers indexes of what the polls changed, a slice per turn of the event loop (src/store/indexing.ts); logs it. */
  indexQueued(): Promise<number>;
  close(): void;
}

export interface AppOptions {
  settings: Settings;
  log: Logger;
  adapterFactories: AdapterFactory[];
  env: NodeJS.ProcessEnv;
  mode: AdapterContext['mode'];
  json: boolean;
  /** The daemon's HTTP routes, for adapters that receive requests. */
  http?: HttpRoutes;
  /** Told of every poll and delivery (the daemon's metrics). */
  metrics?: MetricsSink;
}

export async function createApp(o: AppOptions): Promise<App> {
  const sourcesFile = o.settings.sourcesFile ?? DEFAULT_SOURCES_FILE;
  const sources = loadSourcesFile(sourcesFile, o.settings);
  // Platforms first: their SDKs load (when configured) before the database opens, and a bad token
  // is refused before anything is written. Commands reach the store only once it is open.
  let store: { db: Db; matcher: NameMatcher } | null = null;
  // Pushed entries have a source too, which channels may follow (`subscribe --source`).
  const commandSources = o.settings.courtListenerWebhookSecret
    ? [...sources, WEBHOOK_SOURCE]
    : sources;
  const queue = commandQueue();
  // Paced: a long command (a report over 50,000 holdings) lets other requests in between its steps.
  const commands: CommandRunner = (command, channel, access) =>
    queue(() =>
      runCommandPaced(
        command,
        {
          db: store!.db,
          matcher: store!.matcher,
          sources: commandSources,
          channel,
          platforms: adapters.map((a) => a.platform),
          maxHoldings: o.settings.maxHoldings,
          dbPath: o.settings.dbPath,
          platformProblems,
        },
        {
          access,
          defaultChannels: o.settings.alertChannels,
          fourEyes: o.settings.fourEyes,
          onError: (err) => o.log.error({ err, channel }, 'command failed'),
        },
      ),
    );
  const platformProblems = new Map<string, string>();
  const reportHealth = (platform: string, problem: string | null) =>
    problem ? platformProblems.set(platform, problem) : platformProblems.delete(platform);
  // A decision is a write: it takes its turn with commands (and a poll's commit waits on SQLite).
  // Journaled first: the click was acknowledged already, and a crash must not lose it.
  const journal =
    o.settings.dbPath === ':memory:' ? null : new DecisionJournal(`${o.settings.dbPath}.decisions`);
  const review: ReviewRunner = (input) => {
    const at = new Date();
    journal?.append({ input, at: at.toISOString() });
    return queue(() => {
      const outcome = runReview(store!.db, input, at, o.settings.fourEyes);
      journal?.handled(input.requestKey);
      return outcome;
    });
  };
  const ctx: AdapterContext = {
    env: o.env,
    settings: o.settings,
    log: o.log,
    mode: o.mode,
    json: o.json,
    http: o.http,
    commands,
    review,
    suggest: (p) => store?.matcher.suggest(p) ?? [],
    reportHealth,
  };
  const adapters: Adapter[] = (
    await Promise.all(o.adapterFactories.map(async (f) => f.fromEnv(ctx)))
  ).filter((a): a is Adapter => a !== null);
  checkAlertChannels(o.settings.alertChannels, adapters, o.adapterFactories);
  const { db, migrated } = openStore(o.settings.dbPath);
  o.log.info(
    { db: o.settings.dbPath, migrations: migrated },
    migrated ? `ran ${migrated} migration(s)` : 'schema up to date',
  );
  const matcher = new NameMatcher(db);
  store = { db, matcher };
  const recordJournaled = () => {
    if (!journal) return 0;
    const { entries, done } = journal.take();
    let recorded = 0;
    for (const e of entries) {
      const r = runReview(db, e.input, new Date(e.at), o.settings.fourEyes);
      if (r.ok && !r.repeated) recorded++;
    }
    done();
    if (recorded)
      o.log.warn(
        { recorded, journaled: entries.length },
        'recorded decisions a crash or a locked database had left in the journal',
      );
    return recorded;
  };
  recordJournaled();
  const pollDeps: PollDeps = {
    db,
    log: o.log,
    fetch: {
      timeoutMs: o.settings.fetchTimeoutMs,
      maxBytes: o.settings.maxBytes,
      userAgent: o.settings.userAgent,
      retries: o.settings.fetchRetries,
      retryDelayMs: o.settings.fetchRetryDelayMs,
    },
    defaultChannels: o.settings.alertChannels,
    maxShrink: o.settings.maxShrink,
    confirmPolls: o.settings.confirmPolls,
    maxFeedItems: o.settings.maxFeedItems,
    maxFeedAlerts: o.settings.maxFeedAlerts,
    maxListAlerts: o.settings.maxListAlerts,
    everyChange: new Set(adapters.filter((a) => a.everyChange).map((a) => a.platform)),
    withFiles: new Set(adapters.filter((a) => a.takesFiles).map((a) => a.platform)),
  };
  const dispatcher = new Dispatcher(db, o.log, adapters, {
    quietHours: o.settings.quietHours,
    ...(o.metrics ? { observe: (x: DeliveryObservation) => o.metrics!.delivery(x) } : {}),
  });
  return {
    db,
    sources,
    sourcesFile,
    adapters,
    dispatcher,
    pollDeps,
    platformProblems,
    async poll(ids) {
      const chosen = ids?.length ? sources.filter((s) => ids.includes(s.id)) : sources;
      const results: PollResult[] = [];
      // One at a time: polite to the servers, and SQLite has one writer anyway.
      for (const s of chosen) {
        const r = await pollSource(pollDeps, s);
        o.metrics?.poll(r);
        results.push(r);
      }
      return results;
    },
    prune() {
      if (o.settings.evidenceDays) {
        const files = pruneEvidence(
          db,
          new Date(Date.now() - o.settings.evidenceDays * 86_400_000).toISOString(),
        );
        if (files)
          o.log.info(
            { files, evidenceDays: o.settings.evidenceDays },
            'dropped the bytes of old evidence (their hashes stay)',
          );
      }
      if (!o.settings.retentionDays) return;
      const cutoff = new Date(Date.now() - o.settings.retentionDays * 86_400_000).toISOString();
      const pruned = prune(db, cutoff);
      if (pruned.alerts || pruned.feedItems || pruned.webhookEvents)
        o.log.info(
          { ...pruned, retentionDays: o.settings.retentionDays },
          'pruned delivered alerts and old feed items',
        );
    },
    recordJournaled,
    async remind(now = new Date()) {
      const hours = o.settings.reviewReminderHours;
      // Made when they can be read: one made at night would list, by morning, what was decided since.
      if (!hours || (o.settings.quietHours && quietUntil(o.settings.quietHours, now))) return 0;
      const started = performance.now();
      const queued = await paced(
        reminderSteps(db, {
          hours,
          now,
          fourEyes: o.settings.fourEyes,
          platforms: adapters.map((a) => a.platform),
        }),
      );
      if (queued.length)
        o.log.info(
          {
            channels: queued.flatMap((a) => a.channels),
            durationMs: Math.round(performance.now() - started),
          },
          'queued review reminders',
        );
      return queued.length;
    },
    // A turn of the command queue: commands asked meanwhile wait for the index (lookups never
    // write it), while /healthz and deliveries are served between its slices.
    indexQueued() {
      return queue(async () => {
        const started = performance.now();
        const designations = await indexQueuedInTurns(db);
        if (designations)
          o.log.info(
            { designations, durationMs: Math.round(performance.now() - started) },
            'names and identifiers indexed',
          );
        return designations;
      });
    },
    close() {
      db.close();
    },
  };
}

/**
 * Channel-wide alert channels must be served by a configured platform: a channel nobody serves
 * would collect alerts forever without a word. Refused at start, naming what to set.
 */
export function checkAlertChannels(
  channels: string[],
  adapters: Adapter[],
  factories: AdapterFactory[],
): void {
  const served = new Set(adapters.map((a) => a.platform));
  for (const c of channels) {
    const platform = c.slice(0, c.indexOf(':'));
    if (served.has(platform)) continue;
    const factory = factories.find((f) => f.platform === platform);
    throw new ConfigError(
      factory
        ? `SANCTIONS_RADAR_ALERT_CHANNELS has ${c}, but ${platform} is not configured${factory.enabledBy ? `: set ${factory.enabledBy}` : ''}`
        : `SANCTIONS_RADAR_ALERT_CHANNELS has ${c}, but there is no "${platform}" platform; platforms: ${factories.map((f) => f.platform).join(', ')}`,
    );
  }
}
