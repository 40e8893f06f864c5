// The record as of a history row. A row keeps, as its "before", the version its change overwrote
// in the designation row, never its own (db/designations.ts applyChanges). Its own version is the
// "before" of the next row of the entity that keeps one (the change that overwrote it), or, with
// none, the designation row's record, which nothing has overwritten since. A removal overwrites
// nothing. Rows written before this rule (2026-11-27) carry their own version, in "after" or, for a
// removal, in "before", which come first. One overwrite leaves no history row: a refresh, which
// stores the same listing again with fields a newer build parses; rows it stands behind read that.

/** SQL for the record as of the history row aliased `c` (JSON text, or NULL for a deleted entity). */
export const RECORD_AS_OF = `coalesce(c.after, CASE WHEN c.type = 'designation.removed' THEN c.before END,
  (SELECT n.before FROM changes n WHERE n.source_id = c.source_id AND n.key = c.key AND n.id > c.id AND n.before IS NOT NULL ORDER BY n.id LIMIT 1),
  (SELECT h.record FROM designations h WHERE h.source_id = c.source_id AND h.key = c.key))`;
