-- What a channel decided about an alert it received: acknowledged, not us (a false positive, with
-- a reason), escalated, or a note. Records, never rewritten: a later decision supersedes an
-- earlier one, and the triggers refuse any update or delete. An alert a decision concerns is kept
-- beyond the retention period (db/retention.ts), with the change it carries.
-- request_key is the platform's own key for the click or submission (Slack and Discord may send
-- one twice): the same key records once.
CREATE TABLE decisions (
  id         INTEGER PRIMARY KEY,
  alert_id   INTEGER NOT NULL,
  channel    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  user_name  TEXT,
  action     TEXT NOT NULL CHECK (action IN ('ack', 'not-us', 'escalate', 'note')),
  reason     TEXT,
  note       TEXT,
  decided_at TEXT NOT NULL,
  request_key TEXT NOT NULL UNIQUE
);
CREATE INDEX decisions_alert ON decisions (alert_id, channel);
CREATE TRIGGER decisions_never_rewritten BEFORE UPDATE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are records: a later decision supersedes, none is rewritten'); END;
CREATE TRIGGER decisions_never_deleted BEFORE DELETE ON decisions
  BEGIN SELECT RAISE(ABORT, 'decisions are records: none is deleted'); END;
