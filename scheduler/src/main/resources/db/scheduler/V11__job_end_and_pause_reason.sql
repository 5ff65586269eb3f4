-- A cron job's end (no slot after it runs) and why a paused job was paused (PRODUCT.md section 10).
ALTER TABLE jobs ADD COLUMN end_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE jobs ADD COLUMN paused_reason VARCHAR(500);
