-- Lookups of the review features: the alerts of a digest, and the last reminder.
-- A decision on one detail of a digest re-counts the digest ("3 of 7 reviewed"): its alerts are
-- found by the thread their deliveries carry, without reading the channel's whole history.
CREATE INDEX IF NOT EXISTS deliveries_thread ON deliveries (channel, thread_ts) WHERE thread_ts IS NOT NULL;

-- A reminder goes to a channel once a day: the last one is found without reading every alert.
CREATE INDEX IF NOT EXISTS alerts_reminders ON alerts (detected_at) WHERE type = 'review.reminder';
