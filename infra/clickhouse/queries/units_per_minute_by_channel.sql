-- Units ordered and orders placed per minute and channel in a time range, for the live demand charts.
-- params: from:time to:time
-- max-range-hours: 48
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT minute,
       channel,
       sum(units_ordered) AS units_ordered,
       sum(orders)        AS orders
FROM demand_per_minute FINAL
WHERE minute >= from_time AND minute < to_time
GROUP BY minute, channel
ORDER BY minute, channel
