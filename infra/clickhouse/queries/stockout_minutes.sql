-- Minutes out of stock per SKU and location ('*' = everywhere at once) within a time range, for
-- lost-sales analysis. A stock-out still going counts up to now.
-- params: from:time to:time
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT sku,
       location_id,
       round(sum(dateDiff('millisecond', greatest(started_at, from_time),
                          least(coalesce(ended_at, now64(3)), to_time))) / 60000, 2) AS stockout_minutes
FROM stockout_periods FINAL
WHERE started_at < to_time AND coalesce(ended_at, now64(3)) > from_time
GROUP BY sku, location_id
ORDER BY stockout_minutes DESC, sku, location_id
