-- Investment teams' holdings, per channel: matched to listings by identifier first (ISIN,
-- ticker + exchange, USCC, LEI), then by name.
CREATE TABLE holdings (
  id         INTEGER PRIMARY KEY,
  channel    TEXT NOT NULL,
  name       TEXT,
  normalized TEXT,
  isin       TEXT,
  ticker     TEXT,
  exchange   TEXT,
  lei        TEXT,
  uscc       TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX holdings_channel ON holdings (channel);

-- A holding routes alerts like a subscription: the router's cache counter moves with them.
CREATE TRIGGER holdings_version_insert AFTER INSERT ON holdings
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;
CREATE TRIGGER holdings_version_update AFTER UPDATE ON holdings
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;
CREATE TRIGGER holdings_version_delete AFTER DELETE ON holdings
  BEGIN UPDATE meta SET value = value + 1 WHERE key = 'subscriptions_version'; END;

-- The identifiers of every designation (current and removed), and the names it is Linked To
-- (type 'LinkedTo', normalised), for matching holdings without reading every record.
CREATE TABLE designation_identifiers (
  designation_id INTEGER NOT NULL REFERENCES designations(id) ON DELETE CASCADE,
  type           TEXT NOT NULL,
  value          TEXT NOT NULL,
  exchange       TEXT
);
CREATE INDEX designation_identifiers_value ON designation_identifiers (type, value);
CREATE INDEX designation_identifiers_designation ON designation_identifiers (designation_id);

-- Records stored before this version lack their identifiers and CMIC dates. Forget each source's
-- content hash and HTTP validators once, so the next poll parses the list again even if it has not
-- changed: the diff stores the records in their new form without alerting (nothing changed).
UPDATE sources SET content_hash = NULL;
DELETE FROM source_validators;
