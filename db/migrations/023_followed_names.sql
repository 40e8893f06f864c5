-- Followed and held names are filed once, however many channels follow or hold them: a name's words lead to the
-- name, and the name ("n <name>" in subscription_keys) to its followers. A poll scores each name
-- its changes reach once and loads only the followers of names that match; with subscriptions
-- filed one by one, a name followed by a hundred channels cost a hundred rows at every look-up
-- and a hundred keyings. Keys: "n <name>", "c <name without spaces>", "w <filed word>", "j <two
-- adjacent words as one>" (src/follow-index.ts).
CREATE TABLE followed_names (
  key  TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (key, name)
) WITHOUT ROWID;
CREATE INDEX followed_names_name ON followed_names (name);

-- A name nobody follows any more leaves with its last follower (a cascade from an unsubscribe
-- fires this too).
CREATE TRIGGER followed_name_gone AFTER DELETE ON subscription_keys
  WHEN old.key >= 'n ' AND old.key < 'n!' AND NOT EXISTS (SELECT 1 FROM subscription_keys WHERE key = old.key)
  BEGIN DELETE FROM followed_names WHERE name = substr(old.key, 3); END;

-- Held names the same way: "h <filed word>" leads to the name, the name to the holdings bearing it.
CREATE TABLE held_names (
  key  TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (key, name)
) WITHOUT ROWID;
CREATE INDEX held_names_name ON held_names (name);
CREATE INDEX holdings_normalized ON holdings (normalized);
CREATE TRIGGER held_name_gone AFTER DELETE ON holdings
  WHEN old.normalized IS NOT NULL AND NOT EXISTS (SELECT 1 FROM holdings WHERE normalized = old.normalized)
  BEGIN DELETE FROM held_names WHERE name = old.normalized; END;
CREATE TRIGGER held_name_renamed AFTER UPDATE OF normalized ON holdings
  WHEN old.normalized IS NOT NULL AND NOT EXISTS (SELECT 1 FROM holdings WHERE normalized = old.normalized)
  BEGIN DELETE FROM held_names WHERE name = old.normalized; END;

-- Every follow keyed again in the new form (at the next route, or right after this start).
DELETE FROM subscription_keys;
DELETE FROM holding_keys;
DELETE FROM follow_word_near;
DELETE FROM follow_queue;
INSERT INTO follow_queue (subscription_id) SELECT id FROM subscriptions WHERE kind = 'entity';
INSERT INTO follow_queue (holding_id) SELECT id FROM holdings;
