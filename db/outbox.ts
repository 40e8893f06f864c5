// The alert outbox: alerts and one delivery row per (alert, channel).
import type { Alert, ChangeAlert, FieldChange, NewAlert } from '../src/domain.js';
import { insertRows, insertRowsWithIds } from './bulk.js';
import { stmt, type Db } from './database.js';
import { RECORD_AS_OF } from './history-record.js';

/** An alert to store: where it goes (channel → why) and, for a designation alert, its change row. */
export interface Outgoing {
  alert: NewAlert;
  routes: Map<string, string>;
  changeId: number | null;
}

/** Stores alerts and their routes; call inside the transaction that made the change. */
export function enqueueAlerts(db: Db, items: readonly Outgoing[]): Alert[] {
  // A designation alert is its change row (the record, after or before a removal, and the changed
  // fields) seen from a source: stored once there and joined back when the alert is read, not
  // copied into every alert. A three-year catch-up writes 8,000 of them in one transaction.
  const ids = insertRowsWithIds(
    db,
    'INSERT INTO alerts (type, source_id, detected_at, payload, change_id)',
    items.map(({ alert, changeId }) => {
      const stored =
        changeId !== null && 'record' in alert
          ? {
              type: alert.type,
              source: alert.source,
              sourceLabel: alert.sourceLabel,
              detectedAt: alert.detectedAt,
              list: alert.list,
            }
          : alert;
      return [alert.type, alert.source, alert.detectedAt, JSON.stringify(stored), changeId];
    }),
  );
  const deliveries: unknown[][] = [];
  const out = items.map(({ alert, routes }, i) => {
    const channels = routes.size === 1 ? [...routes.keys()] : [...routes.keys()].sort();
    for (const ch of channels)
      deliveries.push([ids[i], ch, alert.detectedAt, routes.get(ch) ?? null]);
    return { ...alert, id: ids[i]!, channels };
  });
  insertRows(
    db,
    'INSERT OR IGNORE INTO deliveries (alert_id, channel, next_attempt_at, reason)',
    deliveries,
  );
  return out;
}

export function enqueueAlert(
  db: Db,
  alert: NewAlert,
  routes: Map<string, string>,
  changeId: number | null,
): Alert {
  return enqueueAlerts(db, [{ alert, routes, changeId }])[0]!;
}

/**
 * An alert as stored, with its change put back: the record, the entity it names and, amended, the
 * changed fields. Alerts stored before 007 carry their own record, before 009 their entity and fields.
 */
export function readAlert(payload: string, record: string | null, fields: string | null): NewAlert {
  const alert = JSON.parse(payload) as NewAlert;
  if (
    alert.type === 'feed.item' ||
    alert.type === 'source.health' ||
    alert.type === 'designation.changeset' ||
    record === null
  )
    return alert;
  const a = alert as Partial<ChangeAlert> & { type: ChangeAlert['type'] };
  const r = (a.record ??= JSON.parse(record) as ChangeAlert['record']);
  a.entity ??= { key: r.key, name: r.name, aliases: r.aliases, programs: r.programs };
  if (a.type === 'designation.amended' && fields !== null)
    (a as { fields?: FieldChange[] }).fields ??= JSON.parse(fields) as FieldChange[];
  return alert;
}

export interface DueDelivery {
  alert: Alert;
  channel: string;
  attempts: number;
  /** Why this channel gets the alert. */
  reason: string | null;
  /** The digest this detail belongs under (the platform's message: a Slack thread, a Discord message). */
  thread: string | null;
  /** The batch it was first sent in, if it was. */
  batchKey: string | null;
}

export interface ClaimOptions {
  now: string;
  /** Platforms this process can deliver to ("console", "slack"). */
  channelPrefixes: string[];
  limit: number;
  /**
   * At most this many of one channel: a paced channel sends a message a second, and claiming (and
   * reading) its whole backlog for each of them made every message cost the backlog.
   */
  perChannel: number;
  /** A paused channel is tried again once its pause is older than this. */
  pausedBefore: string;
  /** Who claims: another process skips channels claimed by someone else. */
  claimer: string;
  leaseUntil: string;
}

/**
 * Channels of the given platforms as ranges ("slack:" up to "slack;"), which the pending-by-channel
 * index serves; a LIKE prefix is not served by it.
 */
function platformRanges(column: string, count: number): string {
  return Array.from({ length: count }, () => `(${column} >= ? AND ${column} < ?)`).join(' OR ');
}

function rangeArgs(platforms: string[]): string[] {
  return platforms.flatMap((p) => [`${p}:`, `${p};`]);
}

/**
 * Claims the pending deliveries whose time has come, oldest alert first, and returns them. One
 * UPDATE marks them with the claimer and a lease, so two dispatching processes (the daemon and a
 * cron `poll`) never send the same row; a channel whose rows another process holds is skipped
 * whole, so its alerts keep their order. A paused channel is tried again once `pausedBefore` has
 * passed its pause, so inviting the bot back is all a team needs to do.
 */
export function claimDue(db: Db, o: ClaimOptions): DueDelivery[] {
  if (o.channelPrefixes.length === 0) return [];
  const like = platformRanges('d.channel', o.channelPrefixes.length);
  return db
    .transaction(() => {
      stmt(
        db,
        `UPDATE deliveries SET claimed_by = ?, lease_until = ? WHERE rowid IN (
         SELECT rid FROM (
           SELECT d.rowid AS rid, d.alert_id AS aid, row_number() OVER (PARTITION BY d.channel ORDER BY d.alert_id) AS nth
           FROM deliveries d LEFT JOIN channel_state c ON c.channel = d.channel
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (c.paused_reason IS NULL OR c.paused_at <= ?) AND (c.held_until IS NULL OR c.held_until <= ?) AND (${like})
             AND (d.lease_until IS NULL OR d.lease_until <= ? OR d.claimed_by = ?)
             AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.channel = d.channel AND x.status = 'pending' AND x.lease_until > ? AND x.claimed_by != ?))
         WHERE nth <= ? ORDER BY aid LIMIT ?)`,
      ).run(
        o.claimer,
        o.leaseUntil,
        o.now,
        o.pausedBefore,
        o.now,
        ...rangeArgs(o.channelPrefixes),
        o.now,
        o.claimer,
        o.now,
        o.claimer,
        o.perChannel,
        o.limit,
      );
      const rows = stmt(
        db,
        `SELECT a.id, a.payload, ${RECORD_AS_OF} AS record, c.fields, d.channel, d.attempts, d.reason, d.thread, d.batch_key AS batchKey
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN changes c ON c.id = a.change_id
       WHERE d.claimed_by = ? AND d.lease_until = ? AND d.status = 'pending' ORDER BY a.id`,
      ).all(o.claimer, o.leaseUntil) as {
        id: number;
        payload: string;
        record: string | null;
        fields: string | null;
        channel: string;
        attempts: number;
        reason: string | null;
        thread: string | null;
        batchKey: string | null;
      }[];
      const channelsOf = stmt(
        db,
        'SELECT channel FROM deliveries WHERE alert_id = ? ORDER BY channel',
      ).pluck();
      return rows.map((r) => ({
        alert: {
          ...readAlert(r.payload, r.record, r.fields),
          id: r.id,
          channels: channelsOf.all(r.id) as string[],
        },
        channel: r.channel,
        attempts: r.attempts,
        reason: r.reason,
        thread: r.thread,
        batchKey: r.batchKey,
      }));
    })
    .immediate();
}

/** Holders of live delivery claims (for the caller to check which of them are gone). */
/** When the next pending delivery of these platforms falls due after `now` (deferred ones included), if any. */
export function nextPendingAt(db: Db, channelPrefixes: string[], now: string): string | null {
  if (channelPrefixes.length === 0) return null;
  const like = platformRanges('d.channel', channelPrefixes.length);
  // A due delivery of a held channel falls due when the hold ends.
  const due = "max(d.next_attempt_at, coalesce(c.held_until, ''))";
  const sql = `SELECT min(${due}) FROM deliveries d INDEXED BY deliveries_pending_channel LEFT JOIN channel_state c ON c.channel = d.channel WHERE d.status = 'pending' AND ${due} > ? AND (${like})`;
  return (
    (stmt(db, sql)
      .pluck()
      .get(now, ...rangeArgs(channelPrefixes)) as string | null) ?? null
  );
}

export function deliveryClaimers(db: Db, now: string): string[] {
  return stmt(
    db,
    'SELECT DISTINCT claimed_by FROM deliveries WHERE claimed_by IS NOT NULL AND lease_until > ?',
  )
    .pluck()
    .all(now) as string[];
}

/** Gives back what a process claimed and did not finish (a paused channel, the end of a pass). */
export function releaseClaims(db: Db, claimer: string): void {
  stmt(
    db,
    "UPDATE deliveries SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ? AND status = 'pending'",
  ).run(claimer);
}

/** Records the batch deliveries are about to be sent in (before the first message goes out). */
export function setBatch(db: Db, channel: string, alertIds: number[], key: string): void {
  stmt(
    db,
    'UPDATE deliveries SET batch_key = ? WHERE channel = ? AND alert_id IN (SELECT value FROM json_each(?))',
  ).run(key, channel, JSON.stringify(alertIds));
}

/** A digest's alerts carry its message: details not posted yet go under it on the next try. */
export function setThread(db: Db, alertId: number, channel: string, thread: string): void {
  stmt(db, 'UPDATE deliveries SET thread = ? WHERE alert_id = ? AND channel = ?').run(
    thread,
    alertId,
    channel,
  );
}

/** Pending deliveries to channels no configured platform serves, by channel. */
export function undeliverable(
  db: Db,
  channelPrefixes: string[],
): { channel: string; pending: number; since: string }[] {
  const rows = stmt(
    db,
    "SELECT channel, count(*) AS pending, min(next_attempt_at) AS since FROM deliveries WHERE status = 'pending' GROUP BY channel",
  ).all() as {
    channel: string;
    pending: number;
    since: string;
  }[];
  return rows.filter((r) => !channelPrefixes.includes(r.channel.slice(0, r.channel.indexOf(':'))));
}

export function markSent(
  db: Db,
  alertId: number,
  channel: string,
  messageId: string | null,
  at: string,
): void {
  stmt(
    db,
    `UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL, lease_until = NULL WHERE alert_id = ? AND channel = ?`,
  ).run(at, messageId, alertId, channel);
}

export function markRetry(
  db: Db,
  alertId: number,
  channel: string,
  error: string,
  nextAttemptAt: string,
  countAttempt = true,
): void {
  stmt(
    db,
    `UPDATE deliveries SET attempts = attempts + ?, last_error = ?, next_attempt_at = ?, claimed_by = NULL, lease_until = NULL WHERE alert_id = ? AND channel = ?`,
  ).run(countAttempt ? 1 : 0, error, nextAttemptAt, alertId, channel);
}

export function markDead(db: Db, alertId: number, channel: string, error: string): void {
  stmt(
    db,
    `UPDATE deliveries SET status = 'dead', attempts = attempts + 1, last_error = ?, claimed_by = NULL, lease_until = NULL WHERE alert_id = ? AND channel = ?`,
  ).run(error, alertId, channel);
}

/** The channel sends nothing before `until` (a later hold wins over an earlier one). */
export function holdChannel(db: Db, channel: string, until: string): void {
  stmt(
    db,
    `INSERT INTO channel_state (channel, held_until) VALUES (?, ?)
     ON CONFLICT (channel) DO UPDATE SET held_until = max(coalesce(held_until, ''), excluded.held_until)`,
  ).run(channel, until);
}

export function pauseChannel(db: Db, channel: string, reason: string, at: string): void {
  stmt(
    db,
    `INSERT INTO channel_state (channel, paused_reason, paused_at) VALUES (?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET paused_reason = excluded.paused_reason, paused_at = excluded.paused_at`,
  ).run(channel, reason, at);
}

export function resumeChannel(db: Db, channel: string): void {
  stmt(db, 'UPDATE channel_state SET paused_reason = NULL, paused_at = NULL WHERE channel = ?').run(
    channel,
  );
}

export function channelPause(db: Db, channel: string): { reason: string; at: string } | null {
  const row = stmt(
    db,
    'SELECT paused_reason AS reason, paused_at AS at FROM channel_state WHERE channel = ? AND paused_reason IS NOT NULL',
  ).get(channel) as { reason: string; at: string } | undefined;
  return row ?? null;
}

export function deliveryCounts(db: Db): Record<string, number> {
  const rows = stmt(db, 'SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as {
    status: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Deliveries given up on (a recipient refused, a payload rejected) of alerts detected since then,
 * per channel, with the latest answer: what a person should look at.
 */
export function deadLetters(
  db: Db,
  since: string,
): { channel: string; count: number; error: string | null }[] {
  return stmt(
    db,
    `SELECT d.channel, count(*) AS count,
       (SELECT x.last_error FROM deliveries x JOIN alerts y ON y.id = x.alert_id WHERE x.channel = d.channel AND x.status = 'dead' ORDER BY y.detected_at DESC LIMIT 1) AS error
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.status = 'dead' AND a.detected_at > ? GROUP BY d.channel ORDER BY d.channel`,
  ).all(since) as { channel: string; count: number; error: string | null }[];
}

export function pausedChannels(db: Db): { channel: string; reason: string; at: string }[] {
  return stmt(
    db,
    'SELECT channel, paused_reason AS reason, paused_at AS at FROM channel_state WHERE paused_reason IS NOT NULL ORDER BY channel',
  ).all() as {
    channel: string;
    reason: string;
    at: string;
  }[];
}
