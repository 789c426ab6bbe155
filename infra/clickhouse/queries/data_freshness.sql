-- How fresh the demand figures are: the newest minute written, and how long ago that minute ended.
-- minute_rows counts the rows stored (a replayed minute counts again until ClickHouse merges it): it
-- tells whether there are any, cheaply.
-- params:
SELECT max(minute)                                          AS newest_minute,
       max(inserted_at)                                     AS last_written_at,
       dateDiff('second', max(minute) + INTERVAL 1 MINUTE, now()) AS seconds_since_newest_minute_ended,
       count()                                              AS minute_rows
FROM demand_per_minute
