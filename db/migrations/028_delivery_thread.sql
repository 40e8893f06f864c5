-- The message a digest's alerts belong under, whatever the platform calls it (a Slack thread's ts,
-- a Discord message id): the outbox names no platform.
ALTER TABLE deliveries RENAME COLUMN thread_ts TO thread;
