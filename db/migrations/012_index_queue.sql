-- Designations whose derived indexes (names, identifiers) are still to be written. A poll queues
-- them in its own transaction instead of indexing them there: the three-year SDN catch-up spent a
-- third of its commit (~340 ms) on names and identifiers that no alert waits for. Every reader of
-- those indexes first indexes what is queued (src/indexing.ts), so no lookup ever answers from an
-- index that lags the designations, and the daemon empties the queue as soon as the alerts of the
-- poll are on their way.
CREATE TABLE index_queue (
  designation_id INTEGER PRIMARY KEY REFERENCES designations(id) ON DELETE CASCADE,
  names          INTEGER NOT NULL,
  identifiers    INTEGER NOT NULL
);
