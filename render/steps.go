package render

import (
	"fmt"
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

// StepFiles renders step k (1-based) of the n steps of one run: the up
// file, and the down file that undoes the step from down. A no-transaction
// step's files both start with NoTransactionMarker. With n > 1 both carry
// StepMarker and the step's notes, which say what online rewrite the step
// is part of and why.
func StepFiles(st planner.Step, down *planner.Plan, h Header, k, n int) (upSQL, downSQL string) {
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
