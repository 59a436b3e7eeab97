-- Views over views, joins, subqueries and CTEs, hand-written: pg_dump prints
-- them with every column qualified by the FROM item it reads (u.name, v1.a),
-- * expanded, GROUP BY and ORDER BY positions and AS names resolved to the
-- expressions they name, and every expression named AS (count(*) AS count).
CREATE TABLE t (a integer, b text, c varchar(10));
CREATE TABLE u (id integer, a integer, name text);
CREATE VIEW v0 AS SELECT lower(b), count(*), a::text FROM t GROUP BY 1, a ORDER BY 2;
CREATE VIEW v1 AS SELECT * FROM t;
CREATE VIEW v2 AS SELECT a, b FROM v1 WHERE a > 1;
CREATE VIEW v3 AS SELECT t.a, name, u.a AS ua FROM t JOIN u ON t.a = id ORDER BY name;
CREATE VIEW v4 AS SELECT a, (SELECT count(*) FROM u WHERE u.a = t.a) AS n, EXISTS (SELECT 1 FROM u WHERE id = a) AS e FROM t;
CREATE VIEW v5 AS WITH big AS (SELECT a, b FROM t WHERE a > 10) SELECT big.*, name FROM big, u WHERE id = big.a;
CREATE VIEW v6 AS SELECT s.x, name FROM (SELECT a AS x FROM t) s LEFT JOIN u ON s.x = id;
CREATE FUNCTION rowfn(t) RETURNS integer LANGUAGE sql RETURN 1;
CREATE VIEW v9 AS SELECT rowfn(t), rowfn(x) AS y, x.a FROM t, t x WHERE rowfn(t) > 0;
CREATE VIEW v10 AS SELECT rowfn(t) FROM t;
