-- Remembered false positives. "Not us" on an alert that reached a channel by a name (a followed
-- company's or a holding's, not an identifier) clears that listed entry for that channel: its
-- later changes do not alert the channel again while what makes it that entry (names,
-- identifiers, addresses, programs: `material`, as it was) is unchanged. A clearance is undone by
-- a decision of its own ('uncleared'), so decisions gain that action: the table is rebuilt with
-- its rows, its index and its triggers.
DROP TRIGGER decisions_never_rewritten;
DROP TRIGGER decisions_never_deleted;
CREATE TABLE decisions_new (
  id          INTEGER PRIMARY KEY,
  alert_id    INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  user_name   TEXT,
  action      TEXT NOT NULL CHECK (action IN ('ack', 'not-us', 'escalate', 'note', 'uncleared')),
  reason      TEXT,
  note        TEXT,
  decided_at  TEXT NOT NULL,
  request_key TEXT NOT NULL UNIQUE
);
INSERT INTO decisions_new SELECT id, alert_id, channel, user_id, user_name, action, reason, note, decided_at, request_key FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX decisions_alert ON decisions (alert_id, channel);
CREATE TRIGGER decisions_never_rewritten BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are records: a later decision supersedes, none is rewritten'); END;
CREATE TRIGGER decisions_never_deleted BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are records: none is deleted'); END;

CREATE TABLE clearances (
  id            INTEGER PRIMARY KEY,
  channel       TEXT NOT NULL,
  list          TEXT NOT NULL,
  entry_key     TEXT NOT NULL,
  entry_name    TEXT NOT NULL,
  material      TEXT NOT NULL,
  decision_id   INTEGER NOT NULL UNIQUE,
  cleared_at    TEXT NOT NULL,
  cleared_by    TEXT NOT NULL,
  undone_by     INTEGER
);
CREATE INDEX clearances_entry ON clearances (list, entry_key);
