-- SQL-standard function bodies under a schema file's search_path: their names bind to
-- the objects of app when they are created, and pg_dump prints them qualified.
CREATE SCHEMA app;
SET search_path = app, public;
CREATE TABLE items (id int, label text);
CREATE TYPE mood AS ENUM ('ok', 'meh');
CREATE FUNCTION two() RETURNS int LANGUAGE sql RETURN 2;
CREATE FUNCTION three() RETURNS int LANGUAGE sql RETURN two() + 1;
CREATE FUNCTION fine() RETURNS mood LANGUAGE sql RETURN 'ok'::mood;
CREATE FUNCTION first_label() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT label FROM items WHERE id = three(); END;
CREATE PROCEDURE add_item(n int) LANGUAGE sql BEGIN ATOMIC INSERT INTO items (id, label) VALUES (n, fine()::text); END;
CREATE VIEW labels AS SELECT first_label() AS l, three() AS t;
