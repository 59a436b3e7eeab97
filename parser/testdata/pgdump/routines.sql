-- Views, functions and triggers written as pg_dump prints them back.
CREATE TABLE users (id integer NOT NULL, name text, updated_at timestamp with time zone);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a + b $$;
CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path TO 'public' AS $$ SELECT count(*) FROM users $$;
CREATE PROCEDURE rename_user(i integer, n text) LANGUAGE sql AS $$ UPDATE users SET name = n WHERE id = i $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER users_audit AFTER INSERT OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION touch();
ALTER TABLE users DISABLE TRIGGER users_audit;
CREATE VIEW named AS SELECT users.id, users.name FROM users WHERE (users.name IS NOT NULL);
CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM users WITH NO DATA;
CREATE INDEX totals_n ON totals USING btree (n);
COMMENT ON VIEW named IS 'users with a name';
COMMENT ON FUNCTION add(integer, integer) IS 'sum';
COMMENT ON TRIGGER users_touch ON users IS 'timestamps';
COMMENT ON MATERIALIZED VIEW totals IS 'how many';
