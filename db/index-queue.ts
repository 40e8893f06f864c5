// The queue of designations whose names or identifiers are still to be indexed (migrations 012, 013).
import type { Identifier } from '../src/domain.js';
import { stmt, type Db } from './database.js';

/** A queued designation: what of its record the indexes read (not the whole record). */
export interface QueuedIndexing {
  id: number;
  names: boolean;
  identifiers: boolean;
  name: string;
  type: string | undefined;
  aliases: string[];
  ids: Identifier[];
  linkedTo: string[];
}

/** Which indexes of a designation are to be written again. */
export interface IndexingNeed {
  names: boolean;
  identifiers: boolean;
}

/** A queued designation, as a poll queued it: [designation id, names (0/1), identifiers (0/1)]. */
type Item = [number, number, number];

const needOf = ([, names, identifiers]: Item): IndexingNeed => ({
  names: names === 1,
  identifiers: identifiers === 1,
});

/**
 * Queues designations for indexing, as one row (migration 013). A designation queued again before
 * it was indexed is indexed once per time it was queued, each time for what that poll asked.
 */
export function queueIndexing(db: Db, needs: ReadonlyMap<number, IndexingNeed>): void {
  if (needs.size === 0) return;
  const items: Item[] = [...needs].map(([id, n]) => [id, n.names ? 1 : 0, n.identifiers ? 1 : 0]);
  stmt(db, 'INSERT INTO index_queue (items) VALUES (?)').run(JSON.stringify(items));
}

/** Queues every stored designation (an index built differently by this build); returns how many. */
export function queueAllIndexing(db: Db, what: IndexingNeed): number {
  const count = stmt(db, 'SELECT count(*) FROM designations').pluck().get() as number;
  if (count === 0) return 0;
  stmt(
    db,
    'INSERT INTO index_queue (items) SELECT json_group_array(json_array(id, ?, ?)) FROM (SELECT id FROM designations ORDER BY id)',
  ).run(what.names ? 1 : 0, what.identifiers ? 1 : 0);
  return count;
}

/** Whether anything waits: one probe of the primary key, paid by every reader of the indexes. */
export function indexingPending(db: Db): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM index_queue)').pluck().get() === 1;
}

/** Designations queued, counted once per time they were queued. */
export function queuedIndexingCount(db: Db): number {
  return stmt(db, 'SELECT coalesce(sum(json_array_length(items)), 0) FROM index_queue')
    .pluck()
    .get() as number;
}

/** Everything queued, oldest first (for tests and inspection). */
export function queuedNeeds(db: Db): ({ id: number } & IndexingNeed)[] {
  const batches = stmt(db, 'SELECT items FROM index_queue ORDER BY id').pluck().all() as string[];
  return batches.flatMap((b) =>
    (JSON.parse(b) as Item[]).map((item) => ({ id: item[0], ...needOf(item) })),
  );
}

/**
 * Takes up to `limit` queued designations off the queue, oldest first, with what the indexes read
 * of them; call it inside the transaction that writes their indexes, so a crash takes nothing.
 * Only the fields the indexes read are taken from the record: whole records (remarks, addresses,
 * programs) are ~3.6 MB of JSON after the three-year catch-up that indexing would parse for
 * nothing, on top of the poll's own garbage. A designation deleted since it was queued is skipped:
 * `taken` counts the queue's items, `rows` the designations still there.
 */
export function takeQueuedIndexing(
  db: Db,
  limit: number,
): { taken: number; rows: QueuedIndexing[] } {
  const taken = new Map<number, IndexingNeed>();
  let count = 0;
  while (count < limit) {
    const batch = stmt(db, 'SELECT id, items FROM index_queue ORDER BY id LIMIT 1').raw().get() as
      [number, string] | undefined;
    if (!batch) break;
    const items = JSON.parse(batch[1]) as Item[];
    const take = items.slice(0, limit - count);
    if (take.length < items.length)
      stmt(db, 'UPDATE index_queue SET items = ? WHERE id = ?').run(
        JSON.stringify(items.slice(take.length)),
        batch[0],
      );
    else stmt(db, 'DELETE FROM index_queue WHERE id = ?').run(batch[0]);
    count += take.length;
    for (const item of take) {
      const n = needOf(item);
      const earlier = taken.get(item[0]);
      taken.set(
        item[0],
        earlier
          ? { names: n.names || earlier.names, identifiers: n.identifiers || earlier.identifiers }
          : n,
      );
    }
  }
  if (taken.size === 0) return { taken: 0, rows: [] };
  const rows = stmt(
    db,
    `SELECT id, name, json_extract(record, '$.type') AS type, json_extract(record, '$.aliases') AS aliases,
       json_extract(record, '$.identifiers') AS ids, json_extract(record, '$.linkedTo') AS linkedTo
     FROM designations WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  )
    .raw()
    .all(JSON.stringify([...taken.keys()])) as [
    number,
    string,
    string | null,
    string | null,
    string | null,
    string | null,
  ][];
  const list = <T>(json: string | null): T[] => (json ? (JSON.parse(json) as T[]) : []);
  return {
    taken: count,
    rows: rows.map(([id, name, type, aliases, ids, linkedTo]) => ({
      id,
      ...taken.get(id)!,
      name,
      type: type ?? undefined,
      aliases: list(aliases),
      ids: list(ids),
      linkedTo: list(linkedTo),
    })),
  };
}
