-- A channel told to wait (a 429's Retry-After, Slack's pace, a backoff) waits as a whole until
-- held_until: one write per refusal, where every pending delivery of the channel was rewritten
-- before (a 1,348-message catch-up rewrote its backlog at each 429), and an alert queued during
-- the wait cannot overtake the one refused.
ALTER TABLE channel_state ADD COLUMN held_until TEXT;
