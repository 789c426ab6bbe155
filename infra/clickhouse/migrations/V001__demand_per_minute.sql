-- Demand per minute and per SKU x channel x location x currency, as the analytics job writes it.
-- A row's identity is its window and dimensions; a replay after a crash writes the same identity
-- again with a version at least as high, and ReplacingMergeTree keeps one row per identity, so
-- totals read with FINAL (or argMax by version) never double count.
CREATE TABLE IF NOT EXISTS demand_per_minute
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
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(minute)
ORDER BY (sku, channel, location_id, currency, minute)
TTL minute + INTERVAL 400 DAY;
