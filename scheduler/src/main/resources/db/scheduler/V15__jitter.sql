-- jitter_seconds (PRODUCT.md section 10): a cron job's runs are sent at their slot plus a stable offset, and each
-- execution keeps when it was due to be sent (fire_at); executions made before this keep NULL and read as their slot.
ALTER TABLE jobs ADD COLUMN jitter_seconds INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE executions ADD COLUMN fire_at TIMESTAMP WITH TIME ZONE;
