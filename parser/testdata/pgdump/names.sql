-- Implicit names: PostgreSQL chooses them; the parser must agree.
CREATE TABLE t (
    a int UNIQUE,
    b int,
    c int CHECK (c > 0) CHECK (c < 100),
    d int CHECK (d > c),
    e text,
    UNIQUE (a),
    UNIQUE (a, b),
    CHECK (b > 0),
    CHECK (true)
);
-- a name that exists as a table already gets a suffix
CREATE TABLE t_b_key (x int);
ALTER TABLE t ADD UNIQUE (b);
ALTER TABLE t ADD UNIQUE (b);
CREATE INDEX ON t (a);
CREATE INDEX ON t (a);
CREATE INDEX ON t (lower(e), upper(e), lower(e));
CREATE INDEX ON t ((a + b));
CREATE INDEX ON t (a) INCLUDE (b, c);
CREATE INDEX ON t ((e::varchar));

CREATE TABLE this_is_a_very_long_table_name_that_goes_on_and_on_for_ever_and (
    and_a_column_name_that_is_also_rather_long_to_hit_the_limit int UNIQUE,
    id serial PRIMARY KEY,
    other_column_with_a_long_name_too int REFERENCES t (a),
    CHECK (and_a_column_name_that_is_also_rather_long_to_hit_the_limit > 0)
);
CREATE INDEX ON this_is_a_very_long_table_name_that_goes_on_and_on_for_ever_and (other_column_with_a_long_name_too, id);

-- serial sequence name taken
CREATE SEQUENCE s_id_seq;
CREATE TABLE s (id serial, "ÄÖÜ" int UNIQUE);
