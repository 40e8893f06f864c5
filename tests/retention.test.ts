// Retention keeps the database bounded: delivered alerts and feed items gone from their feeds go;
// pending deliveries, items a feed still lists, and the change history stay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/database.js';
import { insertFeedItems, touchLastSeen } from '../db/feed-items.js';
import { enqueueAlert, markSent } from '../db/outbox.js';
import { prune } from '../db/retention.js';
import { ensureSource } from '../db/source-state.js';
import { healthAlert } from '../src/alerts/derive.js';

describe('retention', () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(':memory:').db;
    ensureSource(db, 'feed', 'pacer', null);
  });
  afterEach(() => db.close());
  const item = (guid: string) => ({
    item: { guid, title: guid, link: null, publishedAt: null, summary: '' },
    mentions: [],
    alerted: false,
    docketCore: null,
  });

  it('prunes delivered alerts and items long gone from their feed, keeps the rest', () => {
    const old = '2026-01-01T00:00:00.000Z';
    const ref = { id: 'feed', label: 'F' };
    const done = enqueueAlert(
      db,
      healthAlert('failing', 'done', ref, old),
      new Map([['console:a', 'x']]),
      null,
    );
    const waiting = enqueueAlert(
      db,
      healthAlert('failing', 'waiting', ref, old),
      new Map([
        ['console:a', 'x'],
        ['slack:C1', 'x'],
      ]),
      null,
    );
    markSent(db, done.id, 'console:a', null, old);
    markSent(db, waiting.id, 'console:a', null, old);
    insertFeedItems(db, 'feed', [item('gone'), item('still-listed')], old);
    // The feed answered the same content later: what it listed, it still lists.
    db.prepare(
      "UPDATE feed_items SET last_seen = '2026-01-01T00:00:00.000Z' WHERE guid = 'gone'",
    ).run();
    db.prepare(
      "UPDATE feed_items SET last_seen = '2026-03-01T00:00:00.000Z' WHERE guid = 'still-listed'",
    ).run();
    touchLastSeen(db, 'feed', '2026-11-01T00:00:00.000Z');
    const r = prune(db, '2026-08-01T00:00:00.000Z');
    expect(r).toEqual({ alerts: 1, feedItems: 1, webhookEvents: 0 });
    expect(db.prepare('SELECT id FROM alerts').pluck().all()).toEqual([waiting.id]);
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(2);
    // Ids are never handed out twice, even once the newest alert is pruned.
    markSent(db, waiting.id, 'slack:C1', null, old);
    expect(prune(db, '2026-08-01T00:00:00.000Z').alerts).toBe(1);
    expect(db.prepare('SELECT count(*) FROM alerts').pluck().get()).toBe(0);
    const next = enqueueAlert(
      db,
      healthAlert('failing', 'next', ref, old),
      new Map([['console:a', 'x']]),
      null,
    );
    expect(next.id).toBe(waiting.id + 1);
    expect(db.prepare('SELECT guid FROM feed_items').pluck().all()).toEqual(['still-listed']);
  });
});
