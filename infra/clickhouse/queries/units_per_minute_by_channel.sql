-- Units ordered per minute and channel in a time range, for the live demand chart.
-- Parameters: 1 from (epoch ms, inclusive), 2 to (epoch ms, exclusive).
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT minute,
       channel,
       sum(units_ordered) AS units_ordered
FROM demand_per_minute FINAL
WHERE minute >= from_time AND minute < to_time
GROUP BY minute, channel
ORDER BY minute, channel
