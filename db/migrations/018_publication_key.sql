-- The newest publication a source's publisher announced when its list was last read (OFAC's
-- Sanctions List Service): while it stays the same, a poll asks that one small question and
-- downloads nothing.
ALTER TABLE sources ADD COLUMN publication_key TEXT;
