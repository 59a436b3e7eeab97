-- ALTER DOMAIN/TYPE ... RENAME TO of a domain and of a composite type:
-- PostgreSQL stores the type's OID, so pg_dump prints the new name in the
-- columns, domains, attributes, routine signatures, casts and texts.
CREATE DOMAIN pos AS integer CONSTRAINT pos_positive CHECK (VALUE > 0);
CREATE DOMAIN small AS pos CHECK (VALUE < 100);
CREATE TYPE pair AS (a pos, b text);
CREATE TYPE wrap AS (p pair);
CREATE FUNCTION half(p pos) RETURNS pos LANGUAGE sql IMMUTABLE RETURN 1::pos;
CREATE FUNCTION first(p pair) RETURNS integer LANGUAGE sql AS $$SELECT 1$$;
CREATE FUNCTION pos_text(p pos) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT p::text$$;
CREATE CAST (pos AS text) WITH FUNCTION pos_text(pos);
CREATE TABLE t (
  id pos DEFAULT 1::pos,
  s small,
  p pair,
  ps pos[],
  CHECK (half(id) IS NOT NULL),
  CHECK ((p).b IS NOT NULL)
);
CREATE INDEX t_half ON t (half(id));
CREATE VIEW v AS SELECT id, half(id) AS h, NULL::pair AS np, 2::pos AS two FROM t;
COMMENT ON DOMAIN pos IS 'positive';
ALTER DOMAIN pos RENAME TO positive;
ALTER DOMAIN positive RENAME CONSTRAINT pos_positive TO positive_check;
ALTER TYPE small RENAME TO smallish;
ALTER TYPE pair RENAME TO couple;
ALTER FUNCTION pos_text(positive) RENAME TO positive_text;
