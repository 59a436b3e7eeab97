-- Table inheritance: pg_dump writes a child with the columns it declares
-- (also one equal to the parent's), then INHERITS; the inherited CHECK
-- and NOT NULL are the parent's.
CREATE TABLE item (id bigint NOT NULL, name text CHECK (name <> ''), created_at timestamptz DEFAULT now());
CREATE TABLE book (isbn text, name text) INHERITS (item);
CREATE TABLE tagged (tag text);
CREATE TABLE ebook (url text) INHERITS (book, tagged);
CREATE INDEX ebook_name ON ebook (name);
