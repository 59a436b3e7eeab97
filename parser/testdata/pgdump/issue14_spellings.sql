-- The spellings issue 14 lists as not converging with pg_dump, each as the
-- issue wrote it: pg_dump's text of this schema must parse to the same
-- catalog (a schema bootstrapped from pg_dump gives no changes).
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE DOMAIN money_amount AS numeric(12, 2);

CREATE TABLE tenant_rows (
    id bigint PRIMARY KEY,
    -- timestamp, date and interval defaults
    a timestamp DEFAULT '1970-01-01 00:00:01+00:00',
    c date DEFAULT '2020-01-01',
    d interval DEFAULT '24 hours',
    -- DEFAULT NULL: the server keeps none
    e text DEFAULT NULL,
    f integer DEFAULT NULL::integer,
    -- literal function arguments
    tenant text DEFAULT current_setting('app.tenant_id'),
    day timestamptz DEFAULT date_trunc('day', now()),
    kind varchar(10),
    -- a generated column over a domain column
    price money_amount,
    taxed numeric GENERATED ALWAYS AS (price * 1.2) STORED,
    rounded numeric GENERATED ALWAYS AS (round(price::numeric, 1)) STORED,
    -- a json path
    j jsonb,
    city text GENERATED ALWAYS AS (j #>> '{a,b}') STORED
);
CREATE INDEX tenant_rows_city ON tenant_rows ((j #>> '{a,b}'));
ALTER TABLE tenant_rows ALTER COLUMN kind SET DEFAULT NULL;
CREATE POLICY tenant_only ON tenant_rows USING (tenant = current_setting('app.tenant_id'));

CREATE TABLE other (id bigint, name text);
-- views over joins, unions, subqueries and other views, GROUP BY 1
CREATE VIEW joined AS SELECT t.id, o.name FROM tenant_rows t JOIN other o ON o.id = t.id;
CREATE VIEW unioned AS SELECT id FROM tenant_rows UNION SELECT id FROM other;
CREATE VIEW sub AS SELECT id FROM tenant_rows WHERE id IN (SELECT id FROM other);
CREATE VIEW over_view AS SELECT id, name FROM joined;
CREATE VIEW grouped AS SELECT kind, count(*) FROM tenant_rows GROUP BY 1;
CREATE VIEW pathed AS SELECT j #>> '{a,b}' AS city, j #> '{a}' AS a FROM tenant_rows;
