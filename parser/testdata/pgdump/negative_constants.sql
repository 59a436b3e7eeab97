-- Negative and wide numbers as function arguments: pg_dump prints them as
-- strings cast to their type (norm('-1'::integer), abs('-3000000000'::bigint),
-- round('-1.5'::numeric)), the same constants as written bare.
CREATE FUNCTION norm(i integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT abs(i) $$;
CREATE TABLE t (
    a integer DEFAULT norm(-1),
    b bigint DEFAULT abs(-3000000000),
    c numeric DEFAULT round(-1.5),
    d numeric CHECK (round(d, 2) <> round(-2.25, 1))
);
CREATE INDEX t_norm ON t (norm(a), (a + -7));
