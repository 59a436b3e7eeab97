-- Publications: pg_dump writes CREATE PUBLICATION with every option, then
-- ALTER PUBLICATION ... ADD TABLE ONLY / ADD TABLES IN SCHEMA.
CREATE SCHEMA audit;
CREATE TABLE t (id int PRIMARY KEY, name text, secret text);
CREATE TABLE u (id int PRIMARY KEY);
CREATE PUBLICATION pub FOR TABLE t (id, name) WHERE (id > 10 AND name <> 'x'), TABLE u WITH (publish = 'insert, update');
CREATE PUBLICATION per_schema FOR TABLES IN SCHEMA audit, TABLE u;
CREATE PUBLICATION everything FOR ALL TABLES WITH (publish_via_partition_root);
COMMENT ON PUBLICATION pub IS 'to the warehouse';
