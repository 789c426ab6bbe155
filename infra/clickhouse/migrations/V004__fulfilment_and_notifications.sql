-- Order status changes (the fulfilment funnel) and the notifier's delivery log, both written by the
-- analytics job. ReplacingMergeTree on each row's identity: a replay after a restart writes the same
-- rows again, and FINAL (or a merge) keeps one of each.
CREATE TABLE IF NOT EXISTS order_status_changes
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
    units_expired   Int32
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(changed_at)
ORDER BY (order_id, sequence)
TTL toDateTime(changed_at) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS notification_attempts
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
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(attempted_at)
ORDER BY (subscription_id, delivery_id, attempt)
TTL toDateTime(attempted_at) + INTERVAL 90 DAY;
