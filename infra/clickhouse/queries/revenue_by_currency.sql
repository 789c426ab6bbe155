-- Revenue, orders and units ordered per currency in a time range (minute rows: for the last hours).
-- params: from:time to:time
-- max-range-hours: 48
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT currency,
       sum(revenue)       AS revenue,
       sum(orders)        AS orders,
       sum(units_ordered) AS units_ordered
FROM demand_per_minute FINAL
WHERE minute >= from_time AND minute < to_time
GROUP BY currency
ORDER BY revenue DESC, currency
