-- One SKU's demand per minute and channel in a time range: units ordered, cancelled, shipped, returned.
-- params: from:time to:time sku:text
-- max-range-hours: 48
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT minute,
       channel,
       sum(units_ordered)   AS units_ordered,
       sum(units_cancelled) AS units_cancelled,
       sum(units_shipped)   AS units_shipped,
       sum(units_returned)  AS units_returned
FROM demand_per_minute FINAL
WHERE minute >= from_time AND minute < to_time AND sku = ?
GROUP BY minute, channel
ORDER BY minute, channel
