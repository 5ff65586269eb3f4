-- catch_up (PRODUCT.md section 10): what a cron job does about slots missed while no node could run it, and how many
-- of them it never ran.
ALTER TABLE jobs ADD COLUMN catch_up VARCHAR(10) DEFAULT 'latest' NOT NULL;
ALTER TABLE jobs ADD COLUMN missed_runs BIGINT DEFAULT 0 NOT NULL;
