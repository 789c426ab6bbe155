-- When each demand row reached ClickHouse, set by the server on insert. Dashboards show how fresh the
-- figures are (now() - max(inserted_at)), and the benchmark measures the job's lag from it: a minute's
-- rows land at the minute's end plus the out-of-orderness bound plus the job's and the sink's delay.
ALTER TABLE demand_per_minute ADD COLUMN IF NOT EXISTS inserted_at DateTime64(3, 'UTC') DEFAULT now64(3);
