-- What the server stores as a value and prints in its own words.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE person (name text, m mood DEFAULT 'sad', n mood DEFAULT 'happy'::mood);

-- An extension's operator class, unqualified here, qualified by pg_dump.
CREATE INDEX person_name_trgm ON person USING gin (name gin_trgm_ops);

-- Renamed enum labels follow into the defaults that use them.
ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';

-- Interval constants as the server prints them.
CREATE TABLE intervals (
    a interval DEFAULT '12 months',
    b interval DEFAULT interval '90 minutes',
    c interval DEFAULT '1 day 2 hours 3 minutes 4.5 seconds',
    d interval DEFAULT '-1 year 2 mons',
    e interval DEFAULT '2 weeks ago',
    f interval DEFAULT '36:00:00',
    g interval DEFAULT '0',
    h timestamptz DEFAULT (now() - (random() * (interval '12 months')))
);

-- A column passed to a function of wider parameter type is cast by the
-- server, which pg_dump prints: hot_rank((score)::numeric, published).
CREATE FUNCTION hot_rank(score numeric, published timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE TABLE post (score int, published timestamp, at timestamptz);
CREATE INDEX post_hot ON post (hot_rank(score, at) DESC, at DESC);
CREATE INDEX post_hot_local ON post (hot_rank(score::numeric, published));
-- DEFAULT NULL: no default is stored (pg_dump prints none), but on a domain it is, and on
-- a type with a modifier (a length coercion), interval's excepted.
CREATE DOMAIN five AS integer DEFAULT 5;
CREATE TABLE nulls (a int DEFAULT NULL, b text DEFAULT NULL::text, c int DEFAULT 1, f five DEFAULT NULL, g five,
  v varchar(16) DEFAULT NULL, vs varchar(16)[] DEFAULT NULL, nm numeric(5,2) DEFAULT NULL, ts timestamp(3) DEFAULT NULL,
  iv interval(3) DEFAULT NULL, ivd interval day DEFAULT NULL, ia int[] DEFAULT NULL);
ALTER TABLE nulls ALTER COLUMN c SET DEFAULT NULL;
ALTER TABLE nulls ADD COLUMN e date DEFAULT CAST(NULL AS date);
