-- The keys of the last rows of a list's last good snapshot, in file order. A CSV without an
-- end-of-file mark that is cut exactly between two rows parses cleanly; what gives it away is
-- that it ends on a row that used to be followed by others, all of which are now missing.
ALTER TABLE sources ADD COLUMN tail_keys TEXT;
