// `sanctions-radar poll`: one pass over the sources, deliver, exit. For system cron and CI.
import { createApp } from '../app.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

export interface PollArgs {
  sourceIds: string[];
  json: boolean;
  /** Exit 1 when a source could not be read or a new version is held back (a CI check, a cron monitor). */
  strict?: boolean;
}

/** How long `poll` delivers (and waits for rate-limited deliveries) before leaving the rest to the next run. */
const DELIVERY_BUDGET_MS = 30_000;

export async function pollCommand(
  io: CliIo,
  settings: Settings,
  log: Logger,
  args: PollArgs,
): Promise<number> {
  const app = await createApp({
    settings,
    log,
    adapterFactories: io.adapterFactories,
    env: io.env,
    mode: 'poll',
    json: args.json,
  });
  try {
    const unknown = args.sourceIds.filter((id) => !app.sources.some((s) => s.id === id));
    if (unknown.length)
      throw new UsageError(
        `unknown source ${unknown.join(', ')}; the sources file ${app.sourcesFile} has: ${app.sources.map((s) => s.id).join(', ')}`,
      );
    const results = await app.poll(args.sourceIds);
    // Alerts reach stdout as console deliveries (SANCTIONS_RADAR_ALERT_CHANNELS, console:default
    // by default), each confirmed once written: what a killed run left unprinted comes out next time.
    if (!args.json) {
      for (const r of results) {
        const counts =
          r.status === 'changed'
            ? ` (+${r.added} -${r.removed} ~${r.amended}${r.items ? `, ${r.items} new items` : ''})`
            : '';
        io.err(
          `${r.source}: ${r.status}${counts}, ${r.records} records${r.error ? ` — ${r.error}` : ''}`,
        );
      }
    }
    // A cron deployment has no daemon to remind hourly: each run queues the reminders due.
    await app.remind();
    const report = await app.dispatcher.drain(DELIVERY_BUDGET_MS);
    await app.indexQueued();
    app.prune();
    if (report.capped)
      log.warn(
        report,
        `delivery stopped after its ${DELIVERY_BUDGET_MS / 1000} s budget; what is left stays in the outbox for the next run`,
      );
    else if (report.retrying || report.paused || report.dead)
      log.warn(
        report,
        'some alerts were not delivered yet; they stay in the outbox for the next run',
      );
    // After the deliveries: the alerts of a failing run still go out.
    const bad = results.filter((r) => r.status === 'failing' || r.status === 'held');
    if (args.strict && bad.length) {
      io.err(
        `sanctions-radar: --strict: ${bad.length} of ${results.length} source(s) not current: ${bad.map((r) => `${r.source} (${r.status})`).join(', ')}`,
      );
      return 1;
    }
    return 0;
  } finally {
    await Promise.all(app.adapters.map(async (a) => a.stop?.()));
    app.close();
  }
}
