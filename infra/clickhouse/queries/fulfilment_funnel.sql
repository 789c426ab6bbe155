-- The fulfilment funnel of the orders placed in a range: how many were placed, accepted (whole or in
-- part) and shipped (any unit), and the median seconds from placed to accepted and from accepted to
-- the first shipment.
-- params: from:time to:time
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time,
     toDateTime64(0, 3, 'UTC') AS never
SELECT count() AS placed,
       countIf(accepted_at > never) AS accepted,
       countIf(shipped_at > never) AS shipped,
       if(countIf(accepted_at > never) = 0, 0,
          toInt64(round(medianIf(dateDiff('millisecond', placed_at, accepted_at), accepted_at > never) / 1000))) AS median_seconds_to_accept,
       if(countIf(shipped_at > never AND accepted_at > never) = 0, 0,
          toInt64(round(medianIf(dateDiff('millisecond', accepted_at, shipped_at), shipped_at > never AND accepted_at > never) / 1000)))
           AS median_seconds_to_ship
FROM
(
    SELECT order_id,
           minIf(changed_at, sequence = 1) AS placed_at,
           minIf(changed_at, status IN ('ACCEPTED', 'PARTIALLY_ACCEPTED')) AS accepted_at,
           minIf(changed_at, units_shipped > 0) AS shipped_at
    FROM order_status_changes FINAL
    GROUP BY order_id
)
WHERE placed_at >= from_time AND placed_at < to_time
