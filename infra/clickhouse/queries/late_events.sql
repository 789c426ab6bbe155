-- Order events that arrived too late for their minute (not in the demand tables), per hour of event time:
-- placements, cancels, shipments (a till sale's too) and returns alike, each with its units.
-- params: from:time to:time
WITH fromUnixTimestamp64Milli(?, 'UTC') AS from_time,
     fromUnixTimestamp64Milli(?, 'UTC') AS to_time
SELECT toStartOfHour(event_time)  AS hour,
       count()                    AS late_events,
       sum(units_ordered)         AS units_ordered,
       sum(units_cancelled)       AS units_cancelled,
       sum(units_shipped)         AS units_shipped,
       sum(units_returned)        AS units_returned
FROM late_events FINAL
WHERE event_time >= from_time AND event_time < to_time
GROUP BY hour
ORDER BY hour
