// Which channel follows what. Routing reads these inside the poll's transaction, through the keys
// of db/follow-keys.ts for followed companies.
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

/** A followed case is stored as "<court or *> <docket>" so that UNIQUE catches duplicates. */
function encode(t: SubscriptionTarget): string {
  if (t.kind === 'all') return '';
  if (t.kind === 'case') return `${t.court ?? '*'} ${t.value}`;
  return t.value;
}

function decode(kind: SubscriptionTarget['kind'], value: string): SubscriptionTarget {
  if (kind === 'all') return { kind };
  if (kind === 'case') {
    const [court, docket] = value.split(' ', 2) as [string, string];
    return { kind, value: docket, court: court === '*' ? null : court };
  }
  return { kind, value };
}

function toSubscription(r: Row): Subscription {
  return {
    id: r.id,
    channel: r.channel,
    target: decode(r.kind, r.value),
    createdAt: r.createdAt,
    pausedReason: r.pausedReason,
  };
}

const SELECT = `SELECT s.id, s.channel, s.kind, s.value, s.created_at AS createdAt, c.paused_reason AS pausedReason
  FROM subscriptions s LEFT JOIN channel_state c ON c.channel = s.channel`;

export function allSubscriptions(db: Db): Subscription[] {
  return (stmt(db, `${SELECT} ORDER BY s.id`).all() as Row[]).map(toSubscription);
}

/** Subscriptions to everything, a source, a list or a case: few, read whole by each poll's router. */
export function broadSubscriptions(db: Db): Subscription[] {
  return (
    stmt(
      db,
      `${SELECT} WHERE s.kind IN ('all', 'source', 'list', 'case') ORDER BY s.id`,
    ).all() as Row[]
  ).map(toSubscription);
}

export function subscriptionsWithIds(db: Db, ids: readonly number[]): Subscription[] {
  if (ids.length === 0) return [];
  return (
    stmt(db, `${SELECT} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.id`).all(
      JSON.stringify(ids),
    ) as Row[]
  ).map(toSubscription);
}

export function channelSubscriptions(db: Db, channel: string): Subscription[] {
  return (stmt(db, `${SELECT} WHERE s.channel = ? ORDER BY s.id`).all(channel) as Row[]).map(
    toSubscription,
  );
}

/** Adds a subscription; returns it, and whether it already existed. */
export function addSubscription(
  db: Db,
  channel: string,
  target: SubscriptionTarget,
  at: string,
): { subscription: Subscription; existed: boolean } {
  const value = encode(target);
  const res = stmt(
    db,
    'INSERT OR IGNORE INTO subscriptions (channel, kind, value, created_at) VALUES (?, ?, ?, ?)',
  ).run(channel, target.kind, value, at);
  const row = stmt(db, `${SELECT} WHERE s.channel = ? AND s.kind = ? AND s.value = ?`).get(
    channel,
    target.kind,
    value,
  ) as Row;
  return { subscription: toSubscription(row), existed: res.changes === 0 };
}

export function removeSubscription(db: Db, channel: string, id: number): boolean {
  return (
    stmt(db, 'DELETE FROM subscriptions WHERE channel = ? AND id = ?').run(channel, id).changes > 0
  );
}
