package render_test

import "github.com/ddlmig/ddlmig/planner"

// The hazard cases of opaque objects, casts and rules: each code flagged,
// and its near miss.
func init() {
	const fn = "CREATE TYPE mood AS ENUM ('a'); CREATE FUNCTION ml(mood) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"
	const tbl = "CREATE TABLE t (id int);"
	hazardCases = append(hazardCases,
		hazardCase{planner.HazardDropOpaque, "dropped", "CREATE ACCESS METHOD a TYPE INDEX HANDLER bthandler;", "", nil, true},
		hazardCase{planner.HazardDropOpaque, "re-created", "CREATE ACCESS METHOD a TYPE INDEX HANDLER bthandler;", "CREATE ACCESS METHOD a TYPE INDEX HANDLER hashhandler;", nil, false},
		hazardCase{planner.HazardRecreateOpaque, "handler changed", "CREATE ACCESS METHOD a TYPE INDEX HANDLER bthandler;", "CREATE ACCESS METHOD a TYPE INDEX HANDLER hashhandler;", nil, true},
		hazardCase{planner.HazardRecreateOpaque, "written otherwise, commented", "CREATE ACCESS METHOD a TYPE INDEX HANDLER bthandler;", "create access method a type index handler pg_catalog.bthandler; COMMENT ON ACCESS METHOD a IS 'x';", nil, false},
		hazardCase{planner.HazardDropCast, "dropped", fn + "CREATE CAST (mood AS int) WITH FUNCTION ml(mood);", fn, nil, true},
		hazardCase{planner.HazardDropCast, "context changed", fn + "CREATE CAST (mood AS int) WITH FUNCTION ml(mood);", fn + "CREATE CAST (mood AS int) WITH FUNCTION ml(mood) AS IMPLICIT;", nil, false},
		hazardCase{planner.HazardDropRule, "dropped", tbl + "CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;", tbl, nil, true},
		hazardCase{planner.HazardDropRule, "replaced", tbl + "CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;", tbl + "CREATE RULE r AS ON DELETE TO t WHERE old.id > 0 DO INSTEAD NOTHING;", nil, false},
	)
}
