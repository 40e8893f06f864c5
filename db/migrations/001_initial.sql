-- Poll state of each configured source. A source's content is committed only when it passes the
-- guard; held_* remember a suspicious snapshot until an operator or repetition confirms it.
CREATE TABLE sources (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  label           TEXT,
  status          TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'failing', 'held')),
  last_poll_at    TEXT,
  last_success_at TEXT,
  last_change_at  TEXT,
  baseline_at     TEXT,
  last_error      TEXT,
  record_count    INTEGER NOT NULL DEFAULT 0,
  content_hash    TEXT,
  held_hash       TEXT,
  held_count      INTEGER NOT NULL DEFAULT 0,
  held_reason     TEXT,
  accepted_hash   TEXT
);

-- HTTP validators per URL (an OFAC source reads up to four files).
CREATE TABLE source_validators (
  source_id     TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  PRIMARY KEY (source_id, url)
);

-- Current and past entries of every list. Removed entries stay, with removed_at, so history and
-- "removed from X on D" lookups keep working.
CREATE TABLE designations (
  id           INTEGER PRIMARY KEY,
  source_id    TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  list         TEXT NOT NULL,
  name         TEXT NOT NULL,
  record       TEXT NOT NULL,
  first_seen   TEXT NOT NULL,
  last_changed TEXT NOT NULL,
  removed_at   TEXT,
  UNIQUE (source_id, key)
);
CREATE INDEX designations_list ON designations (list);

-- Every change ever detected: the history of an entity.
CREATE TABLE changes (
  id          INTEGER PRIMARY KEY,
  source_id   TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  list        TEXT NOT NULL,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('designation.added', 'designation.removed', 'designation.amended')),
  fields      TEXT,
  before      TEXT,
  after       TEXT,
  detected_at TEXT NOT NULL
);
CREATE INDEX changes_entity ON changes (source_id, key);

CREATE TABLE feed_items (
  source_id    TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  guid         TEXT NOT NULL,
  title        TEXT NOT NULL,
  link         TEXT,
  published_at TEXT,
  summary      TEXT NOT NULL,
  first_seen   TEXT NOT NULL,
  PRIMARY KEY (source_id, guid)
);

-- kind 'all' stores value '' so that UNIQUE catches duplicates.
CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  channel       TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('all', 'source', 'list', 'entity')),
  value         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  UNIQUE (channel, kind, value)
);

-- A channel the platform refused (bot removed, channel archived): deliveries wait, not die.
CREATE TABLE channel_state (
  channel       TEXT PRIMARY KEY,
  paused_reason TEXT,
  paused_at     TEXT
);

-- The outbox. Alerts are written in the same transaction as the change that caused them.
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,
  source_id   TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  payload     TEXT NOT NULL,
  change_id   INTEGER REFERENCES changes(id)
);

CREATE TABLE deliveries (
  alert_id        INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  message_id      TEXT,
  sent_at         TEXT,
  PRIMARY KEY (alert_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
