-- Lookups that see through spelling: a name with its spaces removed (so "Hik Vision" finds
-- HIKVISION and "Sber Bank" finds SBERBANK), and the acronyms a name's initials spell ("SMIC",
-- "CNOOC"). The trigram index moves to the spaceless form: a word of a query is still a substring
-- of it, and a query written with other spacing now is too.
ALTER TABLE entity_names ADD COLUMN compact TEXT NOT NULL DEFAULT '';
CREATE INDEX entity_names_compact ON entity_names (compact);

CREATE TABLE name_acronyms (
  acronym TEXT NOT NULL,
  name_id INTEGER NOT NULL REFERENCES entity_names(id) ON DELETE CASCADE
);
CREATE INDEX name_acronyms_acronym ON name_acronyms (acronym);
CREATE INDEX name_acronyms_name ON name_acronyms (name_id);

-- Every word of five letters or more that a name holds: a query word not in it is a typo, and
-- the words one edit away from it are found by probing this index with its one-edit variants.
-- Words are never removed with their names (a stale word finds no name; harmless).
CREATE TABLE name_words (word TEXT PRIMARY KEY) WITHOUT ROWID;

DROP TABLE entity_names_vocab;
DROP TABLE entity_names_fts;
CREATE VIRTUAL TABLE entity_names_fts USING fts5 (compact, content = 'entity_names', content_rowid = 'id', tokenize = 'trigram');
CREATE VIRTUAL TABLE entity_names_vocab USING fts5vocab (entity_names_fts, 'row');

-- Names are rebuilt from the stored records by the code at open (see NAMES_SCHEME), since the
-- normalisation lives in TypeScript, not SQL.
DELETE FROM meta WHERE key = 'names_scheme';

-- Every lookup says how many lists it searched: the current lists, read from this index by a
-- skip-scan (one seek per list) rather than by scanning every designation.
CREATE INDEX designations_active_list ON designations (list) WHERE removed_at IS NULL;
