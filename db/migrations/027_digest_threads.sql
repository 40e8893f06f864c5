-- A decision on one detail of a digest re-counts the digest ("3 of 7 reviewed"): its alerts are
-- found by the thread their deliveries carry, without reading the channel's whole history.
CREATE INDEX IF NOT EXISTS deliveries_thread ON deliveries (channel, thread_ts) WHERE thread_ts IS NOT NULL;
