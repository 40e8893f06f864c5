-- Every name and alias of every designation (current and removed: lookups show removals too),
-- normalised for matching. Filled in bulk by the poller when a source's state changes, never by
-- triggers, so a 15,000-entry baseline is one pass.
CREATE TABLE entity_names (
  id             INTEGER PRIMARY KEY,
  designation_id INTEGER NOT NULL REFERENCES designations(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  normalized     TEXT NOT NULL,
  is_alias       INTEGER NOT NULL
);
CREATE INDEX entity_names_normalized ON entity_names (normalized);
CREATE INDEX entity_names_designation ON entity_names (designation_id);

-- Trigram candidates for fuzzy lookups (external content: rows are added and deleted explicitly).
CREATE VIRTUAL TABLE entity_names_fts USING fts5 (normalized, content = 'entity_names', content_rowid = 'id', tokenize = 'trigram');

-- How many names hold each trigram: lookups query only a name's rarest trigrams.
CREATE VIRTUAL TABLE entity_names_vocab USING fts5vocab (entity_names_fts, 'row');

-- Small counters, e.g. the name index version that tells a matcher to reload its trigram counts.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
