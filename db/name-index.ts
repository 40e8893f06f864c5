// The name index: entity_names plus its FTS5 trigram table, kept in step by explicit writes.
import { insertRows, insertRowsWithIds } from './bulk.js';
import { stmt, type Db } from './database.js';
import { queueAllIndexing } from './index-queue.js';
import { rebuildIfStale } from './meta.js';

export interface IndexedName {
  name: string;
  normalized: string;
  isAlias: boolean;
  acronyms: string[];
}

export interface NameRow {
  id: number;
  designationId: number;
  name: string;
  normalized: string;
  isAlias: number;
}

const NAME_BATCH = 512;

/** The length of the words name_short_words holds: a query word this short is sought only as a whole word. */
export const SHORT_WORD = 3;

/** The `compact` column: the normalised form without its spaces ("hik vision" → "hikvision"). */
const spaceless = (normalized: string) => normalized.replace(/ /g, '');

/**
 * Replaces the indexed names of each designation (an added or amended entry). The FTS side is
 * written by set-based statements, so SQLite tokenises a whole baseline in one pass.
 */
export function replaceNames(
  db: Db,
  designationIds: number[],
  namesOf: (index: number) => IndexedName[],
): void {
  if (designationIds.length === 0) return;
  const ids = JSON.stringify(designationIds);
  const inList = 'designation_id IN (SELECT value FROM json_each(?))';
  stmt(
    db,
    `INSERT INTO entity_names_fts (entity_names_fts, rowid, compact) SELECT 'delete', id, compact FROM entity_names WHERE ${inList}`,
  ).run(ids);
  stmt(
    db,
    `DELETE FROM name_acronyms WHERE name_id IN (SELECT id FROM entity_names WHERE ${inList})`,
  ).run(ids);
  stmt(
    db,
    `DELETE FROM name_short_words WHERE name_id IN (SELECT id FROM entity_names WHERE ${inList})`,
  ).run(ids);
  stmt(db, `DELETE FROM entity_names WHERE ${inList}`).run(ids);
  const words = new Set<string>();
  let first: number | null = null;
  // Names are computed a slice of designations at a time: a 15,000-entry baseline never holds them all.
  for (let start = 0; start < designationIds.length; start += NAME_BATCH) {
    const names: unknown[][] = [];
    const acronyms: string[][] = [];
    const short: string[][] = [];
    for (let i = start; i < Math.min(start + NAME_BATCH, designationIds.length); i++) {
      for (const n of namesOf(i)) {
        names.push([
          designationIds[i],
          n.name,
          n.normalized,
          spaceless(n.normalized),
          n.isAlias ? 1 : 0,
        ]);
        acronyms.push(n.acronyms);
        const own = new Set<string>();
        for (const w of n.normalized.split(' ')) {
          if (w.length >= 5) words.add(w);
          else if (w.length === SHORT_WORD) own.add(w);
        }
        short.push([...own]);
      }
    }
    const ids = insertRowsWithIds(
      db,
      'INSERT INTO entity_names (designation_id, name, normalized, compact, is_alias)',
      names,
    );
    first ??= ids[0] ?? null;
    insertRows(
      db,
      'INSERT INTO name_acronyms (acronym, name_id)',
      acronyms.flatMap((list, j) => list.map((a) => [a, ids[j]])),
    );
    insertRows(
      db,
      'INSERT INTO name_short_words (word, name_id)',
      short.flatMap((list, j) => list.map((w) => [w, ids[j]])),
    );
  }
  // Row ids only grow (INTEGER PRIMARY KEY past the current maximum), so the new rows are id >= first.
  if (first !== null)
    stmt(
      db,
      'INSERT INTO entity_names_fts (rowid, compact) SELECT id, compact FROM entity_names WHERE id >= ?',
    ).run(first);
  // Mostly words already known: one statement looks them all up instead of a call per word.
  if (words.size)
    stmt(db, 'INSERT OR IGNORE INTO name_words (word) SELECT value FROM json_each(?)').run(
      JSON.stringify([...words]),
    );
  stmt(
    db,
    "INSERT INTO meta (key, value) VALUES ('names_version', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1",
  ).run();
}

/**
 * When the code normalises names differently from the code that indexed them (`scheme`, kept in
 * meta), empties the name index and queues every designation to be indexed again (src/store/indexing.ts
 * does it, as after a poll). Runs once after an upgrade; returns how many designations it queued.
 */
export function reindexNames(db: Db, scheme: number, normalize: (name: string) => string): number {
  return rebuildIfStale(db, 'names_scheme', scheme, () => {
    db.exec(
      "DELETE FROM name_acronyms; DELETE FROM name_short_words; DELETE FROM name_words; DELETE FROM entity_names; INSERT INTO entity_names_fts (entity_names_fts) VALUES ('delete-all');",
    );
    const queued = queueAllIndexing(db, { names: true, identifiers: false });
    // Mentions of court entries and held names were stored normalised too; history and routing
    // find them by that form.
    const mentions = stmt(db, 'SELECT rowid, name FROM feed_mentions').all() as {
      rowid: number;
      name: string;
    }[];
    const fix = stmt(db, 'UPDATE feed_mentions SET normalized = ? WHERE rowid = ?');
    for (const m of mentions) fix.run(normalize(m.name), m.rowid);
    const held = stmt(db, 'SELECT id, name FROM holdings WHERE name IS NOT NULL').all() as {
      id: number;
      name: string;
    }[];
    const fixHeld = stmt(db, 'UPDATE holdings SET normalized = ? WHERE id = ?');
    for (const h of held) fixHeld.run(normalize(h.name) || null, h.id);
    return queued;
  });
}

export function namesVersion(db: Db): number {
  return (
    (stmt(db, "SELECT value FROM meta WHERE key = 'names_version'").pluck().get() as
      number | undefined) ?? 0
  );
}

/** Trigram → number of names holding it. */
export function trigramCounts(db: Db): Map<string, number> {
  return new Map(
    stmt(db, 'SELECT term, doc FROM entity_names_vocab').raw().all() as [string, number][],
  );
}

const NAME_COLUMNS = 'id, designation_id AS designationId, name, normalized, is_alias AS isAlias';

/** Every indexed name (current and removed listings), for matching many names at once. */
export function allIndexedNames(db: Db): { designationId: number; normalized: string }[] {
  return stmt(db, 'SELECT designation_id AS designationId, normalized FROM entity_names').all() as {
    designationId: number;
    normalized: string;
  }[];
}

/** Which of the given words some name holds (words of five letters or more). */
export function knownWords(db: Db, words: string[]): string[] {
  if (words.length === 0) return [];
  return stmt(db, 'SELECT word FROM name_words WHERE word IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify(words)) as string[];
}

export function namesByCompact(db: Db, compact: string): NameRow[] {
  return stmt(db, `SELECT ${NAME_COLUMNS} FROM entity_names WHERE compact = ?`).all(
    compact,
  ) as NameRow[];
}

/**
 * Names holding, as a whole word and not inside a longer one, the one of `words` (of SHORT_WORD
 * letters) that the fewest names hold; none if no name holds any of them.
 */
export function namesWithRarestShortWord(db: Db, words: string[], limit: number): NameRow[] {
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE id IN (SELECT name_id FROM name_short_words WHERE word =
       (SELECT word FROM name_short_words WHERE word IN (SELECT value FROM json_each(?)) GROUP BY word ORDER BY count(*) LIMIT 1) LIMIT ?)`,
  ).all(JSON.stringify(words), limit) as NameRow[];
}

export function namesByAcronym(db: Db, acronym: string, limit: number): NameRow[] {
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE id IN (SELECT name_id FROM name_acronyms WHERE acronym = ? LIMIT ?)`,
  ).all(acronym, limit) as NameRow[];
}

// The spaced form is not indexed (migration 010): a spaced name is found through its spaceless
// form, which narrows to a handful of rows, and then compared in full.
export function namesByNormalized(db: Db, normalized: string): NameRow[] {
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE compact = ? AND normalized = ?`,
  ).all(spaceless(normalized), normalized) as NameRow[];
}

/**
 * Names matching an FTS5 expression over their trigrams. Ranking by bm25 costs more than the
 * search itself on narrow expressions, so it is asked for only where the matches may be many.
 */
export function namesByTrigrams(db: Db, match: string, limit: number, ranked: boolean): NameRow[] {
  if (!ranked) {
    return stmt(
      db,
      `SELECT ${NAME_COLUMNS} FROM entity_names WHERE id IN (SELECT rowid FROM entity_names_fts WHERE entity_names_fts MATCH ? LIMIT ?)`,
    ).all(match, limit) as NameRow[];
  }
  // bm25 over every match of a common half-word costs milliseconds on 100,000 names: rank at
  // most RANK_WINDOW matches, which bounds the worst case and rarely loses the best ones.
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE id IN
       (SELECT rowid FROM (SELECT rowid, rank FROM entity_names_fts WHERE entity_names_fts MATCH ? LIMIT ${RANK_WINDOW}) ORDER BY rank LIMIT ?)`,
  ).all(match, limit) as NameRow[];
}

const RANK_WINDOW = 1500;

/**
 * Names whose spaceless form holds `text`, found through `match` (an FTS5 expression of a few of
 * its rarest trigrams) and checked whole. The same names as the phrase of all its trigrams, which
 * reads every trigram's positions: "industrias" took 6 ms that way on 100,000 names.
 */
export function namesContaining(db: Db, match: string, text: string, limit: number): NameRow[] {
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE id IN (SELECT rowid FROM entity_names_fts WHERE entity_names_fts MATCH ?) AND instr(compact, ?) > 0 LIMIT ?`,
  ).all(match, text, limit) as NameRow[];
}

export function namesOfDesignations(db: Db, ids: number[]): NameRow[] {
  if (ids.length === 0) return [];
  return stmt(
    db,
    `SELECT ${NAME_COLUMNS} FROM entity_names WHERE designation_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as NameRow[];
}

/** Designations that carry any of the given normalised names (as name or alias). */
export function designationsNamed(db: Db, normalized: string[]): number[] {
  if (normalized.length === 0) return [];
  return stmt(
    db,
    'SELECT DISTINCT designation_id FROM entity_names WHERE compact IN (SELECT value FROM json_each(?)) AND normalized IN (SELECT value FROM json_each(?))',
  )
    .pluck()
    .all(JSON.stringify(normalized.map(spaceless)), JSON.stringify(normalized)) as number[];
}

/**
 * Published names whose normalised form starts with, or (3+ characters) contains, the text,
 * spaces aside ("hik vi" finds HIKVISION as well as HIK VISION).
 */
export function namesLike(db: Db, normalized: string, limit: number): string[] {
  const prefix = stmt(
    db,
    'SELECT DISTINCT name FROM entity_names WHERE compact >= ? AND compact < ? || char(1114111) ORDER BY is_alias, length(name) LIMIT ?',
  )
    .pluck()
    .all(spaceless(normalized), spaceless(normalized), limit) as string[];
  if (prefix.length >= limit || normalized.length < 3) return prefix;
  const inside = stmt(
    db,
    `SELECT DISTINCT n.name FROM entity_names n WHERE n.id IN (SELECT rowid FROM entity_names_fts WHERE entity_names_fts MATCH ? LIMIT 200) ORDER BY n.is_alias, length(n.name) LIMIT ?`,
  )
    .pluck()
    .all(`"${spaceless(normalized).replace(/"/g, '""')}"`, limit) as string[];
  return [...new Set([...prefix, ...inside])].slice(0, limit);
}

/** Every name and alias of every current listing, with its entity's name, list and key. */
export function activeListingNames(
  db: Db,
): { normalized: string; name: string; list: string; key: string }[] {
  return stmt(
    db,
    `SELECT n.normalized, d.name, d.list, d.key FROM entity_names n JOIN designations d ON d.id = n.designation_id WHERE d.removed_at IS NULL`,
  ).all() as { normalized: string; name: string; list: string; key: string }[];
}
