-- Statements hand-written migrations use to change objects in place.
CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE post (id int PRIMARY KEY, creator_id int REFERENCES person, score int);
CREATE TABLE counts (person_id int REFERENCES person, posts bigint);
CREATE FUNCTION count_user_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE FUNCTION touch(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE TRIGGER count_user_insert AFTER INSERT ON person FOR EACH ROW EXECUTE FUNCTION count_user_insert();
CREATE TRIGGER count_user_again AFTER UPDATE ON person FOR EACH ROW EXECUTE FUNCTION count_user_insert();
COMMENT ON TRIGGER count_user_insert ON person IS 'counts people';
COMMENT ON FUNCTION touch(int, text) IS 'touches';
REVOKE ALL ON FUNCTION touch(int, text) FROM PUBLIC;

-- Renames follow the objects (triggers call their function by OID).
ALTER TRIGGER count_user_insert ON person RENAME TO count_person_insert;
ALTER FUNCTION count_user_insert () RENAME TO count_person_insert;
ALTER FUNCTION touch(int, text) RENAME TO touched;
ALTER ROUTINE touched RENAME TO touched_again;

-- All of a table's triggers disabled, one enabled again.
ALTER TABLE person DISABLE TRIGGER USER;
ALTER TABLE person ENABLE TRIGGER count_person_insert;
ALTER TABLE post DISABLE TRIGGER ALL;
ALTER TABLE post ENABLE TRIGGER ALL;

-- A foreign key made deferrable in place; INITIALLY DEFERRED implies DEFERRABLE.
ALTER TABLE post ALTER CONSTRAINT post_creator_id_fkey INITIALLY DEFERRED;
ALTER TABLE counts ALTER CONSTRAINT counts_person_id_fkey DEFERRABLE;

-- Temporary tables move data and are gone with the session.
CREATE TEMPORARY TABLE post_temp AS SELECT id, score FROM post;
CREATE TEMP TABLE scratch (x int);
CREATE INDEX ON scratch (x);
ALTER TABLE scratch ADD COLUMN y int;
SELECT * INTO TEMP TABLE more_temp FROM post;
UPDATE post p SET score = t.score FROM post_temp t WHERE p.id = t.id;
DROP TABLE post_temp, pg_temp.scratch;
