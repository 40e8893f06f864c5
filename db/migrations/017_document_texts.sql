-- Full texts of the Federal Register documents a source is built from (the DoD 1260H notices).
-- A published document never changes, so each is downloaded once, when its source first reads it,
-- not at every poll; it goes with its source.
CREATE TABLE document_texts (
  source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  body BLOB NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (source_id, url)
) WITHOUT ROWID;
