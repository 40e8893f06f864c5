-- Three-letter words of names ("DJI", "ZTE", "ALA") and the names holding them: a query's
-- three-letter words are looked up as whole words. The trigram index finds a short word inside
-- longer ones too, and a common one filled the candidate limit before every name holding it as a
-- word was found: "ala" is in 1,119 of the real lists' 28,150 names, a word in 9, of which 4 came back.
CREATE TABLE name_short_words (
  word    TEXT NOT NULL,
  name_id INTEGER NOT NULL REFERENCES entity_names(id) ON DELETE CASCADE,
  PRIMARY KEY (word, name_id)
) WITHOUT ROWID;
CREATE INDEX name_short_words_name ON name_short_words (name_id);

-- The names indexed so far, split into words here rather than indexed again from their records.
WITH RECURSIVE split(id, word, rest) AS (
  SELECT id, NULL, normalized || ' ' FROM entity_names
  UNION ALL
  SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO name_short_words (word, name_id) SELECT word, id FROM split WHERE length(word) = 3;
