-- What each followed company and holding can be reached by, so that a poll routes its changes by
-- looking up the few follows their names and identifiers touch instead of loading all of them
-- (100,000 follows cost a cron poll 2.4 s and 230 MB when every poll rebuilt them in memory).
-- Keys (src/follow-index.ts): "n <name>" a followed name, "c <name>" the same without spaces,
-- "w <word>" one of its filed words, "j <word>" two adjacent words of it written as one, "i <key>"
-- a company followed by an identifier; "h <word>" the filed word of a held name, "H <type> <value>"
-- a held identifier. The core writes them (normalising is code); a key leaves with its follow.
CREATE TABLE subscription_keys (
  key             TEXT NOT NULL,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  PRIMARY KEY (key, subscription_id)
) WITHOUT ROWID;
CREATE INDEX subscription_keys_subscription ON subscription_keys (subscription_id);

CREATE TABLE holding_keys (
  key        TEXT NOT NULL,
  holding_id INTEGER NOT NULL REFERENCES holdings (id) ON DELETE CASCADE,
  PRIMARY KEY (key, holding_id)
) WITHOUT ROWID;
CREATE INDEX holding_keys_holding ON holding_keys (holding_id);

-- Filed words by their one-letter deletions (words of five letters or more), so that a
-- listed "Huawai" finds the channel following "Huawei" as the in-memory index did.
CREATE TABLE follow_word_near (
  deletion TEXT NOT NULL,
  word     TEXT NOT NULL,
  PRIMARY KEY (deletion, word)
) WITHOUT ROWID;

-- Follows whose keys are still to be written: filled by the triggers, emptied by the core before
-- it routes (and right after a subscribe or an import).
CREATE TABLE follow_queue (
  id              INTEGER PRIMARY KEY,
  subscription_id INTEGER,
  holding_id      INTEGER
);
CREATE TRIGGER subscriptions_follow_insert AFTER INSERT ON subscriptions WHEN new.kind = 'entity'
  BEGIN INSERT INTO follow_queue (subscription_id) VALUES (new.id); END;
CREATE TRIGGER subscriptions_follow_update AFTER UPDATE ON subscriptions
  BEGIN DELETE FROM subscription_keys WHERE subscription_id = old.id; INSERT INTO follow_queue (subscription_id) VALUES (new.id); END;
CREATE TRIGGER holdings_follow_insert AFTER INSERT ON holdings
  BEGIN INSERT INTO follow_queue (holding_id) VALUES (new.id); END;
CREATE TRIGGER holdings_follow_update AFTER UPDATE ON holdings
  BEGIN DELETE FROM holding_keys WHERE holding_id = old.id; INSERT INTO follow_queue (holding_id) VALUES (new.id); END;

-- Nothing caches a router any more: the counter that told a cache it was stale goes.
DROP TRIGGER subscriptions_version_insert;
DROP TRIGGER subscriptions_version_update;
DROP TRIGGER subscriptions_version_delete;
DROP TRIGGER holdings_version_insert;
DROP TRIGGER holdings_version_update;
DROP TRIGGER holdings_version_delete;
DELETE FROM meta WHERE key = 'subscriptions_version';

-- Broad subscriptions (every alert, a source, a list, a case) are read whole at each poll.
CREATE INDEX subscriptions_kind ON subscriptions (kind);

INSERT INTO follow_queue (subscription_id) SELECT id FROM subscriptions WHERE kind = 'entity';
INSERT INTO follow_queue (holding_id) SELECT id FROM holdings;
