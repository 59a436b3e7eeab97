-- ALTER SCHEMA ... RENAME TO moves everything in the schema: PostgreSQL
-- stores objects by OID, so pg_dump prints the new name wherever one of
-- them is named (signatures, calls, defaults, casts, views, triggers).
CREATE SCHEMA s;
CREATE TYPE s.mood AS ENUM ('fine', 'sad');
CREATE DOMAIN s.pos AS integer CHECK (VALUE > 0);
CREATE TYPE s.pair AS (a integer, b text);
CREATE SEQUENCE s.seq;
CREATE FUNCTION s.f(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x + 1;
CREATE FUNCTION s.g(m s.mood) RETURNS text LANGUAGE sql AS 'SELECT m::text';
CREATE PROCEDURE s.p(x integer) LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION s.trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE AGGREGATE s.total(integer) (SFUNC = int4pl, STYPE = integer);
CREATE TABLE s.t (
  id integer DEFAULT nextval('s.seq'),
  n integer DEFAULT s.f(1) CHECK (s.f(n) > 0),
  m s.mood DEFAULT 'fine',
  d s.pos,
  pr s.pair
);
CREATE INDEX t_f ON s.t (s.f(n));
CREATE VIEW s.v AS SELECT id, s.f(n) AS fn, m FROM s.t WHERE m <> 'sad'::s.mood;
CREATE VIEW public.pv AS SELECT s.f(id) AS x FROM s.t;
CREATE TRIGGER t_trg BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION s.trg();
CREATE TABLE public.u (id integer DEFAULT nextval('s.seq'), k integer CHECK (s.f(k) > 0), m s.mood);
ALTER TABLE public.u ENABLE ROW LEVEL SECURITY;
CREATE POLICY u_p ON public.u USING (s.f(k) > 0);
CREATE VIEW public.casts AS SELECT 1::s.pos AS p, NULL::s.pair AS r, s.total(k) AS tot FROM public.u;
CREATE MATERIALIZED VIEW s.mv AS SELECT id FROM s.t;
CREATE INDEX mv_id ON s.mv (id);
CREATE FUNCTION public.h() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT s.f(2); END;
CREATE FUNCTION public.k(p s.pair, d s.pos) RETURNS s.mood LANGUAGE sql AS $$SELECT 'fine'::s.mood$$;
CREATE DOMAIN public.small AS s.pos DEFAULT s.f(1) CHECK (VALUE < s.f(100));
REVOKE EXECUTE ON FUNCTION s.f(integer) FROM PUBLIC;
GRANT SELECT ON s.v TO PUBLIC;
COMMENT ON PROCEDURE s.p(integer) IS 'proc';
ALTER SCHEMA s RENAME TO t;
