-- Domains, composite types, enums and privileges as pg_dump writes them
-- (grantees are predefined roles, which every cluster has).
CREATE SCHEMA app;
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.c2 (lc_collate = 'C', lc_ctype = 'C');
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email AS varchar(255) COLLATE "C" NOT NULL DEFAULT 'x@example.com'
  CHECK (VALUE LIKE '%@%') CHECK (length(VALUE) > 3);
CREATE DOMAIN app.pos AS integer CONSTRAINT pos_positive CHECK (VALUE > 0);
CREATE DOMAIN wide AS app.pos CHECK (VALUE < 1000000);
ALTER DOMAIN wide ADD CONSTRAINT wide_even CHECK (VALUE % 2 = 0) NOT VALID;
COMMENT ON DOMAIN email IS 'an address';
CREATE TYPE address AS (street text COLLATE "C", zip varchar(10), tags text[], m mood);
COMMENT ON TYPE address IS 'postal';
CREATE TABLE people (
    id serial PRIMARY KEY,
    e email,
    p app.pos,
    w wide,
    addr address,
    moods mood[],
    secret text COLLATE ci,
    code text COLLATE app.c2
);
CREATE SEQUENCE app.counter;
GRANT SELECT, INSERT ON people TO pg_monitor;
GRANT SELECT ON people TO pg_read_all_stats WITH GRANT OPTION;
GRANT UPDATE (secret), SELECT (id, e) ON people TO pg_signal_backend;
GRANT USAGE ON SCHEMA app TO pg_monitor;
GRANT ALL ON SEQUENCE app.counter TO PUBLIC;
GRANT USAGE ON SEQUENCE people_id_seq TO pg_monitor;
