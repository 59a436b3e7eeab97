package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
)

// NoTransactionMarker on a file's first line makes runners apply it
// statement by statement (migfile.NoTransactionMarker, spelled here so that
// render keeps depending on the model and the planner only).
const NoTransactionMarker = "-- ddlmig:no-transaction"

// StepMarker heads each file of a run that generate wrote as consecutive
// migrations, followed by "K of N": generate --amend replaces the whole
// run, and a reader sees that the files belong together.
const StepMarker = "-- ddlmig:step"

// CutEnumValues splits the first step of steps when it adds enum values
// that its later statements use (see enumCut): the values get a migration
// of their own, committed before the statements that use them, so that
// every file applies as one transaction with any runner.
func CutEnumValues(steps []planner.Step) []planner.Step {
	if len(steps) == 0 || steps[0].NoTransaction {
		return steps
	}
	first := steps[0]
	cut := enumCut(first.Plan)
	if cut == 0 {
		return steps
	}
	values := planner.Step{
		Plan: &planner.Plan{Changes: first.Plan.Changes[:cut:cut], PossibleRenames: first.Plan.PossibleRenames},
		Notes: []string{"This migration adds enum values that the next migration uses. PostgreSQL does not " +
			"let a transaction use an enum value it added itself (\"unsafe use of new value\"), so the values " +
			"are committed first, in a migration of their own. They are harmless alone: nothing holds them yet."},
	}
	rest := first
	rest.Plan = &planner.Plan{Changes: first.Plan.Changes[cut:]}
	out := append([]planner.Step{values, rest}, steps[1:]...)
	return out
}

// DownValuesFirst returns the leading changes of p, a down plan, that add
// enum values which its later changes use (see enumCut), or nil when p
// needs no such cut. A down file cannot be cut into two migrations as an
// up file can, since it pairs with its up: the caller splits the whole
// change at the schema that holds these values instead (project.PlanRun).
func DownValuesFirst(p *planner.Plan) *planner.Plan {
	cut := enumCut(p)
	if cut == 0 {
		return nil
	}
	return &planner.Plan{Changes: p.Changes[:cut:cut]}
}

// CutLocks splits each transactional step of steps that would lock more
// than budget relations (DefaultBatchRelations when 0; negative: never)
// into consecutive steps that each lock at most about budget (see
// batches), so that every file generate writes applies as one transaction
// on a server with default settings, with any runner (psql -1 -f,
// golang-migrate). A no-transaction step runs statement by statement and
// holds its locks one statement at a time: it is left whole.
func CutLocks(steps []planner.Step, budget int) []planner.Step {
	var out []planner.Step
	for _, st := range steps {
		cuts := batches(st.Plan, budget)
		if st.NoTransaction || len(cuts) == 0 {
			out = append(out, st)
			continue
		}
		note := lockNote(len(cuts)+1, budget)
		start := 0
		for i, end := range append(cuts, len(st.Plan.Changes)) {
			part := st
			part.Plan = &planner.Plan{Changes: st.Plan.Changes[start:end:end]}
			if i == 0 {
				part.Plan.PossibleRenames = st.Plan.PossibleRenames
			}
			part.Notes = append(slices.Clip(st.Notes), note)
			out = append(out, part)
			start = end
		}
	}
	return out
}

// lockNote is the note of the n steps CutLocks cut one change into: why,
// and what it means for atomicity, so that nobody has to look it up.
func lockNote(n, budget int) string {
	if budget == 0 {
		budget = DefaultBatchRelations
	}
	return fmt.Sprintf("In one transaction this change would lock more relations than a PostgreSQL server with "+
		"default settings can hold (max_locks_per_transaction = 64), so it is written as %d consecutive "+
		"migrations that each lock at most about %d. Each commits on its own: if one fails, the ones before "+
		"it stay applied, and apply resumes at the one that failed once the cause is fixed.", n, budget)
}

// StepFiles renders step k (1-based) of the n steps of one run: the up
// file, and the down file that undoes the step from down. A no-transaction
// step's files both start with NoTransactionMarker. With n > 1 both carry
// StepMarker and the step's notes, which say what online rewrite or cut
// the step is part of and why.
func StepFiles(st planner.Step, down *planner.Plan, h Header, k, n int) (upSQL, downSQL string) {
	// Never batch markers: CutLocks has cut the steps already, and a down
	// undoes no more than its step did.
	h.BatchRelations = -1
	if k > 1 {
		h.Adopt = nil // the first step took them over
	}
	o := fileOpts{noTx: st.NoTransaction, notes: st.Notes}
	if n > 1 {
		o.step = fmt.Sprintf("%d of %d", k, n)
	}
	d := o
	d.isDown, d.upHazards = true, st.Plan.Hazards()
	d.notes = nil
	if n > 1 {
		d.notes = []string{fmt.Sprintf("Undoes migration %d of %d of the run (run the downs newest first).", k, n)}
	}
	return file(st.Plan, h, o), file(down, h, d)
}

// wrapComment renders text as comment lines of at most about 78
// characters.
func wrapComment(text string) string {
	var b strings.Builder
	line := "--"
	for _, w := range strings.Fields(oneLine(text)) {
		if len(line)+1+len(w) > 78 && line != "--" {
			b.WriteString(line + "\n")
			line = "--"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}
