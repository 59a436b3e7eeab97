-- Every kind of object the oracle reads, for the golden test.
CREATE EXTENSION citext;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
CREATE TYPE mood AS ENUM ('happy', 'sad');
COMMENT ON TYPE mood IS 'how it feels';
CREATE DOMAIN pos AS int DEFAULT 1 CONSTRAINT pos_check CHECK (VALUE > 0);
CREATE TYPE app.pair AS (x int, y text COLLATE "C");
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION app.ci IS 'case-insensitive';
CREATE COLLATION bytes (provider = libc, locale = 'C');
CREATE SEQUENCE app.counter INCREMENT 5 MINVALUE 10 MAXVALUE 1000 CACHE 2 CYCLE;
COMMENT ON SEQUENCE app.counter IS 'counts';

CREATE TABLE app.users (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    name text COLLATE "C" DEFAULT 'x',
    feeling mood,
    score pos,
    doubled int GENERATED ALWAYS AS (id * 2) STORED,
    CONSTRAINT name_len CHECK (length(name) < 100)
);
COMMENT ON TABLE app.users IS 'people';
COMMENT ON COLUMN app.users.email IS 'login';
COMMENT ON CONSTRAINT name_len ON app.users IS 'short names';
CREATE TABLE posts (
    id serial PRIMARY KEY,
    author int REFERENCES app.users (id) ON DELETE CASCADE,
    body text
) WITH (fillfactor = 70);
ALTER TABLE posts ADD CONSTRAINT body_set CHECK (body <> '') NOT VALID;
CREATE INDEX posts_author ON posts (author) WHERE author IS NOT NULL;
COMMENT ON INDEX posts_author IS 'by author';
CREATE UNLOGGED TABLE cache (k text, v jsonb);
CREATE TABLE events (at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW active AS SELECT id, email FROM app.users WHERE feeling = 'happy';
COMMENT ON VIEW active IS 'happy users';
CREATE MATERIALIZED VIEW post_counts AS SELECT author, count(*) AS n FROM posts GROUP BY author;
CREATE INDEX post_counts_n ON post_counts (n);
CREATE FUNCTION add1(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
COMMENT ON FUNCTION add1(int) IS 'adds one';
CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON posts FOR SELECT TO PUBLIC USING (author > 0);
GRANT SELECT ON posts TO PUBLIC;
CREATE TABLE ddlmig_migrations (version bigserial PRIMARY KEY);
