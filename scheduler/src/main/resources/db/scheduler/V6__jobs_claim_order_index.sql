-- The claim reads due jobs in (next_run_at, id) order with a LIMIT. On next_run_at alone, every job due in the same
-- second had to be read and sorted before the first row came out (thousands of index entries per claim round when
-- many jobs share a time); on both columns the index yields the rows in claim order and the scan stops at the limit.
DROP INDEX jobs_next_run_at;
CREATE INDEX jobs_next_run_at_id ON jobs (next_run_at, id);
