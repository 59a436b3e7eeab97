package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/schema"
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
		{"", "START WITH 100 INCREMENT BY 5", []string{"INCREMENT BY 5", "START WITH 100"}},
		{"START WITH 100 INCREMENT BY 5", "", []string{"INCREMENT BY 1", "START WITH 1"}},
		{"MAXVALUE 10 CYCLE", "MAXVALUE 20", []string{"MAXVALUE 20", "NO CYCLE"}},
		// A MINVALUE without START moves the start with it; the old start
		// 1 is below the new bound, so the counter restarts.
		{"CACHE 5 NO MINVALUE", "CACHE 5 MINVALUE 3", []string{"MINVALUE 3", "START WITH 3", "RESTART"}},
		{"START WITH 1", "START WITH 1", nil},
		// sqldef IdentitySequenceOptionsIgnored: START equal to MINVALUE
		// is left out of the canonical text.
		{"INCREMENT BY 10 MINVALUE -200 MAXVALUE 200", "INCREMENT BY 5 MINVALUE -100 MAXVALUE 100",
			[]string{"INCREMENT BY 5", "MINVALUE -100", "MAXVALUE 100", "START WITH -100", "RESTART"}},
		// The range grows around the old start: no restart.
		{"INCREMENT BY 5 MINVALUE -100 MAXVALUE 100", "INCREMENT BY 10 MINVALUE -200 MAXVALUE 200",
			[]string{"INCREMENT BY 10", "MINVALUE -200", "MAXVALUE 200", "START WITH -200"}},
		// Descending: the start is the MAXVALUE, -1 by default.
		{"INCREMENT BY -1", "INCREMENT BY -1 MAXVALUE -10", []string{"MAXVALUE -10", "START WITH -10", "RESTART"}},
		{"INCREMENT BY -1 START WITH -5", "INCREMENT BY -1 MAXVALUE -2 START WITH -5", []string{"MAXVALUE -2"}},
	}
	for _, tt := range tests {
		got := identityOptionChanges(tt.from, tt.to)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("identityOptionChanges(%q, %q) (-want +got)\n%s", tt.from, tt.to, d)
		}
	}
}

func TestSameBody(t *testing.T) {
	table := func(edit func(*schema.Table)) *schema.Table {
		t := &schema.Table{
			Name: schema.QualifiedName{Schema: "public", Name: "t"},
			Columns: []*schema.Column{
				{Name: "id", ColumnDef: schema.ColumnDef{Type: schema.TypeName{Name: "integer"}, NotNull: true}},
				{Name: "name", ColumnDef: schema.ColumnDef{Type: schema.TypeName{Name: "text"}, Comment: "shown"}},
			},
			Constraints: []*schema.Constraint{
				{Name: "t_pkey", ConstraintDef: schema.ConstraintDef{Kind: schema.PrimaryKey, Def: "PRIMARY KEY (id)"}, Columns: []string{"id"}},
			},
		}
		if edit != nil {
			edit(t)
		}
		return t
	}
	tests := []struct {
		name string
		edit func(*schema.Table)
		want bool
	}{
		{"equal", nil, true},
		// Positions and the table's own comment and options are other
		// steps' business.
		{"other position", func(t *schema.Table) { t.Columns[0].Pos = schema.Pos{Line: 9} }, true},
		{"table comment", func(t *schema.Table) { t.Comment = "x" }, true},
		{"column comment", func(t *schema.Table) { t.Columns[1].Comment = "" }, false},
		{"column type", func(t *schema.Table) { t.Columns[0].Type.Name = "bigint" }, false},
		{"column renamed", func(t *schema.Table) { t.Columns[1].Name = "label" }, false},
		{"columns reordered", func(t *schema.Table) { t.Columns[0], t.Columns[1] = t.Columns[1], t.Columns[0] }, false},
		{"column added", func(t *schema.Table) { t.Columns = append(t.Columns, &schema.Column{Name: "x"}) }, false},
		{"constraint def", func(t *schema.Table) { t.Constraints[0].Def = "PRIMARY KEY (id, name)" }, false},
		{"constraint not valid", func(t *schema.Table) { t.Constraints[0].NotValid = true }, false},
		{"constraint comment", func(t *schema.Table) { t.Constraints[0].Comment = "x" }, false},
		{"constraint renamed", func(t *schema.Table) { t.Constraints[0].Name = "pk" }, false},
		{"constraint dropped", func(t *schema.Table) { t.Constraints = nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, to := table(nil), table(tt.edit)
			if got := sameBody(f, to); got != tt.want {
				t.Errorf("sameBody = %v, want %v", got, tt.want)
			}
			if got := sameBody(to, f); got != tt.want {
				t.Errorf("sameBody reversed = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestColumnRenameSteps checks the order of RENAME COLUMN steps: chains
// run target-first, a swap passes through a parked name, and a column in
// the way that no rename moves is parked (and then dropped by the plan).
func TestColumnRenameSteps(t *testing.T) {
	table := func(cols ...string) *schema.Table {
		t := &schema.Table{}
		for _, c := range cols {
			t.Columns = append(t.Columns, &schema.Column{Name: c})
		}
		return t
	}
	for _, c := range []struct {
		name  string
		cols  []string
		m     map[string]string
		steps [][2]string
		final map[string]string
	}{
		{"plain", []string{"a"}, map[string]string{"a": "b"}, [][2]string{{"a", "b"}}, map[string]string{"a": "b"}},
		{"chain", []string{"a", "b"}, map[string]string{"a": "b", "b": "c"},
			[][2]string{{"b", "c"}, {"a", "b"}}, map[string]string{"a": "b", "b": "c"}},
		{"swap", []string{"a", "b"}, map[string]string{"a": "b", "b": "a"},
			[][2]string{{"a", "a__ddlmig_old"}, {"b", "a"}, {"a__ddlmig_old", "b"}}, map[string]string{"a": "b", "b": "a"}},
		{"in the way", []string{"a", "b", "b__ddlmig_old"}, map[string]string{"a": "b"},
			[][2]string{{"b", "b__ddlmig_old1"}, {"a", "b"}}, map[string]string{"a": "b", "b": "b__ddlmig_old1"}},
	} {
		steps, final := columnRenameSteps(table(c.cols...), c.m)
		if diff := cmp.Diff(c.steps, steps); diff != "" {
			t.Errorf("%s: steps (-want +got):\n%s", c.name, diff)
		}
		if diff := cmp.Diff(c.final, final); diff != "" {
			t.Errorf("%s: final names (-want +got):\n%s", c.name, diff)
		}
	}
}
