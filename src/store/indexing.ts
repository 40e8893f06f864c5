// The indexes derived from stored records (names for lookups and mentions, identifiers for
// holdings) are written after the poll that changed the records, not inside it: a poll queues the
// designations (db/index-queue.ts) and its alerts go out without waiting for ~20,000 names to be
// normalised and tokenised. Readers never write: the process that polled indexes what it queued
// right after (the daemon as a turn of its command queue, so commands asked meanwhile wait for
// it; a cron poll before it exits), and opening the store indexes what a killed process left.
// A feed poll reads the mention index inside its own transaction and indexes first.
import type { Db } from '../../db/database.js';
import { indexingPending, takeQueuedIndexing } from '../../db/index-queue.js';
import { replaceIdentifiers } from '../../db/holdings.js';
import { replaceNames } from '../../db/name-index.js';
import { entityNames } from '../names/entity-names.js';
import { identifiersReader } from '../portfolio/identifier-index.js';

/**
 * Designations indexed per transaction: a baseline's 15,000 records are never all in memory, and
 * the write lock (and the daemon's event loop) is held ~0.1 s at a time; 2,048 held it ~0.19 s
 * for the same total (the three-year catch-up's 7,027: ~0.5 s either way).
 */
const SLICE = 1024;

/** Indexes every queued designation; returns how many. Safe to call anywhere, often. */
export function indexQueued(db: Db): number {
  if (!indexingPending(db)) return 0;
  // Inside a caller's transaction (a feed poll's mention scan) the work joins it. Otherwise each
  // slice takes the write lock before reading the queue: two processes draining at once index
  // each designation once, the second finding the queue empty.
  const inSlices = db.transaction(() => indexSlice(db));
  const step = db.inTransaction ? () => indexSlice(db) : () => inSlices.immediate();
  let total = 0;
  for (let n = step(); n > 0; n = step()) total += n;
  return total;
}

/**
 * The daemon's way: a slice per turn of the event loop, so slash commands, deliveries and
 * /healthz are served between slices (the three-year catch-up's ~0.5 s of indexing would
 * otherwise hold them all). A reader arriving between two turns indexes the rest itself.
 */
export async function indexQueuedInTurns(db: Db, slice = SLICE): Promise<number> {
  const step = db.transaction(() => indexSlice(db, slice));
  let total = 0;
  while (indexingPending(db)) {
    const n = step.immediate();
    if (n === 0) break;
    total += n;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

function indexSlice(db: Db, slice = SLICE): number {
  const { taken, rows } = takeQueuedIndexing(db, slice);
  const named = rows.filter((r) => r.names);
  replaceNames(
    db,
    named.map((r) => r.id),
    (k) => entityNames(named[k]!),
  );
  const keyed = rows.filter((r) => r.identifiers);
  const identifiersOf = identifiersReader();
  replaceIdentifiers(
    db,
    keyed.map((r) => r.id),
    (k) => identifiersOf({ identifiers: keyed[k]!.ids, linkedTo: keyed[k]!.linkedTo }),
  );
  return taken;
}
