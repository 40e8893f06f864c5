// Opens the database for the program: the schema brought up to date (db/), then the name and
// identifier indexes brought up to the code's way of building them, which lives here in src/.
import { openDb, type Db } from '../../db/database.js';
import { reindexIdentifiers } from '../../db/holdings.js';
import { requeueAllFollows } from '../../db/follow-keys.js';
import { rebuildIfStale } from '../../db/meta.js';
import { reindexNames } from '../../db/name-index.js';
import { indexQueued } from './indexing.js';
import { IDENTIFIERS_SCHEME } from '../portfolio/identifier-index.js';
import { NAMES_SCHEME } from '../names/entity-names.js';
import { normalizeName } from '../names/normalize.js';

export function openStore(path: string): { db: Db; migrated: number; reindexed: number } {
  const { db, migrated } = openDb(path);
  try {
    // Indexes this build makes differently are queued whole; then the queue is indexed, with what
    // a process that stopped (or was killed) after a poll left in it.
    const reindexed = reindexNames(db, NAMES_SCHEME, normalizeName);
    reindexIdentifiers(db, IDENTIFIERS_SCHEME);
    // Followed names are keyed by their normalised words: keyed again (at the next route) when
    // names are normalised differently.
    rebuildIfStale(db, 'follow_keys_scheme', NAMES_SCHEME, () => requeueAllFollows(db));
    indexQueued(db);
    return { db, migrated, reindexed };
  } catch (err) {
    db.close();
    throw err;
  }
}
