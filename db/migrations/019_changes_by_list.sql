-- The recent changes of one list across its sources: a designation the CSL repeats from OFAC is
-- found as the same event, not announced twice.
CREATE INDEX IF NOT EXISTS changes_by_list ON changes (list, type, detected_at);
