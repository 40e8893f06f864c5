// The record as of a history row. Rows keep a copy only where no other row keeps that version
// (db/designations.ts applyChanges): an amendment keeps its before and after, a relisting the
// record it overwrote, a new entry and a removal nothing. The version such a row stands for is
// then the next copy the entity's later history keeps as its "before" (the change that replaced
// it), or, with none, the designation row's record, which nothing has replaced since. Rows
// written before this rule keep their own copies, which come first. A relisting's "before" is the
// record it replaced, not its own. One overwrite leaves no history row: a refresh, which stores
// the same listing again with fields a newer build parses; rows it stands behind read that form.

/** SQL for the record as of the history row aliased `c` (JSON text, or NULL for a deleted entity). */
export const RECORD_AS_OF = `coalesce(c.after, CASE WHEN c.type = 'designation.added' THEN NULL ELSE c.before END,
  (SELECT n.before FROM changes n WHERE n.source_id = c.source_id AND n.key = c.key AND n.id > c.id AND n.before IS NOT NULL ORDER BY n.id LIMIT 1),
  (SELECT h.record FROM designations h WHERE h.source_id = c.source_id AND h.key = c.key))`;
