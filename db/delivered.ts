// Alerts as channels received them, read back: one (review, reminders), or every delivery of a
// period (the audit export).
import type { Alert } from '../src/domain.js';
import { stmt, type Db } from './database.js';
import { RECORD_AS_OF } from './history-record.js';
import { readAlert } from './outbox.js';

/** One alert as a channel got it, for the audit export: the alert with its change, and its delivery. */
export interface AuditDelivery {
  alert: Alert;
  channel: string;
  status: string;
  sentAt: string | null;
  messageId: string | null;
  reason: string | null;
}

/**
 * Every delivery of alerts detected in [from, to), one channel or all, in a stable order (by
 * detection, alert, channel). Read a page of alerts at a time: a year's 635,000 deliveries read at
 * once held 2.5 GB; each alert is read and parsed once for all its channels.
 */
export function* auditDeliveries(
  db: Db,
  from: string,
  to: string,
  channel: string | null,
  page = 500,
): Generator<AuditDelivery> {
  const ids = stmt(
    db,
    `SELECT a.id FROM alerts a
     WHERE a.detected_at >= ? AND a.detected_at < ?
       AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND (? IS NULL OR d.channel = ?))
     ORDER BY a.detected_at, a.id`,
  )
    .pluck()
    .all(from, to, channel, channel) as number[];
  for (let i = 0; i < ids.length; i += page) {
    const taken = JSON.stringify(ids.slice(i, i + page));
    const alerts = stmt(
      db,
      `SELECT a.id, a.payload, ${RECORD_AS_OF} AS record, c.fields
       FROM alerts a LEFT JOIN changes c ON c.id = a.change_id
       WHERE a.id IN (SELECT value FROM json_each(?))`,
    ).all(taken) as { id: number; payload: string; record: string | null; fields: string | null }[];
    const byId = new Map(alerts.map((a) => [a.id, a]));
    const deliveries = new Map<number, Omit<AuditDelivery, 'alert'>[]>();
    for (const d of stmt(
      db,
      `SELECT alert_id AS alertId, channel, status, sent_at AS sentAt, message_id AS messageId, reason
       FROM deliveries WHERE alert_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR channel = ?)
       ORDER BY channel`,
    ).all(taken, channel, channel) as (Omit<AuditDelivery, 'alert'> & { alertId: number })[]) {
      const { alertId, ...rest } = d;
      deliveries.set(alertId, [...(deliveries.get(alertId) ?? []), rest]);
    }
    for (const id of ids.slice(i, i + page)) {
      const a = byId.get(id)!;
      const alert = { ...readAlert(a.payload, a.record, a.fields), id };
      for (const d of deliveries.get(id) ?? [])
        yield { alert: { ...alert, channels: [d.channel] }, ...d };
    }
  }
}

/** An alert as a channel received it (with its change), and why it was sent there; undefined when either is gone. */
export function deliveredAlert(
  db: Db,
  alertId: number,
  channel: string,
): { alert: Alert; reason: string | null } | undefined {
  const r = stmt(
    db,
    `SELECT a.id, a.payload, ${RECORD_AS_OF} AS record, c.fields, d.reason
     FROM alerts a JOIN deliveries d ON d.alert_id = a.id AND d.channel = ?
     LEFT JOIN changes c ON c.id = a.change_id WHERE a.id = ?`,
  ).get(channel, alertId) as
    | {
        id: number;
        payload: string;
        record: string | null;
        fields: string | null;
        reason: string | null;
      }
    | undefined;
  return (
    r && {
      alert: {
        ...readAlert(r.payload, r.record, r.fields),
        id: r.id,
        channels: [channel],
      },
      reason: r.reason,
    }
  );
}
