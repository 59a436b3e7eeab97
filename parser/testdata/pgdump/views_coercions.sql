-- Views whose query PostgreSQL's parse analysis coerces, hand-written:
-- pg_dump prints every coercion the server stored (COALESCE(sum(s),
-- (0)::bigint), ELSE NULL::integer, NULL::integer in a UNION branch,
-- 'a'::text for an untyped literal output, hot_rank((n)::numeric, ...)),
-- internal type names as keywords (::boolean), the column a subquery
-- names, and a FROM item an enclosing level's name hides renamed (u_1).
CREATE TABLE c (id integer, s smallint, i integer, b bigint, n numeric, t text, v varchar(10), ts timestamptz);
CREATE TABLE d (id integer, ds smallint, ok boolean);
CREATE FUNCTION hot_rank(numeric, timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE RETURN 1;
CREATE VIEW coalesced AS SELECT c.id, coalesce(c.s, 0) AS a, coalesce(sum(d.ds), 0) AS b, coalesce(c.s, c.i, c.b) AS c3,
    coalesce(c.v, c.t) AS d4, coalesce(c.t, c.v) AS e, coalesce(NULL, c.s) AS f, greatest(c.s, 1, 2.5) AS g, ARRAY[c.s, 1] AS h
  FROM c JOIN d ON c.id = d.id GROUP BY c.id, c.s, c.i, c.b, c.v, c.t;
CREATE VIEW cased AS SELECT CASE WHEN c.i = 1 THEN 1 END AS x, CASE WHEN c.i = 1 THEN 1 ELSE NULL END AS y,
    CASE WHEN c.i = 1 THEN c.s ELSE c.i END AS z, CASE WHEN c.i = 1 THEN 'a' END AS w
  FROM c, d WHERE c.id = d.id;
CREATE VIEW untyped AS SELECT NULL AS x, 'a' AS y, 1 AS z, NULL, (SELECT NULL) AS q FROM c, d;
CREATE VIEW unioned AS SELECT c.id, c.s, NULL AS flag FROM c UNION ALL SELECT d.id, NULL, d.ok FROM d UNION ALL SELECT NULL, NULL, NULL;
CREATE VIEW nulls AS SELECT NULL AS a UNION ALL SELECT NULL;
CREATE VIEW ranked AS SELECT hot_rank(coalesce(sum(d.ds), 0), now()) AS a, hot_rank(c.i, c.ts) AS b, hot_rank(1, c.ts) AS r,
    hot_rank('1', c.ts) AS l, hot_rank(NULL, NULL) AS e
  FROM c, d WHERE c.id = d.id GROUP BY c.i, c.ts;
CREATE VIEW keyworded AS SELECT d.id::bool AS a, c.b::int2 AS b, c.n::float8 AS f, c.i::int8 AS g FROM c, d WHERE c.id = d.id;
CREATE VIEW aggregates AS SELECT c.id, (SELECT d.ok FROM d WHERE d.id = c.id), (SELECT count(*) FROM d WHERE d.id = c.id) FROM c;
CREATE VIEW over_aggregates AS SELECT a.* FROM aggregates a JOIN d ON a.id = d.id;
CREATE VIEW shadowed AS SELECT c.id, (SELECT c.t FROM c WHERE c.id = d.id) AS t, x.n
  FROM c, d, (SELECT c.n FROM c) x WHERE c.id = d.id;
CREATE VIEW ctes AS WITH q AS (SELECT c.id FROM c) SELECT c.s, q.id FROM c, q WHERE c.id = q.id;
CREATE VIEW renamed_new AS SELECT new.id FROM c new;
