-- Relations renamed after views read them: PostgreSQL stores the views by
-- the OIDs they read, and pg_dump prints them with the new names, in FROM
-- and where they qualify columns (an alias stays).
CREATE TABLE t (id integer, name text);
CREATE TABLE u (id integer, t_id integer);
CREATE VIEW v AS SELECT id, name FROM t;
CREATE VIEW w AS SELECT v.id, x.t_id FROM v JOIN u x ON x.t_id = v.id;
CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM w;
ALTER VIEW v RENAME TO v2;
ALTER TABLE t RENAME TO t2;
ALTER TABLE u RENAME TO u2;
ALTER MATERIALIZED VIEW m RENAME TO m2;
ALTER VIEW IF EXISTS nope RENAME TO nope2;
-- Moved to another schema: a name read bare in public is qualified, and one
-- moved into public is printed bare again.
CREATE SCHEMA moved;
CREATE TABLE mt (a integer);
CREATE VIEW mtv AS SELECT a FROM mt WHERE mt.a > 0;
CREATE MATERIALIZED VIEW mtm AS SELECT mt.a, count(*) AS n FROM public.mt GROUP BY mt.a;
ALTER TABLE mt SET SCHEMA moved;
CREATE TABLE moved.back (b integer);
CREATE VIEW backv AS SELECT b FROM moved.back;
ALTER TABLE moved.back SET SCHEMA public;
-- Routines taking a renamed or moved table's row type (or an enum) follow it:
-- PostgreSQL prints their signatures with the new name; grants and comments stay.
CREATE TABLE rt (a integer);
CREATE TYPE colour AS ENUM ('red');
CREATE FUNCTION rtf(r rt, c colour) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION rtg(r rt[]) RETURNS rt LANGUAGE sql RETURN r[1];
COMMENT ON FUNCTION rtf(rt, colour) IS 'takes a row';
REVOKE EXECUTE ON FUNCTION rtf(rt, colour) FROM PUBLIC;
ALTER TABLE rt RENAME TO rt2;
ALTER TYPE colour RENAME TO color;
ALTER TABLE rt2 SET SCHEMA moved;
COMMENT ON FUNCTION rtf(moved.rt2, color) IS 'takes a moved row';
