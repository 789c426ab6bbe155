-- The fulfilment funnel of the orders placed in a range: how many were placed, accepted and shipped (any
-- unit), and the median seconds from placed to accepted and from accepted to the first shipment.
-- Accepted: the order's first change to a status other than PLACED, REJECTED and CANCELLED, i.e. once a
-- unit was reserved or shipped. A till sale (PLACED to SHIPPED) and an order partly cancelled before its
-- decision (PLACED to PARTIALLY_CANCELLED) are accepted then; an order cancelled whole before its decision
-- (PLACED to CANCELLED) never is, and one cancelled later was accepted before. Every shipped order is
-- accepted, at its first shipment at the latest.
-- Only the orders placed in the range are grouped: their placements (sequence 1) lie in it, and their
-- later changes at or after its start. An order is (order_id, placement): an order id placed again after
-- its first order was forgotten is another order (placement '' for rows written before V007).
-- params: from:time to:time
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT count() AS placed,
       countIf(was_accepted) AS accepted,
       countIf(was_shipped) AS shipped,
       if(countIf(was_accepted) = 0, 0,
          toInt64(round(medianIf(dateDiff('millisecond', placed_at, accepted_at), was_accepted) / 1000))) AS median_seconds_to_accept,
       if(countIf(was_shipped) = 0, 0,
          toInt64(round(medianIf(dateDiff('millisecond', accepted_at, shipped_at), was_shipped) / 1000))) AS median_seconds_to_ship
FROM
(
    SELECT order_id,
           placement,
           minIf(changed_at, sequence = 1) AS placed_at,
           countIf(status NOT IN ('PLACED', 'REJECTED', 'CANCELLED')) > 0 AS was_accepted,
           minIf(changed_at, status NOT IN ('PLACED', 'REJECTED', 'CANCELLED')) AS accepted_at,
           countIf(units_shipped > 0) > 0 AS was_shipped,
           minIf(changed_at, units_shipped > 0) AS shipped_at
    FROM order_status_changes FINAL
    WHERE changed_at >= from_time
      -- GLOBAL: on a cluster the placements are gathered from every shard once and sent to each (one server: the same as IN).
      AND (order_id, placement) GLOBAL IN (SELECT order_id, placement FROM order_status_changes
                                           WHERE sequence = 1 AND changed_at >= from_time AND changed_at < to_time)
    GROUP BY order_id, placement
)
