// Reads kept between commands until the database changes. A lookup states which lists it
// searched and as of when; those are the same for every lookup between two polls, and reading
// them (a skip-scan of the lists, a scan of the sources) cost more than checking for a change.
import { stmt, type Db } from './database.js';

/**
 * A value that moves whenever the database may have changed: a commit of any other connection,
 * in this process or another, moves data_version; this connection's own writes move
 * total_changes(), which data_version does not count.
 */
export function changeStamp(db: Db): string {
  const [changes, version] = stmt(
    db,
    'SELECT total_changes(), (SELECT data_version FROM pragma_data_version)',
  )
    .raw()
    .get() as [number, number];
  return `${changes}:${version}`;
}

/**
 * Moves when another connection (in this process or another) commits: reads made after one
 * answer still hold at the next if it is the same.
 */
export function dataVersion(db: Db): number {
  return stmt(db, 'PRAGMA data_version').pluck().get() as number;
}

/**
 * `read`, kept per connection until the stamp moves. Not kept inside a transaction: a rollback
 * takes the rows back but not total_changes(), so what the transaction showed could outlive it.
 */
export function untilChanged<T>(read: (db: Db) => T): (db: Db) => T {
  const kept = new WeakMap<Db, { stamp: string; value: T }>();
  return (db) => {
    if (db.inTransaction) return read(db);
    const stamp = changeStamp(db);
    const hit = kept.get(db);
    if (hit && hit.stamp === stamp) return hit.value;
    const value = read(db);
    kept.set(db, { stamp, value });
    return value;
  };
}
