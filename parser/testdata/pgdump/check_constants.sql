-- Constants in CHECKs and partial indexes as people write them: the server
-- casts each to the column's type, and pg_dump prints the casts
-- ((0)::numeric, '2020-01-01'::date, ('-1'::integer)::numeric,
-- ARRAY[(1)::numeric, (2)::numeric], 'a'::text for jsonb ?).
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE readings (
    n  numeric(10,2) CHECK (n >= 0) CHECK (n > -1) CHECK (n < 1.5) CHECK (n > -2.5)
                     CHECK (n IN (1, 2)) CHECK (n BETWEEN 0 AND 100)
                     CHECK (n <> '7'::numeric) CHECK (n <> '-7'::numeric) CHECK (n <> 8::numeric),
    r  real CHECK (r > 0) CHECK (r <> -1),
    d  double precision CHECK (d > 0) CHECK (d > 0.5),
    i  integer CHECK (i > -1) CHECK (i <> 3000000000),
    b  bigint CHECK (b > 0) CHECK (b > -3000000000) CHECK (b <> 5::bigint) CHECK (b <> '6'::bigint),
    s  smallint CHECK (s > 0) CHECK (s <> 5::smallint),
    dt date CHECK (dt > '2020-01-01'),
    iv interval CHECK (iv > '1 day'),
    j  jsonb CHECK (j ? 'a') CHECK (j @> '{"a": 1}'),
    u  uuid CHECK (u <> '00000000-0000-0000-0000-000000000000'),
    m  mood CHECK (m <> 'sad'),
    t  text CHECK (t <> '')
);

CREATE INDEX readings_positive ON readings (n) WHERE n > 0 AND d > 0.5;
CREATE INDEX readings_recent ON readings (dt) WHERE dt > '2024-01-01';
