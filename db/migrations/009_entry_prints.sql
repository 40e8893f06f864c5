-- A fingerprint of the source text each entry was built from (and of the build that read it): a
-- poll builds and compares only the entries whose fingerprint moved. NULL: stored before this, or
-- by a parser that gives none; such entries are built and compared as before, once.
ALTER TABLE designations ADD COLUMN print INTEGER;

-- What a poll reads of every active entry (key and fingerprint) and how many there are, without
-- reading the records: the table's pages hold 8 MB of record JSON for the SDN alone.
CREATE INDEX designations_active_prints ON designations (source_id, key, print) WHERE removed_at IS NULL;

-- Every read by list asks for current entries, which designations_active_list (007) answers; the
-- full index only cost a write per stored change.
DROP INDEX designations_list;
