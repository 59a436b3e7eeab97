package project

import (
	"bytes"
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
	m, err := s.Plan(message, opts)
	if err != nil || m.Empty() {
		return m, err
	}
	steps := []planner.Step{{Plan: m.UpPlan}}
	if online != nil {
		steps = planner.Online(m.UpPlan, s.Current, s.Desired, *online)
	}
	steps = render.CutLocks(render.CutEnumValues(steps), 0)
	if len(steps) == 1 && !steps[0].NoTransaction && len(steps[0].Notes) == 0 {
		return m, nil
	}
	downs := []*planner.Plan{m.DownPlan}
	if len(steps) > 1 || steps[0].NoTransaction {
		if downs, err = s.stepDowns(steps, mergeRenames(opts, s.Renames)); err != nil {
			return nil, err
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

// stepDowns plans the down of each step: the inverse a no-transaction step
// carries, or the plan from the schema after a transactional step back to
// the schema before it.
func (s *State) stepDowns(steps []planner.Step, opts planner.Options) ([]*planner.Plan, error) {
	cat, err := cloneCatalog(s.Current)
	if err != nil {
		return nil, err
	}
	downs := make([]*planner.Plan, len(steps))
	for i, st := range steps {
		before, err := cloneCatalog(cat)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("step %d", i+1)
		if _, err := parser.Parse(cat, name, []byte(render.SQL(st.Plan)), foldOptions); err != nil {
			return nil, fmt.Errorf("the online form of this change does not read back (%v); generate --online=false writes the blocking form", err)
		}
		if st.NoTransaction {
			downs[i] = st.Inverse
			continue
		}
		o := planner.Options{}
		if renames(st.Plan) {
			o = opts.Invert()
		}
		if downs[i], err = planner.Diff(cat, before, o); err != nil {
			downs[i] = unplannedDown(err)
		}
	}
	rest, err := planner.Diff(cat, s.Desired, planner.Options{})
	if err != nil {
		return nil, err
	}
	if !rest.Empty() {
		return nil, fmt.Errorf("the online form of this change misses the schema by:\n%s\ngenerate --online=false writes the blocking form", render.SQL(rest))
	}
	return downs, nil
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

// unplannedDown is the down of a change whose way back the planner could
// not plan: it stops, flagged for review, for the user to write by hand.
func unplannedDown(err error) *planner.Plan {
	reason := "ddlmig could not plan this down migration (" + err.Error() + "); write it by hand"
	return &planner.Plan{Changes: []planner.Change{&planner.Irreversible{
		Base:   planner.Base{Hazards: []planner.Hazard{{Code: planner.HazardIrreversible, Message: reason}}},
		Reason: reason,
	}}}
}

// cloneCatalog copies c deeply through the fold cache's encoding, so that
// folding a step into the copy leaves c as it was.
func cloneCatalog(c *schema.Catalog) (*schema.Catalog, error) {
	if !catalogGobs() {
		return nil, errors.New("cannot copy the schema model to plan the downs of the steps; generate --online=false writes one migration")
	}
	var buf bytes.Buffer
	if err := encodeEntry(&buf, &cacheEntry{Catalog: c}, cacheShard); err != nil {
		return nil, err
	}
	e := decodeEntry(&buf)
	if e == nil {
		return nil, errors.New("copying the schema model failed")
	}
	return e.Catalog, nil
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
