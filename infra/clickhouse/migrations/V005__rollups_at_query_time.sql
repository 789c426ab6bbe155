-- Hours and days are rolled up from demand_per_minute when they are read, no longer written by the job.
-- The views (V006) read the minutes with FINAL, so a minute the job replayed or corrected counts once; a
-- materialized view would add each copy again. The job writes one row per minute and dimensions instead
-- of three (minute, hour, day), which halves the rows ClickHouse takes and takes the rollup state out of
-- the job. Minutes are now kept as long as days were.
-- The tables the job wrote keep hours (3 years) and days (5 years) the minutes (400 days until now) no
-- longer hold: they are kept under new names, with their own TTLs, and the views read them for the
-- periods before the oldest minute.
-- Revised: as first released this migration dropped the two tables (MIGRATIONS keeps that text's
-- checksum); V006 gives deployments that applied it empty tables of the new names.
ALTER TABLE demand_per_minute MODIFY TTL minute + INTERVAL 5 YEAR;

RENAME TABLE demand_per_hour TO demand_per_hour_until_v005;

RENAME TABLE demand_per_day TO demand_per_day_until_v005;
