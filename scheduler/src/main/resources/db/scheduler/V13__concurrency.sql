-- concurrency: forbid (PRODUCT.md section 10). A forbid job's run, when its moment comes, locks its job row and
-- looks at in_flight_execution_id: the last of its executions let through. Only one of a forbid job's executions can
-- be in flight at a time, so one id (read by primary key) answers "is one in flight?" without an index over every
-- execution of the job; jobs that allow overlap never write it.
ALTER TABLE jobs ADD COLUMN concurrency VARCHAR(10) DEFAULT 'allow' NOT NULL;
ALTER TABLE jobs ADD COLUMN in_flight_execution_id VARCHAR(40);
-- Why an execution with status 'skipped' was never sent: 'overlap'.
ALTER TABLE executions ADD COLUMN skip_reason VARCHAR(20);
