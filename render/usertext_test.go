package render_test

import (
	"slices"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// TestRenderedUserText renders each schema of the golden cases as a
// migration from an empty database and checks that every view's query,
// every routine's SQL-standard body and parameter defaults, every policy's
// expressions, every named index's elements, predicate and options, every
// EXCLUDE constraint's, every statistics object's columns and expressions,
// every trigger's WHEN, and the column defaults, generated expressions and
// CHECK constraints of tables and domains and the domains' defaults it
// writes parse to the user's own tree in schema.sql: the text is the
// user's, deparsed, not the form ddlmig compares (which expands *,
// qualifies columns, writes a(a) as a(a.*) and r.id as (r).id, drops casts
// the server adds back and adds those it adds, reduces a literal default
// to the value stored).
// TestRenderedDefinitionsPostgres proves that both mean the same; this test
// that the user's is the one written. Files that set search_path are left
// out (their names are rendered qualified), and so are files that rename
// (the texts name the renamed thing anew, as the server prints them; the
// round trip on PostgreSQL proves those), and texts that select *
// (written as the columns it stood for, which the server binds when it
// creates the view).
func TestRenderedUserText(t *testing.T) {
	empty := schema.New()
	for _, c := range loadCases(t) {
		for _, src := range []string{c.old, c.new} {
			if l := strings.ToLower(src); strings.Contains(l, "search_path") || strings.Contains(l, " rename ") {
				continue
			}
			cat := parse(t, c.name, src)
			up, err := planner.Diff(empty, cat, planner.Options{})
			if err != nil {
				t.Fatalf("%s: plan: %v", c.name, err)
			}
			body := render.Body(up, 0)
			want, rendered := userTexts(t, src), userTexts(t, body)
			for name, got := range rendered {
				if w, ok := want[name]; ok && w != got && !strings.Contains(w, "a_star") {
					t.Errorf("%s: %s is rendered from another tree than the user's:\n got: %s\nwant: %s", c.name, name, got, w)
				}
			}
			wantExprs, gotExprs := userExprs(t, src), userExprs(t, body)
			for name, got := range gotExprs {
				w, ok := wantExprs[name]
				if !ok {
					continue
				}
				for _, g := range got {
					if !slices.Contains(w, g) {
						t.Errorf("%s: %s is rendered from another tree than the user's:\n got: %s\nwant one of: %s", c.name, name, g, strings.Join(w, "\n             "))
					}
				}
			}
		}
	}
}

// userTexts parses SQL and returns, by object name (public qualified), the
// parts of its views and routines whose text must be the user's, as
// location-free parse trees; a later statement replaces an earlier one.
func userTexts(t *testing.T, sql string) map[string]string {
	t.Helper()
	tree, err := pg_query.Parse(sql)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, sql)
	}
	out := map[string]string{}
	for _, rs := range tree.Stmts {
		switch n := rs.Stmt.Node.(type) {
		case *pg_query.Node_ViewStmt:
			v := n.ViewStmt
			out["view "+relName(v.View)] = treeText(v.Query, v.Aliases, v.Options)
		case *pg_query.Node_CreateTableAsStmt:
			if n.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
				into := n.CreateTableAsStmt.Into
				out["materialized view "+relName(into.Rel)] = treeText(n.CreateTableAsStmt.Query, into.ColNames, into.Options)
			}
		case *pg_query.Node_CreateFunctionStmt:
			f := n.CreateFunctionStmt
			var defaults []*pg_query.Node
			for _, p := range f.Parameters {
				defaults = append(defaults, p.GetFunctionParameter().GetDefexpr())
			}
			out["routine "+funcName(f)] = treeText(f.SqlBody, defaults)
		case *pg_query.Node_CreatePolicyStmt:
			p := n.CreatePolicyStmt
			out["policy "+p.PolicyName+" on "+relName(p.Table)] = treeText(p.Qual, p.WithCheck)
		case *pg_query.Node_IndexStmt:
			if is := n.IndexStmt; is.Idxname != "" {
				s, _, _ := strings.Cut(relName(is.Relation), ".")
				out["index "+s+"."+is.Idxname] = treeText(is.IndexParams, is.IndexIncludingParams, is.WhereClause, is.Options)
			}
		case *pg_query.Node_CreateStatsStmt:
			cs := n.CreateStatsStmt
			if len(cs.Defnames) > 0 {
				out["statistics "+qualName(cs.Defnames)] = treeText(cs.Exprs)
			}
		case *pg_query.Node_CreateTrigStmt:
			tr := n.CreateTrigStmt
			out["trigger "+tr.Trigname+" on "+relName(tr.Relation)] = treeText(tr.WhenClause)
		case *pg_query.Node_CreateStmt:
			for _, e := range n.CreateStmt.TableElts {
				exclusionText(out, n.CreateStmt.Relation, e.GetConstraint())
			}
		case *pg_query.Node_AlterTableStmt:
			for _, c := range n.AlterTableStmt.Cmds {
				exclusionText(out, n.AlterTableStmt.Relation, c.GetAlterTableCmd().GetDef().GetConstraint())
			}
		}
	}
	return out
}

// exclusionText adds the elements and predicate of a named EXCLUDE
// constraint c of table rv to out.
func exclusionText(out map[string]string, rv *pg_query.RangeVar, c *pg_query.Constraint) {
	if c != nil && c.Contype == pg_query.ConstrType_CONSTR_EXCLUSION && c.Conname != "" {
		out["constraint "+c.Conname+" on "+relName(rv)] = treeText(c.Exclusions, c.WhereClause, c.Options)
	}
}

// qualName is a possibly qualified name list as schema.name.
func qualName(items []*pg_query.Node) string {
	var names []string
	for _, n := range items {
		names = append(names, n.GetString_().GetSval())
	}
	if len(names) == 1 {
		names = append([]string{schema.DefaultSchema}, names...)
	}
	return strings.Join(names, ".")
}

// userExprs parses SQL and returns the expressions of column defaults,
// generated columns, CHECK constraints and domains, by the column or the
// table or domain they belong to, as location-free parse trees: one per
// column (a later SET DEFAULT replaces it), every CHECK of a table or
// domain (ddlmig names unnamed ones, so the rendered check is looked for
// among them). A default that calls nextval is left out: its sequence is
// written qualified, as the server stores it.
func userExprs(t *testing.T, sql string) map[string][]string {
	t.Helper()
	tree, err := pg_query.Parse(sql)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, sql)
	}
	out := map[string][]string{}
	set := func(key string, e *pg_query.Node) {
		if e == nil {
			delete(out, key)
			return
		}
		if s := treeText(e); !strings.Contains(s, `sval:"nextval"`) {
			out[key] = []string{s}
		}
	}
	column := func(table string, cd *pg_query.ColumnDef) {
		for _, n := range cd.Constraints {
			c := n.GetConstraint()
			switch c.GetContype() {
			case pg_query.ConstrType_CONSTR_DEFAULT:
				set("default of "+table+"."+cd.Colname, c.RawExpr)
			case pg_query.ConstrType_CONSTR_GENERATED:
				set("generated "+table+"."+cd.Colname, c.RawExpr)
			case pg_query.ConstrType_CONSTR_CHECK:
				out["check on "+table] = append(out["check on "+table], treeText(c.RawExpr))
			}
		}
	}
	check := func(owner string, c *pg_query.Constraint) {
		if c.GetContype() == pg_query.ConstrType_CONSTR_CHECK {
			out["check on "+owner] = append(out["check on "+owner], treeText(c.RawExpr))
		}
	}
	for _, rs := range tree.Stmts {
		switch n := rs.Stmt.Node.(type) {
		case *pg_query.Node_CreateStmt:
			table := relName(n.CreateStmt.Relation)
			for _, e := range n.CreateStmt.TableElts {
				if cd := e.GetColumnDef(); cd != nil {
					column(table, cd)
				}
				check(table, e.GetConstraint())
			}
		case *pg_query.Node_AlterTableStmt:
			table := relName(n.AlterTableStmt.Relation)
			for _, cn := range n.AlterTableStmt.Cmds {
				cmd := cn.GetAlterTableCmd()
				switch cmd.Subtype {
				case pg_query.AlterTableType_AT_AddColumn:
					column(table, cmd.Def.GetColumnDef())
				case pg_query.AlterTableType_AT_AddConstraint:
					check(table, cmd.Def.GetConstraint())
				case pg_query.AlterTableType_AT_ColumnDefault:
					set("default of "+table+"."+cmd.Name, cmd.Def)
				}
			}
		case *pg_query.Node_CreateDomainStmt:
			d := n.CreateDomainStmt
			name := "domain " + qualName(d.Domainname)
			for _, cn := range d.Constraints {
				if c := cn.GetConstraint(); c.Contype == pg_query.ConstrType_CONSTR_DEFAULT {
					set("default of "+name, c.RawExpr)
				}
				check(name, cn.GetConstraint())
			}
		case *pg_query.Node_AlterDomainStmt:
			d := n.AlterDomainStmt
			name := "domain " + qualName(d.TypeName)
			switch d.Subtype {
			case "T":
				set("default of "+name, d.Def)
			case "C":
				check(name, d.Def.GetConstraint())
			}
		}
	}
	return out
}

func relName(rv *pg_query.RangeVar) string {
	s := rv.Schemaname
	if s == "" {
		s = schema.DefaultSchema
	}
	return s + "." + rv.Relname
}

// funcName names a routine by its name and the number of its parameters,
// enough to tell the overloads of the golden cases apart.
func funcName(f *pg_query.CreateFunctionStmt) string {
	var names []string
	for _, n := range f.Funcname {
		names = append(names, n.GetString_().GetSval())
	}
	if len(names) == 1 {
		names = append([]string{schema.DefaultSchema}, names...)
	}
	return strings.Join(names, ".") + "/" + strings.Repeat("x", len(f.Parameters))
}

// treeText prints parse trees (nodes or lists of them) without their
// locations, which differ between a user's file and a rendered one.
func treeText(parts ...any) string {
	var b strings.Builder
	add := func(n *pg_query.Node) {
		if n == nil {
			b.WriteString("<nil>;")
			return
		}
		c := proto.Clone(n)
		clearLocations(c.ProtoReflect())
		b.WriteString(prototext.MarshalOptions{}.Format(c) + ";")
	}
	for _, p := range parts {
		switch x := p.(type) {
		case *pg_query.Node:
			add(x)
		case []*pg_query.Node:
			for _, n := range x {
				add(n)
			}
		}
		b.WriteString("|")
	}
	return b.String()
}

// clearLocations zeroes every location field of a tree.
func clearLocations(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Name() == "location":
			m.Clear(fd)
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len(); i++ {
				clearLocations(v.List().Get(i).Message())
			}
		case fd.Message() != nil && !fd.IsMap():
			clearLocations(v.Message())
		}
		return true
	})
}
