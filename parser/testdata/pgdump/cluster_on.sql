-- The clustered index: not managed, skipped with a warning; pg_dump's
-- ALTER TABLE ... CLUSTER ON must still fold.
CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE INDEX events_at ON events (at);
ALTER TABLE events CLUSTER ON events_at;
CREATE TABLE logs (id bigint PRIMARY KEY);
ALTER TABLE logs CLUSTER ON logs_pkey;
