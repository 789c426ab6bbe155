-- Hours and days are rolled up from demand_per_minute when they are read, no longer written by the job.
-- The views read the minutes with FINAL, so a minute the job replayed or corrected counts once; a
-- materialized view would add each copy again. The job writes one row per minute and dimensions instead
-- of three (minute, hour, day), which halves the rows ClickHouse takes and takes the rollup state out of
-- the job. Minutes are now kept as long as days were, because the views are all there is.
-- The tables the job wrote held nothing the minutes do not: they go, and views of the same names,
-- columns and figures take their place. Queries written for the tables, FINAL included, read the
-- views unchanged.
ALTER TABLE demand_per_minute MODIFY TTL minute + INTERVAL 5 YEAR;

DROP TABLE IF EXISTS demand_per_hour;

DROP TABLE IF EXISTS demand_per_day;

CREATE VIEW IF NOT EXISTS demand_per_hour AS
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

CREATE VIEW IF NOT EXISTS demand_per_day AS
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
