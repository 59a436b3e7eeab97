-- ALTER FUNCTION/PROCEDURE/AGGREGATE ... SET SCHEMA: PostgreSQL stores
-- routines by OID, so pg_dump prints the new schema in the calls,
-- triggers, casts and grants that name them.
CREATE SCHEMA lib;
CREATE SCHEMA other;
CREATE FUNCTION bump(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x + 1;
CREATE FUNCTION lib.twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE PROCEDURE tidy() LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
CREATE TABLE t (a integer DEFAULT bump(1) CHECK (lib.twice(a) > 0), b integer);
CREATE INDEX t_bump ON t (bump(b));
CREATE VIEW v AS SELECT bump(a) AS x, lib.twice(b) AS y FROM t;
CREATE VIEW agg AS SELECT total(a) AS s FROM t;
CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION calls() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT bump(2); END;
REVOKE EXECUTE ON FUNCTION bump(integer) FROM PUBLIC;
COMMENT ON PROCEDURE tidy() IS 'tidies';
ALTER FUNCTION bump(integer) SET SCHEMA lib;
ALTER FUNCTION lib.twice SET SCHEMA public;
ALTER PROCEDURE tidy() SET SCHEMA other;
ALTER ROUTINE touch() SET SCHEMA other;
ALTER AGGREGATE total(integer) SET SCHEMA other;
