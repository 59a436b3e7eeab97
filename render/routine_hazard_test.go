package render_test

import "github.com/ddlmig/ddlmig/planner"

// The hazard cases of views, functions and triggers.
func init() {
	const (
		tbl  = "CREATE TABLE t (a int, b int);"
		fn   = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
		trig = "CREATE TRIGGER tg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();"
	)
	hazardCases = append(hazardCases,
		hazardCase{planner.HazardDropView, "dropped", tbl + "CREATE VIEW v AS SELECT a FROM t;", tbl, nil, true},
		hazardCase{planner.HazardDropView, "re-created for a column type change", tbl + "CREATE VIEW v AS SELECT a FROM t;", "CREATE TABLE t (a bigint, b int); CREATE VIEW v AS SELECT a FROM t;", nil, false},
		hazardCase{planner.HazardDropFunction, "dropped", "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';", "", nil, true},
		hazardCase{planner.HazardDropFunction, "new return type", "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';", "CREATE FUNCTION g() RETURNS bigint LANGUAGE sql AS 'SELECT 1';", nil, false},
		hazardCase{planner.HazardDropTrigger, "dropped", tbl + fn + trig, tbl + fn, nil, true},
		hazardCase{planner.HazardDropTrigger, "redefined", tbl + fn + trig, tbl + fn + "CREATE TRIGGER tg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();", nil, false},
		hazardCase{planner.HazardRecreateMatview, "query changed", tbl + "CREATE MATERIALIZED VIEW m AS SELECT a FROM t;", tbl + "CREATE MATERIALIZED VIEW m AS SELECT a, b FROM t;", nil, true},
		hazardCase{planner.HazardRecreateMatview, "index added", tbl + "CREATE MATERIALIZED VIEW m AS SELECT a FROM t;", tbl + "CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX m_a ON m (a);", nil, false},
	)
}
