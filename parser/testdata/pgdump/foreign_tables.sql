-- Foreign tables: pg_dump writes the columns' OPTIONS and SET STATISTICS
-- as ALTER FOREIGN TABLE statements after CREATE FOREIGN TABLE, a
-- foreign partition as a table of its own attached after, and a NOT
-- VALID check as ALTER FOREIGN TABLE ... ADD CONSTRAINT.
CREATE FOREIGN DATA WRAPPER dummy;
CREATE SERVER s1 FOREIGN DATA WRAPPER dummy OPTIONS (host 'db');
CREATE FOREIGN TABLE remote_users (
    id integer NOT NULL,
    name text OPTIONS (column_name 'user_name') DEFAULT 'x',
    score int,
    CONSTRAINT id_positive CHECK (id > 0)
) SERVER s1 OPTIONS (schema_name 'app', table_name 'users');
ALTER FOREIGN TABLE remote_users ALTER COLUMN score SET STATISTICS 200;
ALTER FOREIGN TABLE remote_users ADD CONSTRAINT score_positive CHECK (score > 0) NOT VALID;
COMMENT ON FOREIGN TABLE remote_users IS 'users of the app';
COMMENT ON COLUMN remote_users.name IS 'their name';
GRANT SELECT ON remote_users TO PUBLIC;
CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX events_at ON events (at);
CREATE FOREIGN TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01') SERVER s1 OPTIONS (table_name 'events_2020');
CREATE TABLE item (id bigint);
CREATE FOREIGN TABLE remote_item (extra text) INHERITS (item) SERVER s1;
CREATE VIEW user_names AS SELECT name FROM remote_users;
