-- SQL-standard function bodies: pg_get_functiondef prints them with functions and
-- relations schema-qualified, columns qualified (t.total), parameters by name and
-- qualified where a query reads a relation (j.x), composite fields as (r).id and
-- every expression named (count(*) AS count).
CREATE TABLE t (id int, total numeric, name text);
CREATE TABLE u (id int, tid int);
CREATE FUNCTION b() RETURNS int LANGUAGE sql RETURN 1;
CREATE FUNCTION a() RETURNS int LANGUAGE sql RETURN b() + 1;
CREATE FUNCTION n() RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM t);
CREATE FUNCTION r() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(total) FROM t WHERE id > -1; END;
CREATE FUNCTION j(x int) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT name FROM t JOIN u ON t.id = tid WHERE u.id = x; END;
CREATE FUNCTION k(r t) RETURNS int LANGUAGE sql RETURN r.id;
CREATE FUNCTION p(tidv integer, lim integer) RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM u WHERE tid = $1 AND id < lim; END;
CREATE PROCEDURE ins(v int, label text) LANGUAGE sql BEGIN ATOMIC INSERT INTO t (id, name) VALUES (v, upper(label)); INSERT INTO u (id, tid) SELECT id, v FROM t WHERE name = label; END;
-- An untyped literal a body returns or outputs is stored as text: RETURN 'ok'
-- is printed RETURN 'ok'::text (whatever the function returns), SELECT 'x' as
-- SELECT 'x'::text with no AS (a body's column names are not shown).
CREATE FUNCTION lit() RETURNS text LANGUAGE sql RETURN 'ok';
CREATE FUNCTION lit_varchar() RETURNS varchar LANGUAGE sql RETURN 'ok';
CREATE FUNCTION lit_null() RETURNS text LANGUAGE sql RETURN NULL;
CREATE FUNCTION lit_select() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT 'x'; END;
CREATE FUNCTION lit_named() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT 'x' AS z; END;
CREATE FUNCTION lit_union() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT 'a' UNION SELECT 'b'; END;
CREATE FUNCTION lit_sub() RETURNS text LANGUAGE sql RETURN (SELECT 'a');
