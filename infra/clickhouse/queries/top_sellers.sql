-- Top sellers: net units (ordered minus cancelled and returned) and the revenue of the units ordered, per
-- SKU and currency in a time range. Returns count in the hour they came back.
-- params: from:time to:time limit:int
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT sku,
       currency,
       toInt64(sum(units_ordered)) - toInt64(sum(units_cancelled)) - toInt64(sum(units_returned)) AS net_units,
       sum(revenue)                                                 AS revenue
FROM demand_per_hour FINAL
WHERE hour >= from_time AND hour < to_time
GROUP BY sku, currency
ORDER BY net_units DESC, sku
LIMIT ?
