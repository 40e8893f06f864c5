-- The index queue holds one row per poll, a JSON list of [designation id, names, identifiers],
-- instead of one row per designation: the three-year SDN catch-up's 7,027 queue rows cost ~17 ms
-- of its commit in B-tree inserts (a 15,000-entry baseline twice that), against one row written.
-- What was queued under migration 012 carries over as one batch.
ALTER TABLE index_queue RENAME TO index_queue_012;
CREATE TABLE index_queue (
  id    INTEGER PRIMARY KEY,
  items TEXT NOT NULL
);
INSERT INTO index_queue (items)
  SELECT json_group_array(json_array(designation_id, names, identifiers))
  FROM (SELECT designation_id, names, identifiers FROM index_queue_012 ORDER BY designation_id)
  HAVING count(*) > 0;
DROP TABLE index_queue_012;
