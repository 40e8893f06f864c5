-- foreign_keys: off
-- An alert id names the alert outside the database (Discord's nonce, Slack's message metadata,
-- a receiver's idempotency), so it is never handed out twice: without AUTOINCREMENT SQLite gives
-- the next row max(id) + 1, which reuses ids after `sources forget` or retention has removed the
-- newest alerts. Rebuilt as SQLite's 12-step table change prescribes, foreign keys off around it
-- (dropping the old table would otherwise delete every delivery with it).
CREATE TABLE alerts_new (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  type        TEXT NOT NULL,
  source_id   TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  payload     TEXT NOT NULL,
  change_id   INTEGER REFERENCES changes(id)
);
INSERT INTO alerts_new (id, type, source_id, detected_at, payload, change_id)
  SELECT id, type, source_id, detected_at, payload, change_id FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
