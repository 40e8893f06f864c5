-- Which sources hold the current entries of each list: a lookup states how current its answer is
-- by the oldest good read among the sources it searched, and names a source that has fallen
-- behind. The source joins the list in the index of current entries, so both are index seeks.
DROP INDEX designations_active_list;
CREATE INDEX designations_active_list ON designations (list, source_id) WHERE removed_at IS NULL;
