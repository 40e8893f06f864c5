// Decisions on alerts (migration 024): appended, never rewritten.
import { stmt, type Db } from './database.js';
import type { Decision, DecisionInput } from '../src/review/review.js';
import type { Alert } from '../src/domain.js';
import { RECORD_AS_OF } from './history-record.js';
import { readAlert } from './outbox.js';

const COLUMNS = `id, alert_id AS alertId, channel, user_id AS userId, user_name AS userName, action, reason, note,
  decided_at AS decidedAt, request_key AS requestKey`;

/** Records a decision once per request key; a repeated request (a platform's retry) records nothing. */
export function recordDecision(
  db: Db,
  d: DecisionInput,
  at: string,
): { decision: Decision; repeated: boolean } {
  const res = stmt(
    db,
    `INSERT INTO decisions (alert_id, channel, user_id, user_name, action, reason, note, decided_at, request_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_key) DO NOTHING`,
  ).run(
    d.alertId,
    d.channel,
    d.userId,
    d.userName ?? null,
    d.action,
    d.reason ?? null,
    d.note ?? null,
    at,
    d.requestKey,
  );
  const decision = stmt(db, `SELECT ${COLUMNS} FROM decisions WHERE request_key = ?`).get(
    d.requestKey,
  ) as Decision;
  return { decision, repeated: res.changes === 0 };
}

export function decisionById(db: Db, id: number): Decision | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM decisions WHERE id = ?`).get(id) as Decision | undefined;
}

/** Every decision on an alert in a channel, oldest first. */
export function decisionsOn(db: Db, alertId: number, channel: string): Decision[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM decisions WHERE alert_id = ? AND channel = ? ORDER BY id`,
  ).all(alertId, channel) as Decision[];
}

/** Whether the alert was delivered to the channel (only its readers decide on it), and still exists. */
export function deliveredTo(
  db: Db,
  alertId: number,
  channel: string,
): { exists: boolean; delivered: boolean } {
  const row = stmt(
    db,
    'SELECT a.id, d.status FROM alerts a LEFT JOIN deliveries d ON d.alert_id = a.id AND d.channel = ? WHERE a.id = ?',
  ).get(channel, alertId) as { id: number; status: string | null } | undefined;
  return { exists: row !== undefined, delivered: row?.status === 'sent' };
}

export interface ReviewRow {
  alertId: number;
  channel: string;
  type: string;
  /** The alert with its change put back (a designation alert's record lives in its change row). */
  alert: Alert;
  sentAt: string | null;
  decisions: string | null;
}

/**
 * Alerts delivered to channels (one channel, or all), oldest first, each with its decisions as a
 * JSON array, a page at a time; health alerts are not reviewed.
 */
export function deliveredAlerts(
  db: Db,
  channel: string | null,
  limit: number,
  offset = 0,
): ReviewRow[] {
  const rows = stmt(
    db,
    `SELECT d.alert_id AS alertId, d.channel, a.type, a.payload, ${RECORD_AS_OF} AS record, c.fields, d.sent_at AS sentAt,
       (SELECT json_group_array(json_object('action', x.action, 'userId', x.user_id, 'userName', x.user_name, 'reason', x.reason, 'note', x.note, 'decidedAt', x.decided_at))
          FROM (SELECT * FROM decisions x WHERE x.alert_id = d.alert_id AND x.channel = d.channel ORDER BY x.id) x) AS decisions
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN changes c ON c.id = a.change_id
     WHERE d.status = 'sent' AND a.type NOT IN ('source.health', 'review.reminder') AND (? IS NULL OR d.channel = ?)
     ORDER BY d.sent_at, d.alert_id, d.channel LIMIT ? OFFSET ?`,
  ).all(channel, channel, limit, offset) as (Omit<ReviewRow, 'alert'> & {
    payload: string;
    record: string | null;
    fields: string | null;
  })[];
  return rows.map(({ payload, record, fields, ...r }) => ({
    ...r,
    alert: { ...readAlert(payload, record, fields), id: r.alertId, channels: [r.channel] },
  }));
}

/**
 * The alerts a digest announced in a channel (their deliveries carry its thread), oldest first,
 * each with why the channel got it and its decisions as a JSON array.
 */
export function threadAlerts(
  db: Db,
  channel: string,
  thread: string,
): (Omit<ReviewRow, 'sentAt'> & { reason: string | null })[] {
  const rows = stmt(
    db,
    `SELECT d.alert_id AS alertId, d.channel, a.type, a.payload, ${RECORD_AS_OF} AS record, c.fields, d.reason,
       (SELECT json_group_array(json_object('action', x.action, 'userId', x.user_id)) FROM (SELECT * FROM decisions x WHERE x.alert_id = d.alert_id AND x.channel = d.channel ORDER BY x.id) x) AS decisions
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN changes c ON c.id = a.change_id
     WHERE d.channel = ? AND d.thread = ? AND d.status <> 'dead' ORDER BY d.alert_id`,
  ).all(channel, thread) as (Omit<ReviewRow, 'alert' | 'sentAt'> & {
    payload: string;
    record: string | null;
    fields: string | null;
    reason: string | null;
  })[];
  return rows.map(({ payload, record, fields, ...r }) => ({
    ...r,
    alert: { ...readAlert(payload, record, fields), id: r.alertId, channels: [r.channel] },
  }));
}

/** The digest thread an alert's delivery to a channel belongs to, if it came in one. */
export function threadOf(db: Db, alertId: number, channel: string): string | null {
  return (
    (stmt(db, 'SELECT thread FROM deliveries WHERE alert_id = ? AND channel = ?')
      .pluck()
      .get(alertId, channel) as string | null | undefined) ?? null
  );
}

export interface SentRow {
  rid: number;
  channel: string;
  alertId: number;
  sentAt: string;
  messageId: string | null;
  /** Its decisions, oldest first, as a JSON array of {action, userId}; null when there are none. */
  decisions: string | null;
}

/**
 * Deliveries sent before `sentBefore`, a page in the table's order after row `after`: the reminder
 * check reads a year of them a page at a time, so that the daemon answers between two pages. The
 * table is read in its own order (NOT INDEXED): through the status index, each page sorted them all.
 */
export function sentPage(db: Db, after: number, sentBefore: string, limit: number): SentRow[] {
  return stmt(
    db,
    `SELECT d.rowid AS rid, d.channel, d.alert_id AS alertId, d.sent_at AS sentAt, d.message_id AS messageId,
       CASE WHEN EXISTS (SELECT 1 FROM decisions x WHERE x.alert_id = d.alert_id AND x.channel = d.channel)
         THEN (SELECT json_group_array(json_object('action', x.action, 'userId', x.user_id)) FROM (SELECT action, user_id FROM decisions x WHERE x.alert_id = d.alert_id AND x.channel = d.channel ORDER BY x.id) x) END AS decisions
     FROM deliveries d NOT INDEXED WHERE d.rowid > ? AND d.status = 'sent' AND d.sent_at <= ? ORDER BY d.rowid LIMIT ?`,
  ).all(after, sentBefore, limit) as SentRow[];
}

/** Alerts nobody decides on (a source's health, reminders): their ids. */
export function unreviewedAlertIds(db: Db): Set<number> {
  return new Set(
    stmt(db, "SELECT id FROM alerts WHERE type IN ('source.health', 'review.reminder')")
      .pluck()
      .all() as number[],
  );
}

/** Channels sent a reminder since then. */
export function remindedChannels(db: Db, since: string): Set<string> {
  return new Set(
    stmt(
      db,
      "SELECT DISTINCT d.channel FROM alerts a INDEXED BY alerts_reminders JOIN deliveries d ON d.alert_id = a.id WHERE a.type = 'review.reminder' AND a.detected_at > ?",
    )
      .pluck()
      .all(since) as string[],
  );
}
