-- IN lists, which the server stores as = ANY (ARRAY[...]) (<> ALL for NOT
-- IN) with each element coerced to the list's type: on a varchar column or
-- domain ((v)::text = ANY ((ARRAY['a'::character varying, ...])::text[])),
-- on an enum m = ANY (ARRAY['fine'::mood, ...]), on a bigint column
-- ARRAY[(1)::bigint, ...]. The same in a CHECK, a domain's CHECK, a
-- trigger's WHEN (new.m) and a policy.
CREATE TYPE mood AS ENUM ('fine', 'unhappy', 'sad');
CREATE DOMAIN status_v AS varchar(10) CHECK (VALUE IN ('a', 'b'));
CREATE DOMAIN status_t AS text CHECK (VALUE IN ('a', 'b'));
CREATE DOMAIN status_c AS char(1) CHECK (VALUE NOT IN ('x', 'y'));
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status varchar(10) CHECK (status IN ('new', 'paid', 'shipped')),
    single varchar CHECK (single IN ('only')),
    excluded varchar CHECK (excluded NOT IN ('a', 'b')),
    code char(3) CHECK (code IN ('abc', 'def')),
    note text CHECK (note IN ('x', 'y')),
    m mood CHECK (m IN ('fine', 'sad')),
    qty integer CHECK (qty IN (1, 2, 3)),
    big bigint CHECK (big IN (1, -2, 3000000000)),
    price numeric CHECK (price IN (1, 2.5)),
    sv status_v
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN new; END$$;
CREATE TRIGGER orders_mood BEFORE UPDATE ON orders FOR EACH ROW
    WHEN (new.m IN ('fine', 'unhappy') IS NOT TRUE) EXECUTE FUNCTION touch();
CREATE TRIGGER orders_status BEFORE UPDATE ON orders FOR EACH ROW
    WHEN (new.status IN ('new', 'paid') AND old.status NOT IN ('shipped', 'new')) EXECUTE FUNCTION touch();
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY open_orders ON orders USING (status IN ('new', 'paid')) WITH CHECK (m IN ('fine', 'sad'));
CREATE POLICY big_orders ON orders USING (big IN (1, 2));
