-- DROP COLUMN ... CASCADE of a column a stored generated column reads drops
-- the generated column too, as PostgreSQL does.
CREATE TABLE t (id integer, a integer, b integer, g integer GENERATED ALWAYS AS (a * 2) STORED, h integer GENERATED ALWAYS AS (b + 1) STORED);
CREATE INDEX t_g ON t (g);
ALTER TABLE t DROP COLUMN a CASCADE;
