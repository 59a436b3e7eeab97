-- Table inheritance: pg_dump writes a child with the columns it declares
-- (also one equal to the parent's), then INHERITS; the inherited CHECK
-- and NOT NULL are the parent's.
CREATE TABLE item (id bigint NOT NULL, name text CHECK (name <> ''), created_at timestamptz DEFAULT now());
CREATE TABLE book (isbn text, name text) INHERITS (item);
CREATE TABLE tagged (tag text);
CREATE TABLE ebook (url text) INHERITS (book, tagged);
CREATE INDEX ebook_name ON ebook (name);
-- A child's own default, NOT NULL, dropped default and statistics target on
-- inherited columns: pg_dump writes them as ALTER TABLE ONLY child ALTER
-- COLUMN (SET DEFAULT NULL for the dropped one); a child's own column
-- with a default of its own where the parent has one.
CREATE TABLE toy (age int, created_at timestamptz) INHERITS (item);
ALTER TABLE ONLY toy ALTER COLUMN name SET DEFAULT 'toy';
ALTER TABLE ONLY toy ALTER COLUMN id SET DEFAULT 7;
ALTER TABLE ONLY book ALTER COLUMN id SET DEFAULT 8;
ALTER TABLE ONLY toy ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE ONLY toy ALTER COLUMN name SET NOT NULL;
ALTER TABLE ONLY ebook ALTER COLUMN name SET STATISTICS 200;
ALTER TABLE ONLY toy ALTER COLUMN id DROP DEFAULT;
CREATE TABLE gadget () INHERITS (item);
ALTER TABLE ONLY gadget ALTER COLUMN created_at DROP DEFAULT;
-- A child's DEFAULT NULL on a domain column takes the parent's default away
-- and is itself a default (the server stores NULL::integer, over the
-- domain's own); a NULL cast to another type than the column's is stored too.
CREATE DOMAIN rating AS integer DEFAULT 5;
CREATE TABLE review (id bigint DEFAULT NULL::integer, score rating DEFAULT 3, note varchar(20) DEFAULT NULL::text);
CREATE TABLE quick_review (score rating DEFAULT NULL) INHERITS (review);
