-- Several processes may dispatch at once (`start`, a cron `poll`, `sources accept`): a process
-- claims a channel's due deliveries for a lease before sending, so no two send the same row; a
-- claim left by a crashed process expires with its lease.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
-- A Slack digest names its alerts in one message and details each in its thread: a detail still
-- to post carries the digest's message id, and is posted into that thread, in order.
ALTER TABLE deliveries ADD COLUMN thread_ts TEXT;
-- The batch a delivery was first handed to a platform in: after a crash it is sent again as the
-- same batch, so the platform gets the same messages (and Discord's nonces dedupe them).
ALTER TABLE deliveries ADD COLUMN batch_key TEXT;
CREATE INDEX deliveries_channel_lease ON deliveries (channel, lease_until);

-- One poll of a source at a time across processes: the daemon's schedule and a cron `poll`.
ALTER TABLE sources ADD COLUMN poll_claimed_by TEXT;
ALTER TABLE sources ADD COLUMN poll_lease_until TEXT;

-- When a feed last listed each item: retention prunes only items gone from their feed for long,
-- which cannot come back as "new".
ALTER TABLE feed_items ADD COLUMN last_seen TEXT;
