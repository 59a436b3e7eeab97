package project

import (
	"errors"
	"fmt"
	"github.com/ddlmig/ddlmig/internal/sqltext"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// PlanRun is Plan as generate writes it: a change that one transaction
// cannot hold (enum values it uses, more locks than a default server
// holds: see render.CutEnumValues and render.CutLocks), or that online (nil: off) rewrites into its online forms
// (see planner.Online), becomes consecutive numbered migrations, m.Steps,
// each applying with any runner (one transaction, or statement by
// statement for a no-transaction file). m.Up and m.Down then show every
// file of the run, each under a "-- file:" line, for diff. A run of one
// migration has Steps nil.
//
// Each step's down is planned from the schema before and after it, which
// PlanRun gets by folding the steps' SQL into the current schema one by
// one; the last must give the desired schema, or PlanRun fails rather
// than write a run that does not reach it.
func (s *State) PlanRun(message string, opts planner.Options, online *planner.OnlineOptions) (*Migration, error) {
	up, down, err := s.plans(opts)
	if err != nil {
		return nil, err
	}
	if len(up.Changes) == 0 {
		return s.pair(message, up, down), nil
	}
	steps, rewrote, err := s.upSteps(up, down, mergeRenames(opts, s.Renames), online)
	if err != nil {
		return nil, runError(err, rewrote)
	}
	if len(steps) == 1 && !steps[0].NoTransaction && len(steps[0].Notes) == 0 {
		return s.pair(message, up, down), nil
	}
	// The run's own pair is never rendered: its files are the steps'.
	m := newMigration(s.nextVersion(), message, "", "", up, down)
	downs := []*planner.Plan{down}
	if len(steps) > 1 || steps[0].NoTransaction {
		if downs, err = s.stepDowns(steps, mergeRenames(opts, s.Renames)); err != nil {
			return nil, runError(err, rewrote)
		}
	}
	var ups, dns []string
	for i, st := range steps {
		up, down := render.StepFiles(st, downs[i], render.Header{Message: message, Adopt: s.Adopted}, i+1, len(steps))
		sm := newMigration(m.Version+uint64(i), message, migfile.WithSum(up), migfile.WithSum(down), st.Plan, downs[i])
		if len(steps) == 1 {
			return sm, nil // one migration, with notes or no-transaction
		}
		m.Steps = append(m.Steps, sm)
		ups = append(ups, "-- file: "+sm.UpFile+"\n"+sm.Up)
		dns = append([]string{"-- file: " + sm.DownFile + "\n" + sm.Down}, dns...)
	}
	m.Up, m.Down = strings.Join(ups, "\n"), strings.Join(dns, "\n")
	return m, nil
}

// upSteps cuts the change up (whose down is down) into the steps of its run. When the down
// adds enum values that it then uses (it restores a value the up removes,
// and a function or check that holds it), the change is first split at
// mid, the desired schema with those values added: the run's last
// migration goes from mid to the desired schema, so that its down adds
// the values alone and commits them before the down of the migration
// before it uses them ("unsafe use of new value" otherwise). It reports
// whether any step holds an online form.
func (s *State) upSteps(up, down *planner.Plan, opts planner.Options, online *planner.OnlineOptions) ([]planner.Step, bool, error) {
	mid, err := s.downValuesSchema(down)
	if err != nil {
		return nil, false, err
	}
	if mid == nil {
		steps, rewrote := stepsOf(up, s.Current, s.Desired, online)
		return steps, rewrote, nil
	}
	first, err := planner.Diff(s.Current, mid, opts)
	if err != nil {
		return nil, false, err
	}
	second, err := planner.Diff(mid, s.Desired, planner.Options{})
	if err != nil {
		return nil, false, err
	}
	last, rewroteLast := stepsOf(second, mid, s.Desired, online)
	if len(last) > 0 {
		last[0].Notes = append(last[0].Notes, "The down of this migration adds enum values that the down of the migration "+
			"before uses. PostgreSQL does not let a transaction use an enum value it added itself (\"unsafe use of new "+
			"value\"), so the change is cut here: this down commits the values first.")
	}
	steps, rewrote := stepsOf(first, s.Current, mid, online)
	return append(steps, last...), rewrote || rewroteLast, nil
}

// downValuesSchema returns the desired schema with the enum values added
// that the down must commit before it uses them (render.DownValuesFirst),
// or nil when the down needs no such cut.
func (s *State) downValuesSchema(down *planner.Plan) (*schema.Catalog, error) {
	if down.Irreversible() {
		return nil, nil
	}
	values := render.DownValuesFirst(down)
	if values == nil {
		return nil, nil
	}
	mid, err := cloneCatalog(s.Desired)
	if err != nil {
		return nil, err
	}
	if err := foldStep(parser.NewSession(mid), planner.Step{Plan: values}, "down enum values"); err != nil {
		return nil, err
	}
	return mid, nil
}

// stepsOf cuts plan p, from schema from to schema to, into steps: its
// online forms (when online is not nil), then what one transaction cannot
// hold (render.CutEnumValues, render.CutLocks). An empty plan has none.
// It reports whether it wrote online forms (planner.Online returns p
// itself when it has nothing to rewrite).
func stepsOf(p *planner.Plan, from, to *schema.Catalog, online *planner.OnlineOptions) ([]planner.Step, bool) {
	if len(p.Changes) == 0 {
		return nil, false
	}
	steps := []planner.Step{{Plan: p}}
	if online != nil {
		steps = planner.Online(p, from, to, *online)
	}
	rewrote := len(steps) > 1 || steps[0].Plan != p
	return render.CutLocks(render.CutEnumValues(steps), 0), rewrote
}

// stepDowns plans the down of each step: the inverse a no-transaction step
// carries, or the plan from the schema after a transactional step back to
// the schema before it (see stepDown). The steps are folded one by one
// into one copy of the current schema, which must reach the desired one,
// by one parser.Session: each step's fold then costs what the step
// changes, not what the schema holds.
func (s *State) stepDowns(steps []planner.Step, opts planner.Options) ([]*planner.Plan, error) {
	cat, err := cloneCatalog(s.Current)
	if err != nil {
		return nil, err
	}
	fold := parser.NewSession(cat)
	downs := make([]*planner.Plan, len(steps))
	for i, st := range steps {
		if downs[i], err = s.stepDown(fold, st, fmt.Sprintf("step %d", i+1), opts); err != nil {
			return nil, err
		}
	}
	rest, err := planner.Diff(cat, s.Desired, planner.Options{})
	if err != nil {
		return nil, err
	}
	if !rest.Empty() {
		return nil, &stepError{fmt.Sprintf("the steps of this change miss the schema by:\n%s", strings.TrimRight(render.SQL(rest), "\n"))}
	}
	return downs, nil
}

// stepDown folds st into the catalog of fold and returns its down. A
// transactional step's down is planned on the part of the schema st can
// change (stepScope), before and after; a step that renames, or a schema
// with INHERITS, on the whole schema copied (wholeStepDown). Nothing here
// changes the catalog but fold (the parts share its objects, and
// diffBack sets only DownUsing, which the parser does not read).
func (s *State) stepDown(fold *parser.Session, st planner.Step, name string, opts planner.Options) (*planner.Plan, error) {
	if st.NoTransaction {
		return st.Inverse, foldStep(fold, st, name)
	}
	cat := fold.Catalog()
	o := downOptions(st, opts)
	sc, keys := scopeOf(st.Plan)
	if renamesAny(st.Plan) || !sc.widen(cat, s.Desired, keys) {
		return s.wholeStepDown(fold, st, name, o)
	}
	pre := snapshot(cat)
	before, err := cloneCatalog(sc.part(cat))
	if err != nil {
		return nil, err
	}
	if err := foldStep(fold, st, name); err != nil {
		return nil, err
	}
	after := sc.after(cat, pre, before)
	return s.diffBack(after, before, o), nil
}

// downOptions are the options of the down of st, a step of a change
// planned with opts: a down (Undo), with the inverted renames if st
// renames.
func downOptions(st planner.Step, opts planner.Options) planner.Options {
	if renames(st.Plan) {
		return opts.Invert()
	}
	return planner.Options{Undo: !opts.Undo}
}

// wholeStepDown is stepDown on a copy of the whole schema.
func (s *State) wholeStepDown(fold *parser.Session, st planner.Step, name string, o planner.Options) (*planner.Plan, error) {
	before, err := cloneCatalog(fold.Catalog())
	if err != nil {
		return nil, err
	}
	if err := foldStep(fold, st, name); err != nil {
		return nil, err
	}
	return s.diffBack(fold.Catalog(), before, o), nil
}

// diffBack plans the way from after back to before. The columns of after
// take the -- ddlmig:down-using comments schema.sql gives them: the step's
// SQL, folded, has lost them, and the down of a type change with no cast
// back needs them as the down of the whole change does.
func (s *State) diffBack(after, before *schema.Catalog, o planner.Options) *planner.Plan {
	downUsing(after, s.Desired)
	down, err := planner.Diff(after, before, o)
	if err != nil {
		return unplannedDown(err)
	}
	return down
}

// downUsing copies the DownUsing of the columns of desired to the
// same-named columns of the same-named tables of c.
func downUsing(c, desired *schema.Catalog) {
	for name, t := range c.Tables {
		d := desired.Tables[name]
		if d == nil {
			continue
		}
		for _, col := range t.Columns {
			if dc := d.Column(col.Name); dc != nil && dc.DownUsing != "" {
				col.DownUsing = dc.DownUsing
			}
		}
	}
}

// foldStep folds the SQL of st into the catalog of fold, as the fold of
// the migration it becomes will.
func foldStep(fold *parser.Session, st planner.Step, name string) error {
	if _, err := fold.Parse(name, []byte(render.SQL(st.Plan)), foldOptions); err != nil {
		return &stepError{fmt.Sprintf("%s of this change does not read back (%v)", name, err)}
	}
	return nil
}

// stepError is a failure to plan the run of steps a change is cut into;
// runError gives it the way out that is true of the run.
type stepError struct{ msg string }

func (e *stepError) Error() string { return e.msg }

// runError completes err, when it is a stepError, with what is true of
// the run: with online forms (rewrote), --online=false writes the
// blocking forms instead; without, the run is cut only so that each
// migration applies as one transaction, which --online=false does not
// change, and the way out is to write the migrations by hand.
func runError(err error, rewrote bool) error {
	var se *stepError
	if !errors.As(err, &se) {
		return err
	}
	if rewrote {
		return fmt.Errorf("%s; generate --online=false writes the blocking forms instead of the online ones", se.msg)
	}
	return fmt.Errorf("%s; the change is cut only so that each migration applies as one transaction (enum values that later statements use, "+
		"more locks than a server with default settings holds), which --online=false does not change: "+
		"write this change's migrations by hand, and report it to ddlmig", se.msg)
}

// renames reports whether p renames a table or a column: the step whose
// down takes the inverted renames.
func renames(p *planner.Plan) bool {
	for _, c := range p.Changes {
		switch c.(type) {
		case *planner.RenameTable, *planner.RenameColumn:
			return true
		}
	}
	return false
}

// renamesAny reports whether p renames anything: the parser follows a
// rename into the objects that name the renamed one (a view follows its
// table), beyond any scope the changes give, so such a step is planned on
// the whole schema.
func renamesAny(p *planner.Plan) bool {
	for _, c := range p.Changes {
		switch c.(type) {
		case *planner.RenameTable, *planner.RenameColumn, *planner.RenameIndex, *planner.RenameConstraint,
			*planner.RenameSequence, *planner.RenameEnumValue, *planner.RenameDomainConstraint:
			return true
		}
	}
	return false
}

// unplannedDown is the down of a change whose way back the planner could
// not plan: it stops, flagged for review, for the user to write by hand.
func unplannedDown(err error) *planner.Plan {
	reason := "ddlmig could not plan this down migration (" + err.Error() + "); write it by hand"
	return &planner.Plan{Changes: []planner.Change{&planner.Irreversible{
		Base:   planner.Base{Hazards: []planner.Hazard{{Code: planner.HazardIrreversible, Message: reason}}},
		Reason: reason,
	}}}
}

// cloneCatalog copies c deeply (deepCopy), so that folding a step into
// the copy leaves c as it was.
func cloneCatalog(c *schema.Catalog) (*schema.Catalog, error) {
	if !catalogGobs() {
		return nil, &stepError{"cannot copy the schema model to plan the downs of the steps"}
	}
	return deepCopy(c), nil
}

// files are the migrations m writes: its steps, or itself.
func (m *Migration) files() []*Migration {
	if len(m.Steps) > 0 {
		return m.Steps
	}
	return []*Migration{m}
}

// onlineOptions reads the "-- ddlmig:online off" comments of the schema
// files (see parser.OnlineDirectives), each at its own file:line.
func onlineOptions(sp *sqltext.Spliced) (planner.OnlineOptions, error) {
	var ds []parser.OnlineDirective
	var errs schema.ErrorList
	for _, file := range sp.Files() {
		text, _ := sp.FileText(file)
		d, err := parser.OnlineDirectives(file, []byte(text))
		errs = appendErr(errs, err)
		ds = append(ds, d...)
	}
	var err error
	if len(errs) > 0 {
		errs.Sort()
		err = errs
	}
	o := planner.OnlineOptions{OffTables: map[schema.QualifiedName]bool{}, OffIndexes: map[schema.QualifiedName]bool{}}
	for _, d := range ds {
		if d.Index.Name != "" {
			o.OffIndexes[d.Index] = true
		} else {
			o.OffTables[d.Table] = true
		}
	}
	return o, err
}
