-- The node that claimed a running execution (whose lease it holds), and the node that made each attempt. NULL for
-- rows written before nodes were recorded.
ALTER TABLE executions ADD COLUMN node_id VARCHAR(40);
ALTER TABLE attempts ADD COLUMN node_id VARCHAR(40);
