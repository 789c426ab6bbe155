-- SKUs out of stock now, per location ('*' = everywhere at once), longest first.
-- params: limit:int
SELECT sku,
       location_id,
       started_at,
       round(dateDiff('millisecond', started_at, now64(3)) / 60000, 1) AS minutes_out
FROM stockout_periods FINAL
WHERE closed = 0
ORDER BY started_at, sku, location_id
LIMIT ?
