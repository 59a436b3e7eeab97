package project

import (
	"slices"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// TestStepDownsCatchWrongSteps holds stepDowns to its proof that a run of
// steps reaches the desired schema: a first migration of synthetic tables
// cut into steps passes, and the same run with a step left out, with a
// change left out of a step, or with two steps swapped (a foreign key
// before the table it references) fails instead of being written, with a
// message that does not suggest --online=false for a run it would not
// change.
func TestStepDownsCatchWrongSteps(t *testing.T) {
	r := synth.Generate(synth.Options{Tables: 40, Seed: 5})
	desired := parseCase(t, "schema.sql", string(r.Base))
	s := &State{Current: schema.New(), Desired: desired}
	up, err := planner.Diff(s.Current, desired, planner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := render.CutLocks([]planner.Step{{Plan: up}}, 20)
	if len(steps) < 4 {
		t.Fatalf("cut into %d steps, want 4 or more", len(steps))
	}
	if _, err := s.stepDowns(steps, planner.Options{}); err != nil {
		t.Fatalf("the run as cut: %v", err)
	}
	last := len(steps) - 1
	shorter := *steps[last].Plan
	shorter.Changes = shorter.Changes[:len(shorter.Changes)-1]
	cases := map[string][]planner.Step{
		"step left out":   slices.Delete(slices.Clone(steps), 1, 2),
		"change left out": append(slices.Clone(steps[:last]), planner.Step{Plan: &shorter}),
		"steps swapped":   append([]planner.Step{steps[last]}, steps[:last]...),
	}
	for name, wrong := range cases {
		_, err := s.stepDowns(wrong, planner.Options{})
		if err == nil {
			t.Errorf("%s: stepDowns accepted a run that does not reach the schema", name)
			continue
		}
		t.Logf("%s: %.120s", name, err)
		if msg := err.Error(); !strings.Contains(msg, "miss the schema") && !strings.Contains(msg, "does not read back") {
			t.Errorf("%s: unexpected error %v", name, err)
		}
		// The run is cut for locks only: --online=false would cut it
		// the same way, and the message must not send the user there.
		if msg := runError(err, false).Error(); strings.Contains(msg, "--online=false writes") || !strings.Contains(msg, "write this change's migrations by hand") {
			t.Errorf("%s: a run cut only for locks fails with %q", name, msg)
		}
		if msg := runError(err, true).Error(); !strings.Contains(msg, "generate --online=false writes the blocking forms") {
			t.Errorf("%s: a run with online forms fails with %q", name, msg)
		}
	}
}
