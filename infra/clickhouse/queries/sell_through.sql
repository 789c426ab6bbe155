-- Sell-through per SKU: units shipped in a range of days, less those returned in it (back on hand when
-- restocked), against those units plus what is on hand now (all locations). 1.0 = everything sold
-- through; 0.0 = nothing shipped, or all of it returned. A till sale counts as shipped.
-- params: from:time to:time
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT sku,
       net_shipped,
       on_hand,
       -- A range whose returns outnumber its shipments (units shipped before it came back) sold nothing through.
       if(greatest(net_shipped, 0) + on_hand <= 0, 0, round(greatest(net_shipped, 0) / (greatest(net_shipped, 0) + on_hand), 4)) AS sell_through
FROM
(
    SELECT sku, toInt64(sum(units_shipped)) - toInt64(sum(units_returned)) AS net_shipped
    FROM demand_per_day FINAL
    WHERE day >= from_time AND day < to_time
    GROUP BY sku
) AS demand
LEFT JOIN
(
    SELECT sku, toInt64(argMax(on_hand, version)) AS on_hand
    FROM availability_changes FINAL
    WHERE location_id = '*'
    GROUP BY sku
) AS stock USING (sku)
ORDER BY sell_through DESC, sku
