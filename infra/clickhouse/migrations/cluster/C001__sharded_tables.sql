-- The tables of V001..V007 on a cluster. Each table is two: <name>_local on every shard holds that
-- shard's rows (ReplacingMergeTree on the row's identity, as on one server), and <name> is a Distributed
-- table over them under the name the job writes and the queries read. FINAL merges within one server
-- only, so every copy of a row must land on the same shard: the sharding key hashes columns of the
-- identity (the SKU, the order, the delivery, the fact), which also keeps a SKU's or an order's rows together.
-- A cluster starts after V005: hours and days are views of the minutes, with no archive of older periods.

CREATE TABLE IF NOT EXISTS demand_per_minute_local ${on_cluster}
(
    minute          DateTime('UTC'),
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
    version         UInt64,
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${ReplacingMergeTree(version)}
PARTITION BY toYYYYMM(minute)
ORDER BY (sku, channel, location_id, currency, minute)
TTL minute + INTERVAL 5 YEAR;

CREATE TABLE IF NOT EXISTS demand_per_minute ${on_cluster} AS demand_per_minute_local
ENGINE = Distributed(${cluster}, ${database}, demand_per_minute_local, cityHash64(sku));

CREATE TABLE IF NOT EXISTS late_events_local ${on_cluster}
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
ENGINE = ${ReplacingMergeTree()}
PARTITION BY toYYYYMM(event_time)
ORDER BY (event_time, fact_id)
TTL toDateTime(event_time) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS late_events ${on_cluster} AS late_events_local
ENGINE = Distributed(${cluster}, ${database}, late_events_local, cityHash64(fact_id));

CREATE TABLE IF NOT EXISTS availability_changes_local ${on_cluster}
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
ENGINE = ${ReplacingMergeTree()}
PARTITION BY toYYYYMM(changed_at)
ORDER BY (sku, location_id, version)
TTL toDateTime(changed_at) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS availability_changes ${on_cluster} AS availability_changes_local
ENGINE = Distributed(${cluster}, ${database}, availability_changes_local, cityHash64(sku));

CREATE TABLE IF NOT EXISTS stockout_periods_local ${on_cluster}
(
    sku             LowCardinality(String),
    location_id     LowCardinality(String),
    started_at      DateTime64(3, 'UTC'),
    ended_at        Nullable(DateTime64(3, 'UTC')),
    closed          UInt8
)
ENGINE = ${ReplacingMergeTree(closed)}
PARTITION BY toYYYYMM(started_at)
ORDER BY (sku, location_id, started_at)
TTL toDateTime(started_at) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS stockout_periods ${on_cluster} AS stockout_periods_local
ENGINE = Distributed(${cluster}, ${database}, stockout_periods_local, cityHash64(sku));

CREATE TABLE IF NOT EXISTS inventory_alerts_local ${on_cluster}
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
ENGINE = ${ReplacingMergeTree()}
PARTITION BY toYYYYMM(event_time)
ORDER BY (sku, event_time, alert_id)
TTL toDateTime(event_time) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS inventory_alerts ${on_cluster} AS inventory_alerts_local
ENGINE = Distributed(${cluster}, ${database}, inventory_alerts_local, cityHash64(sku));

CREATE TABLE IF NOT EXISTS order_status_changes_local ${on_cluster}
(
    order_id        String,
    sequence        UInt64,
    changed_at      DateTime64(3, 'UTC'),
    channel         LowCardinality(String),
    previous_status LowCardinality(String),
    status          LowCardinality(String),
    caused_by       String,
    units_ordered   Int32,
    units_reserved  Int32,
    units_refused   Int32,
    units_shipped   Int32,
    units_cancelled Int32,
    units_returned  Int32,
    units_expired   Int32,
    placement       String
)
ENGINE = ${ReplacingMergeTree()}
PARTITION BY toYYYYMM(changed_at)
ORDER BY (order_id, sequence, placement)
TTL toDateTime(changed_at) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS order_status_changes ${on_cluster} AS order_status_changes_local
ENGINE = Distributed(${cluster}, ${database}, order_status_changes_local, cityHash64(order_id, placement));

CREATE TABLE IF NOT EXISTS notification_attempts_local ${on_cluster}
(
    delivery_id      String,
    subscription_id  LowCardinality(String),
    notice_id        String,
    kind             LowCardinality(String),
    destination_kind LowCardinality(String),
    attempt          UInt32,
    attempted_at     DateTime64(3, 'UTC'),
    status_code      Int32,
    latency_ms       UInt64,
    outcome          LowCardinality(String),
    failure          String,
    next_attempt_at  Nullable(DateTime64(3, 'UTC'))
)
ENGINE = ${ReplacingMergeTree()}
PARTITION BY toYYYYMM(attempted_at)
ORDER BY (subscription_id, delivery_id, attempt)
TTL toDateTime(attempted_at) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS notification_attempts ${on_cluster} AS notification_attempts_local
ENGINE = Distributed(${cluster}, ${database}, notification_attempts_local, cityHash64(delivery_id));

-- Hours and days, rolled up when read from the minutes of every shard, each minute once (FINAL on each shard).
CREATE OR REPLACE VIEW demand_per_hour ${on_cluster} AS
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
GROUP BY hour, sku, channel, location_id, currency;

CREATE OR REPLACE VIEW demand_per_day ${on_cluster} AS
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
GROUP BY day, sku, channel, location_id, currency;
