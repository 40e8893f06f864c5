// `sanctions-radar sources` (health of each source), `sources accept ID` (confirm a held shrink)
// and `sources forget ID` (drop a source no longer configured).
import { existsSync } from 'node:fs';
import { forgetSource } from '../../db/forget-source.js';
import { openStore } from '../store/open.js';
import { pausedChannels, undeliverable } from '../../db/outbox.js';
import { configuredPlatforms, undeliverableReason } from '../delivery/platforms.js';
import { getSource, updateSource } from '../../db/source-state.js';
import { sourceHealth, unconfiguredSources } from '../commands/sources.js';
import { uncoveredLists } from '../sources/coverage.js';
import { loadSourcesFile, DEFAULT_SOURCES_FILE } from '../config/sources-file.js';
import type { Settings } from '../config/settings.js';
import type { CliIo } from './io.js';
import { existingDatabase, UsageError } from './io.js';
import { WEBHOOK_SOURCE } from '../http/webhook-source.js';

export function sourcesCommand(io: CliIo, settings: Settings, json: boolean): number {
  const platforms = configuredPlatforms(io.adapterFactories, io.env);
  const sources = loadSourcesFile(settings.sourcesFile ?? DEFAULT_SOURCES_FILE, settings);
  // Before the first poll there is nothing to read, and a look is no reason to create the file.
  const { db } = openStore(existsSync(settings.dbPath) ? settings.dbPath : ':memory:');
  try {
    const rows = sourceHealth({ db, sources });
    const unconfigured = unconfiguredSources({ db, sources });
    if (json) {
      // One field tells the two kinds of row apart: `configured`.
      for (const r of [...rows.map((r) => ({ ...r, configured: true })), ...unconfigured])
        io.out(JSON.stringify(r));
      return 0;
    }
    io.out(
      ['SOURCE', 'STATUS', 'RECORDS', 'LAST POLL', 'LAST SUCCESS', 'ETAG', 'LAST ERROR'].join('\t'),
    );
    for (const r of rows) {
      io.out(
        [
          r.id,
          r.status,
          r.records,
          r.lastPollAt ?? '-',
          r.lastSuccessAt ?? '-',
          r.etag ?? '-',
          r.lastError ?? '-',
        ].join('\t'),
      );
    }
    const paused = pausedChannels(db);
    const stuck = undeliverable(db, platforms);
    const uncovered = uncoveredLists(sources);
    if (paused.length || stuck.length || unconfigured.length || uncovered.length) io.out('');
    for (const u of unconfigured)
      io.out(
        `NOT CONFIGURED\t${u.id}\t${u.records} entries on ${u.lists.join(', ')} as of ${u.lastSuccessAt ?? '-'}\tstill searched by lookups; not polled under this configuration`,
      );
    for (const p of paused) io.out(`PAUSED\t${p.channel}\tsince ${p.at}\t${p.reason}`);
    if (uncovered.length)
      io.out(
        `NOT COVERED\t${uncovered.map((u) => u.list).join(', ')}\t(no source reads them as lists; /sanctions sources says how to add each)`,
      );
    for (const u of stuck)
      io.out(
        `UNDELIVERABLE\t${u.channel}\t${u.pending} waiting since ${u.since}\t${undeliverableReason(u.channel, io.adapterFactories)}`,
      );
    return 0;
  } finally {
    db.close();
  }
}

/** Marks the held snapshot as confirmed; the caller then polls the source to apply it. */
export function acceptHeld(io: CliIo, settings: Settings, id: string): boolean {
  const { db } = openStore(settings.dbPath);
  try {
    const s = getSource(db, id);
    if (!s) throw new UsageError(`no source "${id}" has been polled yet`);
    if (s.status !== 'held' || !s.heldHash) {
      io.err(`${id} has no held snapshot (status: ${s.status}); nothing to accept`);
      return false;
    }
    updateSource(db, id, { acceptedHash: s.heldHash });
    io.err(`${id}: the held snapshot is accepted (${s.heldReason ?? ''}); applying it now`);
    return true;
  } finally {
    db.close();
  }
}

/**
 * Forgets a source that is no longer configured: its entries, history, feed entries and alerts.
 * A configured one is refused, since its next poll would store it again as a new baseline.
 */
export function forgetCommand(io: CliIo, settings: Settings, id: string, json: boolean): number {
  const sources = loadSourcesFile(settings.sourcesFile ?? DEFAULT_SOURCES_FILE, settings);
  if (sources.some((s) => s.id === id))
    throw new UsageError(
      `${id} is in the sources configuration; remove it there first (and restart the daemon), then forget it`,
    );
  // Pushed entries are a source too, live while its secret is set: its pending deliveries would go.
  if (id === WEBHOOK_SOURCE.id && settings.courtListenerWebhookSecret) {
    throw new UsageError(
      `${id} receives CourtListener's webhook while COURTLISTENER_WEBHOOK_SECRET is set; unset it (and restart the daemon), then forget it`,
    );
  }
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const gone = forgetSource(db, id);
    if (!gone) throw new UsageError(`no source "${id}" is stored in ${settings.dbPath}`);
    if (json) io.out(JSON.stringify({ forgotten: id, ...gone }));
    else
      io.out(
        `Forgot ${id}: ${gone.entries} entries, ${gone.changes} history rows, ${gone.feedItems} feed entries and ${gone.alerts} alerts. Lookups no longer search it.`,
      );
    return 0;
  } finally {
    db.close();
  }
}
