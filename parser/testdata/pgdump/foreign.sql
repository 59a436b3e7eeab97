-- Foreign data wrappers, servers and user mappings: pg_dump's spelling
-- (options in the order they were added, a wrapper's functions
-- qualified) gives the same catalog as the hand-written one.
CREATE EXTENSION postgres_fdw;
CREATE FOREIGN DATA WRAPPER dummy OPTIONS (debug 'true', b '2');
CREATE FOREIGN DATA WRAPPER checked VALIDATOR postgresql_fdw_validator;
COMMENT ON FOREIGN DATA WRAPPER dummy IS 'no handler';
CREATE SERVER dummy_srv TYPE 'kv' VERSION '1.0' FOREIGN DATA WRAPPER dummy;
CREATE SERVER warehouse FOREIGN DATA WRAPPER postgres_fdw OPTIONS (port '5432', host 'warehouse.internal');
ALTER SERVER warehouse OPTIONS (ADD dbname 'dw', SET port '5433');
ALTER SERVER dummy_srv VERSION '2.0';
COMMENT ON SERVER warehouse IS 'the reporting database';
CREATE USER MAPPING FOR PUBLIC SERVER warehouse OPTIONS (user 'guest', password 'not-in-messages');
ALTER USER MAPPING FOR PUBLIC SERVER warehouse OPTIONS (DROP password);
GRANT USAGE ON FOREIGN SERVER warehouse TO PUBLIC;
GRANT ALL ON FOREIGN DATA WRAPPER dummy TO PUBLIC;
