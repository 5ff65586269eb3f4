-- A cron job may pause itself after this many failed executions in a row (PRODUCT.md section 10), counted in
-- failure_streak: a success resets it, and so does the pause itself, so that a resumed job starts counting anew.
ALTER TABLE jobs ADD COLUMN pause_after_failures INT;
ALTER TABLE jobs ADD COLUMN failure_streak INT DEFAULT 0 NOT NULL;
