-- Hours and days as the tables the job wrote had them: views of demand_per_minute FINAL, and before the
-- minutes' first full period the archived rows the job wrote until V005 (demand_per_hour_until_v005,
-- demand_per_day_until_v005). Queries written for the tables, FINAL included, read the views unchanged.
-- The cut-over is the first period the minutes hold. The archive keeps that period too when it holds a
-- later one (it was written whole, while the minutes' TTL may have eaten its start): then the minutes
-- count from the next period on. Each period comes from one source, so nothing counts twice.
-- inserted_at is when the newest minute of the period was written; for archived periods it is unknown
-- (1970-01-01).

-- Deployments that applied V005 as first released dropped the tables: they get empty ones, which a
-- backup of the old tables may be restored into.
CREATE TABLE IF NOT EXISTS demand_per_hour_until_v005
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

CREATE TABLE IF NOT EXISTS demand_per_day_until_v005
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

CREATE OR REPLACE VIEW demand_per_hour AS
WITH (SELECT toStartOfHour(minOrNull(minute)) FROM demand_per_minute) AS first_minute_hour,
     (SELECT maxOrNull(hour) FROM demand_per_hour_until_v005) AS last_archived_hour,
     coalesce(if(last_archived_hour > first_minute_hour, first_minute_hour + INTERVAL 1 HOUR, first_minute_hour),
              toDateTime('2106-01-01 00:00:00', 'UTC')) AS cutover
SELECT toStartOfHour(minute) AS hour,
       sku, channel, location_id, currency,
       sum(units_ordered)   AS units_ordered,
       sum(orders)          AS orders,
       sum(revenue)         AS revenue,
       sum(units_cancelled) AS units_cancelled,
       sum(units_shipped)   AS units_shipped,
       sum(units_returned)  AS units_returned,
       sum(version)         AS version,
       max(inserted_at)     AS inserted_at
FROM demand_per_minute FINAL
WHERE minute >= cutover
GROUP BY hour, sku, channel, location_id, currency
UNION ALL
SELECT hour, sku, channel, location_id, currency, units_ordered, orders, revenue, units_cancelled, units_shipped,
       units_returned, version, toDateTime64(0, 3, 'UTC') AS inserted_at
FROM demand_per_hour_until_v005 FINAL
WHERE hour < cutover;

CREATE OR REPLACE VIEW demand_per_day AS
WITH (SELECT toStartOfDay(minOrNull(minute)) FROM demand_per_minute) AS first_minute_day,
     (SELECT maxOrNull(day) FROM demand_per_day_until_v005) AS last_archived_day,
     coalesce(if(last_archived_day > first_minute_day, first_minute_day + INTERVAL 1 DAY, first_minute_day),
              toDateTime('2106-01-01 00:00:00', 'UTC')) AS cutover
SELECT toStartOfDay(minute) AS day,
       sku, channel, location_id, currency,
       sum(units_ordered)   AS units_ordered,
       sum(orders)          AS orders,
       sum(revenue)         AS revenue,
       sum(units_cancelled) AS units_cancelled,
       sum(units_shipped)   AS units_shipped,
       sum(units_returned)  AS units_returned,
       sum(version)         AS version,
       max(inserted_at)     AS inserted_at
FROM demand_per_minute FINAL
WHERE minute >= cutover
GROUP BY day, sku, channel, location_id, currency
UNION ALL
SELECT day, sku, channel, location_id, currency, units_ordered, orders, revenue, units_cancelled, units_shipped,
       units_returned, version, toDateTime64(0, 3, 'UTC') AS inserted_at
FROM demand_per_day_until_v005 FINAL
WHERE day < cutover;
