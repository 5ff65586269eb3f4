-- The worker claims per endpoint: the oldest due deliveries of one endpoint, as many as it has free send slots.
-- This index answers that with a range as long as the claim, and finds the endpoints with pending deliveries by
-- skipping from one endpoint to the next. Finished deliveries (next_attempt_at NULL) sort after each endpoint's
-- pending ones, out of both ranges.
-- Written in the SQL subset shared by PostgreSQL and H2 (PostgreSQL mode).
CREATE INDEX deliveries_endpoint_due ON deliveries (endpoint_id, next_attempt_at);

-- The time-ordered index goes: given it, PostgreSQL answers a claim for one endpoint by walking every endpoint's due
-- deliveries in time order (the generic plan of a prepared claim picks it), which is the cost this change removes.
DROP INDEX deliveries_due;
