-- ADD CONSTRAINT ... USING INDEX, as ddlmig's add-unique-constraint and
-- add-primary-key hazards advise: pg_dump prints the constraints the
-- indexes became, under the constraints' names.
CREATE TABLE users (id bigint NOT NULL, email text NOT NULL, org int, code text);
CREATE UNIQUE INDEX users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
CREATE UNIQUE INDEX users_id_tmp ON users (id);
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_tmp;
CREATE UNIQUE INDEX users_org_code ON users USING btree (org ASC NULLS LAST, code COLLATE "default" text_ops) INCLUDE (email) NULLS NOT DISTINCT WITH (fillfactor=80);
ALTER TABLE users ADD UNIQUE USING INDEX users_org_code DEFERRABLE;
CREATE UNIQUE INDEX users_id_tmp ON users (org, id);

CREATE TABLE items (a int, b int);
CREATE UNIQUE INDEX items_ab ON items (a, b);
ALTER TABLE items ADD PRIMARY KEY USING INDEX items_ab;
