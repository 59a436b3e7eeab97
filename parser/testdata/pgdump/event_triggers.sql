-- Event triggers: pg_dump qualifies the function and prints the state and
-- comment after the trigger.
CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER audit ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION audit_ddl();
COMMENT ON EVENT TRIGGER audit IS 'audits DDL';
ALTER EVENT TRIGGER audit ENABLE ALWAYS;
CREATE EVENT TRIGGER drops ON sql_drop EXECUTE PROCEDURE audit_ddl();
ALTER EVENT TRIGGER drops DISABLE;
