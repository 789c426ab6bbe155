-- One SKU's stock-out periods per location that overlap a time range; a period still going has no end.
-- params: from:time to:time sku:text
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT location_id,
       started_at,
       ended_at,
       round(dateDiff('millisecond', started_at, coalesce(ended_at, now64(3))) / 60000, 1) AS minutes_out
FROM stockout_periods FINAL
WHERE started_at < to_time AND coalesce(ended_at, now64(3)) > from_time AND sku = ?
ORDER BY started_at DESC, location_id
