-- Table options, row level security, policies and partitions: pg_dump
-- writes partitions as CREATE TABLE plus ALTER TABLE ONLY ... ATTACH
-- PARTITION, indexes on the parent as CREATE INDEX ON ONLY plus ALTER
-- INDEX ... ATTACH PARTITION, and keys of partitions as constraints attached
-- to the parent's.
CREATE TABLE events (
    id bigint NOT NULL,
    at date NOT NULL,
    kind text CHECK (kind <> ''),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE events_rest PARTITION OF events DEFAULT;
CREATE INDEX events_kind ON events (kind);
CREATE UNIQUE INDEX events_id_at ON events (id, at);
CREATE TABLE tags (name text, grp integer) PARTITION BY LIST (grp);
CREATE TABLE tags_a PARTITION OF tags FOR VALUES IN (1, 2);
CREATE TABLE hashed (id integer PRIMARY KEY) PARTITION BY HASH (id);
CREATE TABLE hashed_0 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE hashed_1 PARTITION OF hashed FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL, tenant integer);
CREATE UNIQUE INDEX docs_tenant_id ON docs (tenant, id) WHERE tenant IS NOT NULL;
CREATE TABLE full_ident (id integer);
ALTER TABLE full_ident REPLICA IDENTITY FULL;
CREATE TABLE idx_ident (id integer NOT NULL);
CREATE UNIQUE INDEX idx_ident_id ON idx_ident (id);
ALTER TABLE idx_ident REPLICA IDENTITY USING INDEX idx_ident_id;
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON docs USING (owner = current_user);
CREATE POLICY by_tenant ON docs AS RESTRICTIVE FOR SELECT TO postgres USING (tenant = 1);
CREATE POLICY ins ON docs FOR INSERT WITH CHECK (tenant > 0);
COMMENT ON POLICY ins ON docs IS 'inserts need a tenant';
CREATE POLICY upd ON docs FOR UPDATE USING (tenant IS NOT NULL) WITH CHECK (tenant > 0);
