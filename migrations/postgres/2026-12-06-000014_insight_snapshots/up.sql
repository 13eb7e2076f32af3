-- The insights pages' figures for their preset periods (the last 30, 90 and
-- 365 days), computed by the worker every few minutes and read by the pages,
-- so that a page people open daily does not scan a year of data each time.
CREATE TABLE insight_snapshots (
    name TEXT PRIMARY KEY NOT NULL,
    period_from TIMESTAMP NOT NULL,
    period_to TIMESTAMP NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    body TEXT NOT NULL
);
