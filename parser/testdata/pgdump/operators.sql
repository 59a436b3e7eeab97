-- Operators: pg_dump writes FUNCTION = with names qualified, the links
-- as OPERATOR(schema.op) on both operators, the estimators unqualified
-- (pg_catalog's), a CREATE OPERATOR FAMILY for the family a class made,
-- and the class with its family and its members' argument types.
CREATE TYPE pair AS (a int, b int);
CREATE FUNCTION pair_eq(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a = $2.a $$;
CREATE FUNCTION pair_ne(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a <> $2.a $$;
CREATE FUNCTION pair_lt(pair, pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a < $2.a $$;
CREATE FUNCTION pair_cmp(pair, pair) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN $1.a < $2.a THEN -1 WHEN $1.a > $2.a THEN 1 ELSE 0 END $$;
CREATE FUNCTION neg(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT -$1 $$;
CREATE OPERATOR = (LEFTARG = pair, RIGHTARG = pair, PROCEDURE = pair_eq, COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR <> (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_ne, RESTRICT = neqsel);
CREATE OPERATOR < (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_lt);
CREATE OPERATOR ~~~ (RIGHTARG = int8, FUNCTION = neg);
COMMENT ON OPERATOR =(pair, pair) IS 'same a';
CREATE OPERATOR CLASS pair_ops DEFAULT FOR TYPE pair USING btree AS
    OPERATOR 1 <, OPERATOR 3 =, FUNCTION 1 pair_cmp(pair, pair);
COMMENT ON OPERATOR CLASS pair_ops USING btree IS 'by a';
CREATE OPERATOR FAMILY loose USING hash;
CREATE TABLE pairs (p pair);
CREATE INDEX pairs_p ON pairs (p);
