-- The pending deliveries of the platforms a process delivers, found by channel: deliveries for a
-- platform no process is configured for wait pending (and are reported), and with 30,000 of them
-- the dispatch loop's look at what falls due next read them all (3.1 ms a pass, now 0.02 ms).
CREATE INDEX deliveries_pending_channel ON deliveries (channel, alert_id) WHERE status = 'pending';

-- What a process holds: read back after each claim and given back after each pass (both read
-- every pending delivery before).
CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;
