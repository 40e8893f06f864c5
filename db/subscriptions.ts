// Which channel follows what. Routing reads these inside the poll's transaction.
import type { Subscription, SubscriptionTarget } from '../src/domain.js';
import { stmt, type Db } from './database.js';

interface Row {
  id: number;
  channel: string;
  kind: SubscriptionTarget['kind'];
  value: string;
  createdAt: string;
  pausedReason: string | null;
}

function toSubscription(r: Row): Subscription {
  const target: SubscriptionTarget = r.kind === 'all' ? { kind: 'all' } : { kind: r.kind, value: r.value };
  return { id: r.id, channel: r.channel, target, createdAt: r.createdAt, pausedReason: r.pausedReason };
}

const SELECT = `SELECT s.id, s.channel, s.kind, s.value, s.created_at AS createdAt, c.paused_reason AS pausedReason
  FROM subscriptions s LEFT JOIN channel_state c ON c.channel = s.channel`;

export function allSubscriptions(db: Db): Subscription[] {
  return (stmt(db, `${SELECT} ORDER BY s.id`).all() as Row[]).map(toSubscription);
}

export function channelSubscriptions(db: Db, channel: string): Subscription[] {
  return (stmt(db, `${SELECT} WHERE s.channel = ? ORDER BY s.id`).all(channel) as Row[]).map(toSubscription);
}

/** Adds a subscription; returns it, and whether it already existed. */
export function addSubscription(db: Db, channel: string, target: SubscriptionTarget, at: string): { subscription: Subscription; existed: boolean } {
  const value = target.kind === 'all' ? '' : target.value;
  const res = stmt(db, 'INSERT OR IGNORE INTO subscriptions (channel, kind, value, created_at) VALUES (?, ?, ?, ?)').run(channel, target.kind, value, at);
  const row = stmt(db, `${SELECT} WHERE s.channel = ? AND s.kind = ? AND s.value = ?`).get(channel, target.kind, value) as Row;
  return { subscription: toSubscription(row), existed: res.changes === 0 };
}

export function removeSubscription(db: Db, channel: string, id: number): boolean {
  return stmt(db, 'DELETE FROM subscriptions WHERE channel = ? AND id = ?').run(channel, id).changes > 0;
}

/** Changes whenever a subscription is added or removed: ids only grow, so count, max and sum tell. */
export function subscriptionsVersion(db: Db): string {
  const r = stmt(db, 'SELECT count(*) AS n, coalesce(max(id), 0) AS mx, coalesce(sum(id), 0) AS sm FROM subscriptions').get() as { n: number; mx: number; sm: number };
  return `${r.n}:${r.mx}:${r.sm}`;
}
