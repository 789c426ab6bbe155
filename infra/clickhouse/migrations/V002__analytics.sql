-- The analytics job's tables besides demand_per_minute (V001). Every table is a ReplacingMergeTree
-- whose sorting key is the row's identity: a replay after a restart writes the same identity again and
-- ClickHouse keeps one row for it. Read them with FINAL (the queries in infra/clickhouse/queries do).

-- Rollups of demand_per_minute, computed by the job: a corrected minute replaces its old figures in
-- the hour and day (a materialized view would add every replayed or corrected minute again).
CREATE TABLE IF NOT EXISTS demand_per_hour
(
    hour            DateTime('UTC'),
    sku             LowCardinality(String),
    channel         LowCardinality(String),
    location_id     LowCardinality(String),
    currency        LowCardinality(String),
    units_ordered   UInt64,
    orders          UInt64,
    revenue         Decimal(18, 4),
    units_cancelled UInt64,
    units_shipped   UInt64,
    units_returned  UInt64,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (sku, channel, location_id, currency, hour)
TTL hour + INTERVAL 3 YEAR;

CREATE TABLE IF NOT EXISTS demand_per_day
(
    day             DateTime('UTC'),
    sku             LowCardinality(String),
    channel         LowCardinality(String),
    location_id     LowCardinality(String),
    currency        LowCardinality(String),
    units_ordered   UInt64,
    orders          UInt64,
    revenue         Decimal(18, 4),
    units_cancelled UInt64,
    units_shipped   UInt64,
    units_returned  UInt64,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(day)
ORDER BY (sku, channel, location_id, currency, day)
TTL day + INTERVAL 5 YEAR;

-- Order events that arrived after their minute was closed (watermark past the window end plus the
-- allowed lateness). They are not in the demand tables; this is where they are counted.
CREATE TABLE IF NOT EXISTS late_events
(
    event_time      DateTime64(3, 'UTC'),
    fact_id         String,
    sku             LowCardinality(String),
    channel         LowCardinality(String),
    location_id     LowCardinality(String),
    currency        LowCardinality(String),
    units_ordered   UInt64,
    orders          UInt64,
    revenue         Decimal(18, 4),
    units_cancelled UInt64,
    units_shipped   UInt64,
    units_returned  UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_time, fact_id)
TTL toDateTime(event_time) + INTERVAL 400 DAY;

-- Each change of a SKU's stock at a location ('*' = all locations), from the inventory service's positions.
CREATE TABLE IF NOT EXISTS availability_changes
(
    sku             LowCardinality(String),
    location_id     LowCardinality(String),
    version         UInt64,
    changed_at      DateTime64(3, 'UTC'),
    available       Int32,
    on_hand         Int32,
    committed       Int32,
    unavailable     Int32
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(changed_at)
ORDER BY (sku, location_id, version)
TTL toDateTime(changed_at) + INTERVAL 400 DAY;

-- Times with nothing available. Written open (ended_at NULL, closed 0) when they start and again
-- closed (closed 1) when they end; the closed row replaces the open one.
CREATE TABLE IF NOT EXISTS stockout_periods
(
    sku             LowCardinality(String),
    location_id     LowCardinality(String),
    started_at      DateTime64(3, 'UTC'),
    ended_at        Nullable(DateTime64(3, 'UTC')),
    closed          UInt8
)
ENGINE = ReplacingMergeTree(closed)
PARTITION BY toYYYYMM(started_at)
ORDER BY (sku, location_id, started_at)
TTL toDateTime(started_at) + INTERVAL 400 DAY;

-- Every alert on the alerts topic: the inventory service's and this job's predicted stock-outs.
CREATE TABLE IF NOT EXISTS inventory_alerts
(
    event_time            DateTime64(3, 'UTC'),
    alert_id              UUID,
    sku                   LowCardinality(String),
    location_id           LowCardinality(String),
    type                  LowCardinality(String),
    available             Int32,
    threshold             Int32,
    projected_stockout_at Nullable(DateTime64(3, 'UTC')),
    caused_by_event_id    Nullable(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(event_time)
ORDER BY (sku, event_time, alert_id)
TTL toDateTime(event_time) + INTERVAL 400 DAY;
