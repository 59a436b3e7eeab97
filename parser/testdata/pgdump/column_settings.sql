-- Per-column planner settings: not managed, skipped with a warning; the
-- statements pg_dump writes for them must still fold.
CREATE TABLE events (id bigint NOT NULL, kind text, payload jsonb);
ALTER TABLE events ALTER COLUMN kind SET STATISTICS 1000;
ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE events ALTER COLUMN payload SET COMPRESSION pglz;
ALTER TABLE events ALTER COLUMN kind SET (n_distinct = 50);
CREATE MATERIALIZED VIEW events_mv AS SELECT events.id, events.kind FROM events;
ALTER MATERIALIZED VIEW events_mv ALTER COLUMN kind SET STATISTICS 200;
CREATE INDEX events_lower_kind ON events (lower(kind));
ALTER INDEX events_lower_kind ALTER COLUMN 1 SET STATISTICS 500;
