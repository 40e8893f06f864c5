-- A delivery carries a lease only while a process is sending it; the index that finds other
-- processes' live leases holds those rows alone, so the 8,467 alerts of a three-year catch-up no
-- longer each add an entry to it, and `deliveryClaimers` reads it instead of scanning the table.
DROP INDEX deliveries_channel_lease;
CREATE INDEX deliveries_channel_lease ON deliveries (channel, lease_until) WHERE lease_until IS NOT NULL;
