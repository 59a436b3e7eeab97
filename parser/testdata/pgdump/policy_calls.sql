-- Policies calling functions: pg_dump prints a string literal argument with
-- the cast the server adds (current_setting('app.uid'::text)), and a column
-- passed to the schema's function of a wider parameter type cast to it
-- (can_see((owner_id)::bigint)).
CREATE FUNCTION can_see(owner bigint) RETURNS boolean LANGUAGE sql STABLE RETURN owner > 0;
CREATE TABLE docs (id integer, owner_id integer);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON docs USING (owner_id = current_setting('app.uid')::integer);
CREATE POLICY docs_see ON docs FOR SELECT USING (can_see(owner_id)) ;
CREATE POLICY docs_day ON docs FOR UPDATE USING (date_trunc('day', now()) > now() - interval '1 day') WITH CHECK (current_setting('app.mode', true) IS NOT NULL);
