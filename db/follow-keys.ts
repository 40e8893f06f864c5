// The keys subscriptions and holdings are found by when a poll routes its changes (migration 020).
// The core makes the keys (src/routing/follow-index.ts); this file stores and looks them up.
import { insertRows } from './bulk.js';
import { stmt, type Db } from './database.js';
import type { HoldingInput } from './holdings.js';

/**
 * A queued follow with what its keys are made of: a subscription's value (null when it is gone or
 * not a company), or a holding's fields (null when it is gone).
 */
export interface QueuedFollow extends HoldingInput {
  queueId: number;
  subscriptionId: number | null;
  value: string | null;
  holdingId: number | null;
}

export function followsPending(db: Db): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM follow_queue)').pluck().get() === 1;
}

/** The oldest queued follows, at most `limit`; a holding or subscription deleted since comes with nulls. */
export function queuedFollows(db: Db, limit: number): QueuedFollow[] {
  return stmt(
    db,
    `SELECT q.id AS queueId, q.subscription_id AS subscriptionId, s.value, q.holding_id AS holdingId,
            h.name, h.normalized, h.isin, h.ticker, h.exchange, h.lei, h.uscc
     FROM follow_queue q
     LEFT JOIN subscriptions s ON s.id = q.subscription_id AND s.kind = 'entity'
     LEFT JOIN holdings h ON h.id = q.holding_id
     ORDER BY q.id LIMIT ?`,
  ).all(limit) as QueuedFollow[];
}

/** One key row: [key, subscription or holding id]. */
export type KeyRow = [string, number];

/** One key of a followed name: [key, name]. */
export type NameKeyRow = [string, string];

/** Which of the followed and held names (normalised) are filed already: a name is keyed once, for all who follow or hold it. */
export function filedNames(
  db: Db,
  followed: string[],
  held: string[],
): { followed: Set<string>; held: Set<string> } {
  const filed = (table: string, names: string[]) =>
    new Set(
      names.length === 0
        ? []
        : (stmt(
            db,
            `SELECT DISTINCT name FROM ${table} WHERE name IN (SELECT value FROM json_each(?))`,
          )
            .pluck()
            .all(JSON.stringify(names)) as string[]),
    );
  return { followed: filed('followed_names', followed), held: filed('held_names', held) };
}

/**
 * Removes the keys of the follows taken from the queue, before they are keyed again (a name whose
 * last follower this was leaves too, and is filed again with it).
 */
export function clearFollowKeys(db: Db, taken: QueuedFollow[]): void {
  const subs = [...new Set(taken.map((t) => t.subscriptionId).filter((x) => x !== null))];
  const held = [...new Set(taken.map((t) => t.holdingId).filter((x) => x !== null))];
  stmt(
    db,
    'DELETE FROM subscription_keys WHERE subscription_id IN (SELECT value FROM json_each(?))',
  ).run(JSON.stringify(subs));
  stmt(db, 'DELETE FROM holding_keys WHERE holding_id IN (SELECT value FROM json_each(?))').run(
    JSON.stringify(held),
  );
}

/** Stores the keys of the follows taken from the queue, the names not filed before, and the followed words' deletions. */
export function storeFollowKeys(
  db: Db,
  taken: QueuedFollow[],
  keys: {
    subscriptions: KeyRow[];
    holdings: KeyRow[];
    names: NameKeyRow[];
    heldNames: NameKeyRow[];
  },
  near: [string, string][],
): void {
  if (taken.length === 0) return;
  insertRows(db, 'INSERT OR IGNORE INTO followed_names (key, name)', keys.names);
  insertRows(db, 'INSERT OR IGNORE INTO held_names (key, name)', keys.heldNames);
  insertRows(
    db,
    'INSERT OR IGNORE INTO subscription_keys (key, subscription_id)',
    keys.subscriptions,
  );
  insertRows(db, 'INSERT OR IGNORE INTO holding_keys (key, holding_id)', keys.holdings);
  insertRows(db, 'INSERT OR IGNORE INTO follow_word_near (deletion, word)', near);
  stmt(db, 'DELETE FROM follow_queue WHERE id <= ?').run(taken[taken.length - 1]!.queueId);
}

/** Followed words that lose one letter to one of `probes`. */
export function wordsNear(db: Db, probes: string[]): string[] {
  if (probes.length === 0) return [];
  return stmt(
    db,
    'SELECT DISTINCT word FROM follow_word_near WHERE deletion IN (SELECT value FROM json_each(?))',
  )
    .pluck()
    .all(JSON.stringify(probes)) as string[];
}

/** The subscriptions and holdings filed under any of the keys, in id order. */
export function followsIn(db: Db, keys: string[]): { subscriptions: number[]; holdings: number[] } {
  if (keys.length === 0) return { subscriptions: [], holdings: [] };
  const json = JSON.stringify(keys);
  return {
    subscriptions: stmt(
      db,
      'SELECT DISTINCT subscription_id FROM subscription_keys WHERE key IN (SELECT value FROM json_each(?)) ORDER BY 1',
    )
      .pluck()
      .all(json) as number[],
    holdings: stmt(
      db,
      'SELECT DISTINCT holding_id FROM holding_keys WHERE key IN (SELECT value FROM json_each(?)) ORDER BY 1',
    )
      .pluck()
      .all(json) as number[],
  };
}

/** The followed names (normalised) filed under any of the keys. */
export function followedNamesIn(db: Db, keys: string[]): string[] {
  if (keys.length === 0) return [];
  return stmt(
    db,
    'SELECT DISTINCT name FROM followed_names WHERE key IN (SELECT value FROM json_each(?))',
  )
    .pluck()
    .all(JSON.stringify(keys)) as string[];
}

/** The subscriptions following any of the names (normalised), in id order. */
export function subscriptionsNamed(db: Db, names: string[]): number[] {
  if (names.length === 0) return [];
  return stmt(
    db,
    'SELECT DISTINCT subscription_id FROM subscription_keys WHERE key IN (SELECT value FROM json_each(?)) ORDER BY 1',
  )
    .pluck()
    .all(JSON.stringify(names.map((n) => `n ${n}`))) as number[];
}

/** The held names (normalised) filed under any of the keys. */
export function heldNamesIn(db: Db, keys: string[]): string[] {
  if (keys.length === 0) return [];
  return stmt(
    db,
    'SELECT DISTINCT name FROM held_names WHERE key IN (SELECT value FROM json_each(?))',
  )
    .pluck()
    .all(JSON.stringify(keys)) as string[];
}

/** The holdings bearing any of the names (normalised), in id order. */
export function holdingsNamed(db: Db, names: string[]): number[] {
  if (names.length === 0) return [];
  return stmt(
    db,
    'SELECT id FROM holdings WHERE normalized IN (SELECT value FROM json_each(?)) ORDER BY id',
  )
    .pluck()
    .all(JSON.stringify(names)) as number[];
}

/** What kinds of specific follows exist at all (a poll skips the look-ups when none do). */
export function followKinds(db: Db): {
  companies: boolean;
  holdings: boolean;
  identifiers: boolean;
} {
  return {
    companies:
      stmt(db, "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE kind = 'entity')")
        .pluck()
        .get() === 1,
    holdings: stmt(db, 'SELECT EXISTS (SELECT 1 FROM holdings)').pluck().get() === 1,
    identifiers:
      stmt(db, "SELECT EXISTS (SELECT 1 FROM subscription_keys WHERE key >= 'i ' AND key < 'i!')")
        .pluck()
        .get() === 1,
  };
}

/** Every key written again (the code makes them differently): queued whole, written at the next route. */
export function requeueAllFollows(db: Db): number {
  db.exec(
    "DELETE FROM followed_names; DELETE FROM held_names; DELETE FROM subscription_keys; DELETE FROM holding_keys; DELETE FROM follow_word_near; DELETE FROM follow_queue; INSERT INTO follow_queue (subscription_id) SELECT id FROM subscriptions WHERE kind = 'entity'; INSERT INTO follow_queue (holding_id) SELECT id FROM holdings;",
  );
  return stmt(db, 'SELECT count(*) FROM follow_queue').pluck().get() as number;
}
