-- A fingerprint of the source text each entry was built from (and of the build that read it): a
-- poll builds and compares only the entries whose fingerprint moved. NULL: stored before this, or
-- by a parser that gives none; such entries are built and compared as before, once.
ALTER TABLE designations ADD COLUMN print INTEGER;
