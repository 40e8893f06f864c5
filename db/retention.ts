// Retention: delivered alerts and feed items gone from their feeds are pruned after a while, so
// the database stays bounded; the change history of every entity is kept for good.
import { stmt, type Db } from './database.js';

export interface Pruned {
  alerts: number;
  feedItems: number;
  webhookEvents: number;
}

/** Removes what is older than `cutoff` (ISO) and finished with. */
export function prune(db: Db, cutoff: string): Pruned {
  return db
    .transaction(() => ({
      // Only alerts every channel is done with: a pending delivery keeps its alert (deliveries go with
      // it), and so does a decision on it (the record of what was decided shows what it was about).
      // Their ids are not handed out again (AUTOINCREMENT, migration 016).
      alerts: stmt(
        db,
        `DELETE FROM alerts WHERE detected_at < ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = alerts.id AND d.status = 'pending')
         AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.alert_id = alerts.id)`,
      ).run(cutoff).changes,
      // An item its feed has not listed since the cutoff cannot come back as news (mentions go with it).
      feedItems: stmt(db, 'DELETE FROM feed_items WHERE coalesce(last_seen, first_seen) < ?').run(
        cutoff,
      ).changes,
      webhookEvents: stmt(db, 'DELETE FROM webhook_events WHERE received_at < ?').run(cutoff)
        .changes,
    }))
    .immediate();
}
