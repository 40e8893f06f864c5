-- Evidence: what each poll that changed something read, so that an examiner can later be shown
-- exactly what the list said. One row per file a poll read (a list and its companions, a feed, a
-- document read in full): its address, when, the HTTP validators, its size and sha256. The bytes
-- are kept gzipped, once per distinct content, for SANCTIONS_RADAR_EVIDENCE_DAYS (then only the
-- row and its hash stay). An alert's evidence is its poll's: the source and the poll's time,
-- which is the alert's detected_at.
CREATE TABLE evidence_bodies (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,
  gzip   BLOB
);

CREATE TABLE evidence (
  id            INTEGER PRIMARY KEY,
  source_id     TEXT NOT NULL,
  poll_at       TEXT NOT NULL,
  name          TEXT NOT NULL,
  url           TEXT NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL,
  UNIQUE (source_id, poll_at, name)
);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX alerts_source_detected ON alerts (source_id, detected_at);
