package planner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// These tests build catalogs directly in Go, so they pin the planner's
// decisions without depending on the parser; the golden tests in package
// render cover the same ground from SQL text.

func qn(name string) schema.QualifiedName {
	if s, n, ok := strings.Cut(name, "."); ok {
		return schema.QualifiedName{Schema: s, Name: n}
	}
	return schema.QualifiedName{Schema: schema.DefaultSchema, Name: name}
}

func col(name, typ string, notNull bool) *schema.Column {
	return &schema.Column{Name: name, ColumnDef: schema.ColumnDef{Type: schema.TypeName{Name: typ}, NotNull: notNull}}
}

func pk(name string, cols ...string) *schema.Constraint {
	return &schema.Constraint{
		Name:          name,
		ConstraintDef: schema.ConstraintDef{Kind: schema.PrimaryKey, Def: "PRIMARY KEY (" + strings.Join(cols, ", ") + ")"},
		Columns:       cols,
	}
}

func fk(name, column, ref, refCol string) *schema.Constraint {
	return &schema.Constraint{
		Name: name,
		ConstraintDef: schema.ConstraintDef{Kind: schema.ForeignKey,
			Def: fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s)", column, qn(ref), refCol)},
		Columns:    []string{column},
		RefTable:   qn(ref),
		RefColumns: []string{refCol},
	}
}

func table(name string, cols []*schema.Column, cons ...*schema.Constraint) *schema.Table {
	return &schema.Table{Name: qn(name), Columns: cols, Constraints: cons}
}

func catalog(tables ...*schema.Table) *schema.Catalog {
	c := schema.New()
	for _, t := range tables {
		c.Tables[t.Name] = t
	}
	return c
}

// kinds lists the plan as "Type target" strings: enough to pin order.
func kinds(p *planner.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		s := fmt.Sprintf("%T", c)
		s = strings.TrimPrefix(s, "*planner.")
		switch c := c.(type) {
		case *planner.DropTable:
			s += " " + c.Name.Name
		case *planner.CreateTable:
			s += " " + c.Name.Name
		case *planner.DropConstraint:
			s += " " + c.Table.Name + "." + c.Name
		case *planner.AddConstraint:
			s += " " + c.Table.Name + "." + c.Constraint.Name
		case *planner.AddEnumValue:
			s += fmt.Sprintf(" %s before=%q after=%q", c.Value, c.Before, c.After)
		case *planner.RenameTable:
			s += " " + c.Name.Name + "->" + c.To
		case *planner.RenameColumn:
			s += " " + c.Table.Name + "." + c.From + "->" + c.To
		case *planner.AddColumn:
			s += " " + c.Table.Name + "." + c.Column.Name
		case *planner.DropColumn:
			s += " " + c.Table.Name + "." + c.Column
		case *planner.AlterColumnType:
			s += " " + c.Column + " " + c.Type.String() + " using=" + c.Using
		case *planner.SetDefault:
			s += " " + c.Column + " " + c.Default
		case *planner.DropDefault:
			s += " " + c.Column
		}
		out = append(out, s)
	}
	return out
}

func mustDiff(t *testing.T, from, to *schema.Catalog, opts planner.Options) *planner.Plan {
	t.Helper()
	p, err := planner.Diff(from, to, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDropTablesOrder(t *testing.T) {
	// a and b reference each other; c references a; all go.
	a := table("a", []*schema.Column{col("id", "integer", true), col("b_id", "integer", false)}, pk("a_pkey", "id"), fk("a_b_fk", "b_id", "b", "id"))
	b := table("b", []*schema.Column{col("id", "integer", true), col("a_id", "integer", false)}, pk("b_pkey", "id"), fk("b_a_fk", "a_id", "a", "id"))
	c := table("c", []*schema.Column{col("a_id", "integer", false)}, fk("c_a_fk", "a_id", "a", "id"))
	kept := table("kept", []*schema.Column{col("a_id", "integer", false)}, fk("kept_a_fk", "a_id", "a", "id"))
	keptAfter := table("kept", []*schema.Column{col("a_id", "integer", false)})
	got := kinds(mustDiff(t, catalog(a, b, c, kept), catalog(keptAfter), planner.Options{}))
	want := []string{
		"DropConstraint kept.kept_a_fk",
		"DropConstraint a.a_b_fk", // cuts the cycle a <-> b
		"DropTable b",
		"DropTable c",
		"DropTable a",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestCreateTablesCircularFKs(t *testing.T) {
	a := table("a", []*schema.Column{col("id", "integer", true), col("b_id", "integer", false)}, pk("a_pkey", "id"), fk("a_b_fk", "b_id", "b", "id"))
	b := table("b", []*schema.Column{col("id", "integer", true), col("a_id", "integer", false), col("parent", "integer", false)},
		pk("b_pkey", "id"), fk("b_a_fk", "a_id", "a", "id"), fk("b_parent_fk", "parent", "b", "id"))
	got := kinds(mustDiff(t, catalog(), catalog(a, b), planner.Options{}))
	want := []string{
		"CreateTable a",
		"CreateTable b",
		"AddConstraint a.a_b_fk",
		"AddConstraint b.b_a_fk",
		"AddConstraint b.b_parent_fk",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	ct := mustDiff(t, catalog(), catalog(a, b), planner.Options{}).Changes[0].(*planner.CreateTable)
	if len(ct.Constraints) != 1 || ct.Constraints[0].Kind != schema.PrimaryKey {
		t.Errorf("CREATE TABLE a inlines %v, want only its primary key", ct.Constraints)
	}
}

func TestChangedPrimaryKeyRecreatesForeignKeys(t *testing.T) {
	users := table("users", []*schema.Column{col("id", "integer", true), col("org", "integer", true)}, pk("users_pkey", "id"))
	users2 := table("users", []*schema.Column{col("id", "integer", true), col("org", "integer", true)}, pk("users_pkey", "id", "org"))
	orders := table("orders", []*schema.Column{col("user_id", "integer", false)}, fk("orders_user_fk", "user_id", "users", "id"))
	// The new key has two columns, so the old FK cannot survive as is; the
	// new schema declares it again over both columns.
	orders2 := table("orders", []*schema.Column{col("user_id", "integer", false), col("org", "integer", false)},
		&schema.Constraint{Name: "orders_user_fk", ConstraintDef: schema.ConstraintDef{Kind: schema.ForeignKey,
			Def: "FOREIGN KEY (user_id, org) REFERENCES public.users (id, org)"},
			Columns: []string{"user_id", "org"}, RefTable: qn("users"), RefColumns: []string{"id", "org"}})
	got := kinds(mustDiff(t, catalog(users, orders), catalog(users2, orders2), planner.Options{}))
	want := []string{
		"DropConstraint orders.orders_user_fk",
		"DropConstraint users.users_pkey",
		"AddColumn orders.org",
		"AddConstraint users.users_pkey",
		"AddConstraint orders.orders_user_fk",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}

	// Same FK text, but its key is re-created: it is dropped and re-added.
	users3 := table("users", []*schema.Column{col("id", "integer", true), col("org", "integer", true)},
		&schema.Constraint{Name: "users_pkey", ConstraintDef: schema.ConstraintDef{Kind: schema.PrimaryKey, Def: "PRIMARY KEY (id) INCLUDE (org)"}, Columns: []string{"id"}})
	got = kinds(mustDiff(t, catalog(users, orders), catalog(users3, orders), planner.Options{}))
	want = []string{
		"DropConstraint orders.orders_user_fk",
		"DropConstraint users.users_pkey",
		"AddConstraint users.users_pkey",
		"AddConstraint orders.orders_user_fk",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func enumCatalog(values ...string) *schema.Catalog {
	c := schema.New()
	c.Enums[qn("mood")] = &schema.Enum{Name: qn("mood"), Values: values}
	return c
}

func TestEnumValues(t *testing.T) {
	tests := []struct {
		name     string
		from, to []string
		want     []string
	}{
		{"append", []string{"a"}, []string{"a", "b", "c"}, []string{
			`AddEnumValue b before="" after=""`,
			`AddEnumValue c before="" after=""`,
		}},
		{"front", []string{"c"}, []string{"a", "b", "c"}, []string{
			`AddEnumValue a before="c" after=""`,
			`AddEnumValue b before="" after="a"`,
		}},
		{"middle", []string{"a", "c"}, []string{"a", "b", "c", "d"}, []string{
			`AddEnumValue b before="" after="a"`,
			`AddEnumValue d before="" after=""`,
		}},
		{"removed", []string{"a", "b"}, []string{"a"}, []string{"RebuildEnum"}},
		{"reordered", []string{"a", "b"}, []string{"b", "a"}, []string{"RebuildEnum"}},
		{"same", []string{"a", "b"}, []string{"a", "b"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kinds(mustDiff(t, enumCatalog(tt.from...), enumCatalog(tt.to...), planner.Options{}))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestIrreversibleHasHazard(t *testing.T) {
	from, to := enumCatalog("a", "b"), enumCatalog("a")
	// A domain over the enum would have to be rebuilt too: the step stays
	// irreversible.
	for _, c := range []*schema.Catalog{from, to} {
		c.Domains[qn("d")] = &schema.Domain{Name: qn("d"), DomainDef: schema.DomainDef{Type: schema.TypeName{Schema: "public", Name: "mood"}}}
	}
	p := mustDiff(t, from, to, planner.Options{})
	hs := p.Hazards()
	if len(hs) != 1 || hs[0].Code != planner.HazardIrreversible || !strings.Contains(hs[0].Message, "'b'") {
		t.Errorf("hazards = %v, want one irreversible hazard naming 'b'", hs)
	}
}

func TestEnumRebuildHasHazard(t *testing.T) {
	p := mustDiff(t, enumCatalog("a", "b"), enumCatalog("a"), planner.Options{})
	hs := p.Hazards()
	if len(hs) != 1 || hs[0].Code != planner.HazardEnumRebuild || !strings.Contains(hs[0].Message, "'b'") {
		t.Errorf("hazards = %v, want one enum-rebuild hazard naming 'b'", hs)
	}
}

func TestDropHazards(t *testing.T) {
	from := catalog(table("t", []*schema.Column{col("a", "integer", false), col("b", "text", false)}), table("gone", nil))
	to := catalog(table("t", []*schema.Column{col("a", "integer", false)}))
	p := mustDiff(t, from, to, planner.Options{})
	var codes []string
	for _, h := range p.Hazards() {
		codes = append(codes, h.Code+": "+h.Message)
	}
	want := []string{
		"drop-column: drops column public.t.b and all its data",
		"drop-table: drops table public.gone and all its data",
	}
	if d := cmp.Diff(want, codes); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestColumnTypeChange(t *testing.T) {
	withDefault := func(c *schema.Column, d string) *schema.Column { c.Default = d; return c }
	from := catalog(table("t", []*schema.Column{
		withDefault(col("a", "integer", false), "0"),
		col("b", "character varying", false),
		col("c", "integer", false),
	}))
	to := catalog(table("t", []*schema.Column{
		withDefault(col("a", "text", false), "'0'::text"),
		col("b", "text", false),
		col("c", "bigint", false),
	}))
	got := kinds(mustDiff(t, from, to, planner.Options{}))
	want := []string{
		"DropDefault a",
		"AlterColumnType a text using=a::text",
		"SetDefault a '0'::text",
		"AlterColumnType b text using=",
		"AlterColumnType c bigint using=",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestRenames(t *testing.T) {
	from := catalog(
		table("users", []*schema.Column{col("id", "integer", true), col("name", "text", false)}, pk("users_pkey", "id")),
		table("orders", []*schema.Column{col("user_id", "integer", false)}, fk("orders_user_fk", "user_id", "users", "id")),
	)
	to := catalog(
		table("people", []*schema.Column{col("id", "integer", true), col("full_name", "text", false)}, pk("users_pkey", "id")),
		table("orders", []*schema.Column{col("user_id", "integer", false)}, fk("orders_user_fk", "user_id", "people", "id")),
	)
	opts := planner.Options{Renames: []planner.Rename{
		{Kind: planner.TableRename, Table: qn("users"), From: "users", To: "people"},
		{Kind: planner.ColumnRename, Table: qn("users"), From: "name", To: "full_name"},
	}}
	up := mustDiff(t, from, to, opts)
	want := []string{"RenameTable users->people", "RenameColumn people.name->full_name"}
	if d := cmp.Diff(want, kinds(up)); d != "" {
		t.Errorf("up (-want +got)\n%s", d)
	}
	down := mustDiff(t, to, from, opts.Invert())
	want = []string{"RenameTable people->users", "RenameColumn users.full_name->name"}
	if d := cmp.Diff(want, kinds(down)); d != "" {
		t.Errorf("down (-want +got)\n%s", d)
	}
	// from is not modified by the renames.
	if from.Tables[qn("users")].Column("name") == nil || from.Tables[qn("orders")].Constraints[0].RefTable != qn("users") {
		t.Error("Diff modified its input")
	}

	// Without the options: drop and add, with suggestions.
	p := mustDiff(t, from, to, planner.Options{})
	var sugg []string
	for _, r := range p.PossibleRenames {
		sugg = append(sugg, r.Suggestion())
	}
	if d := cmp.Diff([]string(nil), sugg); d != "" {
		// users and people differ in a column name, so no table rename.
		t.Errorf("suggestions (-want +got)\n%s", d)
	}
	to2 := catalog(
		table("users", []*schema.Column{col("id", "integer", true), col("full_name", "text", false)}, pk("users_pkey", "id")),
		table("orders", []*schema.Column{col("user_id", "integer", false)}, fk("orders_user_fk", "user_id", "users", "id")),
	)
	p = mustDiff(t, from, to2, planner.Options{})
	sugg = nil
	for _, r := range p.PossibleRenames {
		sugg = append(sugg, r.Suggestion())
	}
	if d := cmp.Diff([]string{"users.name -> users.full_name"}, sugg); d != "" {
		t.Errorf("suggestions (-want +got)\n%s", d)
	}
	to3 := catalog(
		table("people", []*schema.Column{col("id", "integer", true), col("name", "text", false)}, pk("people_pkey", "id")),
		table("orders", []*schema.Column{col("user_id", "integer", false)}),
	)
	p = mustDiff(t, from, to3, planner.Options{})
	sugg = nil
	for _, r := range p.PossibleRenames {
		sugg = append(sugg, r.Suggestion()+" ("+r.String()+")")
	}
	if d := cmp.Diff([]string{"users -> people (table users=people)"}, sugg); d != "" {
		t.Errorf("suggestions (-want +got)\n%s", d)
	}
}

func TestRenameErrors(t *testing.T) {
	from := catalog(table("users", []*schema.Column{col("name", "text", false)}))
	to := catalog(table("users", []*schema.Column{col("full_name", "text", false)}))
	tests := []struct {
		rename string
		want   string
	}{
		{"nosuch.name=full_name", "no table public.nosuch in the old schema"},
		{"users.nosuch=full_name", "no column nosuch in table public.users"},
		{"users.name=other", "no column other in the new schema"},
		{"table users=people", "no table public.people in the new schema"},
	}
	for _, tt := range tests {
		t.Run(tt.rename, func(t *testing.T) {
			r, err := planner.ParseRename(tt.rename)
			if err != nil {
				t.Fatal(err)
			}
			_, err = planner.Diff(from, to, planner.Options{Renames: []planner.Rename{r}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseRename(t *testing.T) {
	tests := []struct {
		in   string
		want planner.Rename
		err  bool
	}{
		{in: "users.name=full_name", want: planner.Rename{Kind: planner.ColumnRename, Table: qn("users"), From: "name", To: "full_name"}},
		{in: "column app.users.name = full_name", want: planner.Rename{Kind: planner.ColumnRename, Table: qn("app.users"), From: "name", To: "full_name"}},
		{in: "table users=people", want: planner.Rename{Kind: planner.TableRename, Table: qn("users"), From: "users", To: "people"}},
		{in: "table app.users=people", want: planner.Rename{Kind: planner.TableRename, Table: qn("app.users"), From: "users", To: "people"}},
		{in: "users=people", err: true},
		{in: "users.name=", err: true},
		{in: "a.b.c.d=e", err: true},
		{in: "users.name=x.y", err: true},
	}
	for _, tt := range tests {
		got, err := planner.ParseRename(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseRename(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ParseRename(%q) (-want +got)\n%s", tt.in, d)
		}
		if err == nil {
			again, err := planner.ParseRename(got.String())
			if err != nil || again != got {
				t.Errorf("ParseRename(%q.String() = %q) = %v, %v", tt.in, got.String(), again, err)
			}
		}
	}
}

// TestLinear plans 5,000 tables with foreign keys against a copy with one
// change each way; quadratic work would take far longer than the bound.
// manyTables builds 5,000 chained tables; extra adds a column to each.
func manyTables(extra bool) *schema.Catalog {
	c := schema.New()
	for i := range 5000 {
		name := fmt.Sprintf("t%05d", i)
		cols := []*schema.Column{col("id", "integer", true), col("prev", "integer", false)}
		for j := range 20 {
			cols = append(cols, col(fmt.Sprintf("c%d", j), "text", false))
		}
		if extra {
			cols = append(cols, col("extra", "text", false))
		}
		cons := []*schema.Constraint{pk(name+"_pkey", "id")}
		if i > 0 {
			cons = append(cons, fk(name+"_prev_fk", "prev", fmt.Sprintf("t%05d", i-1), "id"))
		}
		c.Tables[qn(name)] = table(name, cols, cons...)
	}
	return c
}

// TestManyTables plans a 5,000-table change both ways. How long it takes is
// BenchmarkDiffManyTables's business; tests never time.
func TestManyTables(t *testing.T) {
	a, b := manyTables(false), manyTables(true)
	p := mustDiff(t, a, b, planner.Options{})
	if len(p.Changes) != 5000 {
		t.Errorf("got %d changes, want 5000", len(p.Changes))
	}
	p = mustDiff(t, b, schema.New(), planner.Options{})
	if len(p.Changes) != 5000 {
		t.Errorf("dropping everything: got %d changes, want 5000", len(p.Changes))
	}
}

func BenchmarkDiffManyTables(b *testing.B) {
	from, to := manyTables(false), manyTables(true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.Diff(from, to, planner.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiffDropManyTables plans the down of a 5,000-table first
// migration: every table dropped. Each drop asks which dropped tables
// inherit from it; that must not scan the catalog per table.
func BenchmarkDiffDropManyTables(b *testing.B) {
	from := manyTables(true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.Diff(from, schema.New(), planner.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSameIsEmpty(t *testing.T) {
	a := table("a", []*schema.Column{col("id", "integer", true)}, pk("a_pkey", "id"))
	b := table("b", []*schema.Column{col("a_id", "integer", false)}, fk("b_a_fk", "a_id", "a", "id"))
	c := catalog(a, b)
	c.Enums[qn("mood")] = &schema.Enum{Name: qn("mood"), Values: []string{"x"}}
	c.Sequences[qn("s")] = &schema.Sequence{Name: qn("s"), SequenceDef: schema.SequenceDef{Type: "integer", Start: 1, Increment: 1, Min: 1, Max: 2147483647, Cache: 1}}
	if p := mustDiff(t, c, c, planner.Options{}); !p.Empty() {
		t.Errorf("Diff(c, c) = %v, want empty", kinds(p))
	}
}
