package conformance

import (
	"context"
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// migCase is one migration to generate and judge.
type migCase struct {
	// OldSQL and NewSQL are the schemas as files: ddlmig parses them, and
	// unless OldLoad/NewLoad are set the oracle loads them as they are.
	OldSQL, NewSQL string
	// OldLoad and NewLoad, when not empty, replace the text the oracle loads
	// into the reference databases (a schema PostgreSQL cannot run in the
	// order written is loaded through ddlmig's own migration from empty).
	OldLoad, NewLoad string
	// Renames tells the oracle's data checks which tables and columns the
	// case renames (oracle.Case.Renames), so that a drop and an add that
	// loses their rows fails.
	Renames map[string]string
	// Session, when not nil, is the role, schema and search_path the case
	// runs with (searchpath_test.go).
	Session *session
}

// parsed parses a schema file; an error from a statement ddlmig does not
// model yet is reported as unsupported, with the first such message as
// reason.
func parseSchema(name, src string) (*schema.Catalog, *Result) {
	return parseSchemaIn(name, src, nil)
}

// parseSchemaIn is parseSchema in a session (nil for none).
func parseSchemaIn(name, src string, sess *session) (*schema.Catalog, *Result) {
	cat, err := sess.parse(name, src)
	if err == nil {
		return cat, nil
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if i := strings.Index(line, ": unsupported "); i >= 0 {
			return nil, &Result{Status: Unsupported, Reason: line[i+2:], Detail: err.Error()}
		}
	}
	return nil, &Result{Status: Fail, Reason: "parse error", Detail: err.Error()}
}

// plan generates the migration pair the CLI would write, with the renames
// that the rename comments of desiredSrc ask for.
func plan(current, desired *schema.Catalog, desiredSrc string) (*project.Migration, error) {
	renames, _, err := project.Renames([]byte(desiredSrc), current, desired)
	if err != nil {
		return nil, err
	}
	st := &project.State{Current: current, Desired: desired, Renames: renames}
	return st.Plan("conformance", planner.Options{})
}

// check generates the migration from OldSQL to NewSQL and judges it: the
// oracle round trip on the server, then a refold (ddlmig reading its own
// up file on top of the old schema must get the new one, and the down file
// the old one again, or the next generate would not be empty).
func check(ctx context.Context, c migCase) Result {
	current, res := parseSchemaIn("current.sql", c.OldSQL, c.Session)
	if res != nil {
		return *res
	}
	desired, res := parseSchemaIn("desired.sql", c.NewSQL, c.Session)
	if res != nil {
		return *res
	}
	mig, err := plan(current, desired, c.NewSQL)
	if err != nil {
		return Result{Status: Fail, Reason: "plan error", Detail: err.Error()}
	}
	if mig.UpPlan.Irreversible() {
		return Result{Status: Fail, Reason: "irreversible up", Detail: mig.Up}
	}
	oc := oracle.Case{Old: c.OldSQL, New: c.NewSQL, Up: mig.Up, Down: mig.Down, Renames: c.Renames}
	// A down that refuses by design (PostgreSQL cannot drop an enum value)
	// is not run; the up is still judged.
	oc.SkipDown = mig.DownPlan.Irreversible()
	if c.OldLoad != "" {
		oc.Old = c.OldLoad
	}
	if c.NewLoad != "" {
		oc.New = c.NewLoad
	}
	oc.Old, oc.New = c.Session.wrap(oc.Old, true), c.Session.wrap(oc.New, true)
	oc.Up, oc.Down = c.Session.wrap(oc.Up, false), c.Session.wrap(oc.Down, false)
	// A change flagged as checking existing rows may fail on the oracle's
	// filler rows by design; sqldef's harness runs on empty tables too.
	if mig.UpPlan.MayFailOnRows() || mig.DownPlan.MayFailOnRows() {
		oc.Rows = -1
	}
	detail := func() string {
		return fmt.Sprintf("-- up.sql:\n%s\n-- down.sql:\n%s", mig.Up, mig.Down)
	}
	rep, err := oracle.RoundTripIn(ctx, testdb.Databases(), oc)
	if err != nil {
		return Result{Status: Fail, Reason: "server error", Detail: err.Error(), Server: true}
	}
	if !rep.OK() {
		reason := ""
		switch {
		case rep.Failed != nil:
			reason = rep.Failed.Script + " failed"
		case len(rep.UpDiffs) > 0:
			reason = "up diff"
		case len(rep.UpData) > 0:
			reason = "up data"
		case len(rep.DownDiffs) > 0:
			reason = "down diff"
		default:
			reason = "down data"
		}
		return Result{Status: Fail, Reason: reason, Detail: rep.String() + detail(),
			Server: rep.Failed != nil && serverTrouble(rep.Failed.Err)}
	}
	if msg := refold(c.OldSQL, current, desired, mig, oc.SkipDown, c.Session); msg != "" {
		return Result{Status: Fail, Reason: "refold", Detail: msg + "\n" + detail()}
	}
	if oc.SkipDown {
		return Result{Status: Pass, Reason: "down irreversible, not run"}
	}
	return Result{Status: Pass}
}

// refold folds the generated files onto the old schema as `ddlmig generate`
// will on its next run, and reports what the planner still finds to do.
func refold(oldSQL string, current, desired *schema.Catalog, mig *project.Migration, upOnly bool, sess *session) string {
	cat, err := sess.parse("current.sql", oldSQL)
	if err != nil {
		return "reparse old: " + err.Error()
	}
	for _, step := range []struct {
		name, sql string
		want      *schema.Catalog
	}{{"up.sql", mig.Up, desired}, {"down.sql", mig.Down, current}} {
		if upOnly && step.name == "down.sql" {
			break
		}
		if _, err := parser.Parse(cat, step.name, []byte(step.sql), parser.Options{Migration: true}); err != nil {
			return "folding " + step.name + ": " + err.Error()
		}
		p, err := planner.Diff(cat, step.want, planner.Options{})
		if err != nil {
			return "planning after " + step.name + ": " + err.Error()
		}
		if len(p.Changes) > 0 {
			var b strings.Builder
			fmt.Fprintf(&b, "after folding %s, %d change(s) remain:", step.name, len(p.Changes))
			for _, ch := range p.Changes {
				fmt.Fprintf(&b, "\n\t%s", oneLine(render.Statement(ch)))
			}
			return b.String()
		}
	}
	return ""
}
