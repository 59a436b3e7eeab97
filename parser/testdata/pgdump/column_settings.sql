-- Per-column planner settings. Statistics targets of table columns and of
-- index expressions are modelled: pg_dump's spelling must give the same
-- catalog. The others (storage, compression, options, a materialized
-- view's target) are skipped with a warning, and must still fold.
CREATE TABLE events (id bigint NOT NULL, kind text, payload jsonb);
ALTER TABLE events ALTER COLUMN kind SET STATISTICS 1000, ALTER COLUMN id SET STATISTICS 0;
ALTER TABLE events ALTER COLUMN payload SET STATISTICS 300;
ALTER TABLE events ALTER COLUMN payload SET STATISTICS -1;
ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE events ALTER COLUMN payload SET COMPRESSION pglz;
ALTER TABLE events ALTER COLUMN kind SET (n_distinct = 50);
CREATE MATERIALIZED VIEW events_mv AS SELECT events.id, events.kind FROM events;
ALTER MATERIALIZED VIEW events_mv ALTER COLUMN kind SET STATISTICS 200;
CREATE INDEX events_lower_kind ON events (id, lower(kind), (payload->>'x'));
ALTER INDEX events_lower_kind ALTER COLUMN 3 SET STATISTICS 50;
ALTER INDEX events_lower_kind ALTER COLUMN 2 SET STATISTICS 500;
