package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenameIdents(t *testing.T) {
	m := map[string]string{"name": "full_name", "lower": "Lower Case", "t": "x"}
	tests := []struct{ in, want string }{
		{"UNIQUE (name)", "UNIQUE (full_name)"},
		{"CHECK (name <> 'name')", "CHECK (full_name <> 'name')"},
		{"CHECK (name <> 'it''s name')", "CHECK (full_name <> 'it''s name')"},
		{"(lower(name))", "(lower(full_name))"}, // a function keeps its name
		{"(lower)", `("Lower Case")`},
		{`("name")`, "(full_name)"},
		{"(t.name)", "(t.name)"},   // qualified: left alone, a miss only costs a rebuild
		{"(x::name)", "(x::name)"}, // nor is a type
		{"CHECK (n > 1e5 AND name IS NOT NULL)", "CHECK (n > 1e5 AND full_name IS NOT NULL)"},
		{"(names)", "(names)"},
	}
	for _, tt := range tests {
		if got := renameIdents(tt.in, m); got != tt.want {
			t.Errorf("renameIdents(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIdentityOptionChanges(t *testing.T) {
	tests := []struct {
		from, to string
		want     []string
	}{
		{"", "START WITH 100 INCREMENT BY 5", []string{"START WITH 100", "INCREMENT BY 5"}},
		{"START WITH 100 INCREMENT BY 5", "", []string{"START WITH 1", "INCREMENT BY 1"}},
		{"MAXVALUE 10 CYCLE", "MAXVALUE 20", []string{"MAXVALUE 20", "NO CYCLE"}},
		{"CACHE 5 NO MINVALUE", "CACHE 5 MINVALUE 3", []string{"MINVALUE 3"}},
		{"START WITH 1", "START WITH 1", nil},
	}
	for _, tt := range tests {
		got := identityOptionChanges(tt.from, tt.to)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("identityOptionChanges(%q, %q) (-want +got)\n%s", tt.from, tt.to, d)
		}
	}
}
