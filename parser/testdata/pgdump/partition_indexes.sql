-- Indexes of partitioned tables (issue 14): pg_dump writes each as CREATE
-- INDEX ... ON ONLY the parent, the partitions' indexes, and ALTER INDEX
-- ... ATTACH PARTITION; an index ON ONLY stays unattached where the
-- partition has none, and partition indexes keep their names. Also a
-- partition's own NOT NULL and constraints, and a sub-partitioned table.
CREATE TABLE m (id int, a int, b text, c int) PARTITION BY RANGE (id);
CREATE TABLE m1 PARTITION OF m (c NOT NULL, CONSTRAINT m1_a_pos CHECK (a > 0)) FOR VALUES FROM (0) TO (10);
CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (10) TO (20);
CREATE TABLE m3 PARTITION OF m FOR VALUES FROM (20) TO (30) PARTITION BY LIST (a);
CREATE TABLE m3a PARTITION OF m3 FOR VALUES IN (1, 2);
CREATE TABLE m3b PARTITION OF m3 (PRIMARY KEY (id, a, c)) FOR VALUES IN (3);
ALTER TABLE m2 ALTER COLUMN b SET NOT NULL;
CREATE INDEX m_a ON ONLY m (a);
CREATE INDEX m1_a_custom ON m1 (a);
ALTER INDEX m_a ATTACH PARTITION m1_a_custom;
CREATE INDEX m2_lower_own ON m2 (lower(b));
CREATE INDEX m_lower ON m (lower(b));
CREATE UNIQUE INDEX m_id_a ON m (id, a);
CREATE INDEX m3b_c ON m3b (c);
CREATE INDEX m_c ON m (c) WHERE c > 0;
