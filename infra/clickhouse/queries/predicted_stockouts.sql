-- SKUs whose latest alert projects a stock-out that has not happened yet, soonest first.
-- params: limit:int
SELECT sku,
       location_id,
       projected_stockout_at,
       available,
       latest_alert_at
FROM
(
    SELECT sku,
           location_id,
           argMax(type, event_time)                  AS latest_type,
           argMax(projected_stockout_at, event_time) AS projected_stockout_at,
           argMax(available, event_time)             AS available,
           max(event_time)                           AS latest_alert_at
    FROM inventory_alerts FINAL
    GROUP BY sku, location_id
)
WHERE latest_type IN ('PREDICTED_STOCKOUT', 'LOW_STOCK') AND projected_stockout_at IS NOT NULL
ORDER BY projected_stockout_at, sku, location_id
LIMIT ?
