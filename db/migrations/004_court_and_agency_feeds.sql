-- Court entries and Federal Register documents keep their structure (court, docket, case name,
-- document type, citation, ...) in `data`; court and docket are columns for case timelines.
-- Every item is stored, alert or not, so lookups and history can show what named a company.
ALTER TABLE feed_items ADD COLUMN data TEXT;
ALTER TABLE feed_items ADD COLUMN court TEXT;
ALTER TABLE feed_items ADD COLUMN docket TEXT;
ALTER TABLE feed_items ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX feed_items_case ON feed_items (docket, court);

-- The companies each stored item names: listed entities, and followed names on no list.
CREATE TABLE feed_mentions (
  source_id  TEXT NOT NULL,
  guid       TEXT NOT NULL,
  normalized TEXT NOT NULL,
  name       TEXT NOT NULL,
  list       TEXT,
  entity_key TEXT,
  FOREIGN KEY (source_id, guid) REFERENCES feed_items (source_id, guid) ON DELETE CASCADE
);
CREATE INDEX feed_mentions_name ON feed_mentions (normalized);
CREATE INDEX feed_mentions_item ON feed_mentions (source_id, guid);

-- Channels may follow a court case ('case': value "<court or *> <docket>").
CREATE TABLE subscriptions_new (
  id            INTEGER PRIMARY KEY,
  channel       TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('all', 'source', 'list', 'entity', 'case')),
  value         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  UNIQUE (channel, kind, value)
);
INSERT INTO subscriptions_new (id, channel, kind, value, created_at) SELECT id, channel, kind, value, created_at FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;

-- A counter bumped in the same transaction as every subscription change: ids are reused after
-- the newest is deleted, so counting and summing ids cannot tell a router its cache is stale.
INSERT OR IGNORE INTO meta (key, value) VALUES ('subscriptions_version', 0);
CREATE TRIGGER subscriptions_version_insert AFTER INSERT ON subscriptions
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;
CREATE TRIGGER subscriptions_version_update AFTER UPDATE ON subscriptions
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;
CREATE TRIGGER subscriptions_version_delete AFTER DELETE ON subscriptions
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;

-- CourtListener webhook deliveries already handled, by their Idempotency-Key.
CREATE TABLE webhook_events (
  source_id       TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  items           INTEGER NOT NULL,
  PRIMARY KEY (source_id, idempotency_key)
);
