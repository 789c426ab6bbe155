-- The newest alerts, optionally of one kind, SKU and location (empty = any), newest first.
-- params: kind:text kind:text sku:text sku:text location:text location:text limit:int
SELECT event_time,
       type,
       sku,
       location_id,
       available,
       threshold,
       projected_stockout_at,
       toString(alert_id) AS alert_id
FROM inventory_alerts FINAL
WHERE (? = '' OR type = ?)
  AND (? = '' OR sku = ?)
  AND (? = '' OR location_id = ?)
ORDER BY event_time DESC, alert_id
LIMIT ?
