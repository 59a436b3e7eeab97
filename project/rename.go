package project

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// ResolveRename reads a --rename argument against the current schema:
// "[schema.]table.old=new" renames a column and "[schema.]old=new" a table.
// "a.b=c" is ambiguous between column b of table public.a and table a.b; the
// current schema decides, and an argument that matches nothing is an error,
// as is one that matches both. The new name may repeat the qualifier of the
// old one ("users.name=users.full_name"). The explicit forms "table X=Y"
// and "column X=Y" are accepted too.
func (s *State) ResolveRename(arg string) (planner.Rename, error) {
	t := strings.TrimSpace(arg)
	if strings.HasPrefix(t, "table ") || strings.HasPrefix(t, "column ") {
		return planner.ParseRename(t)
	}
	lhs, to, ok := strings.Cut(t, "=")
	lhs, to = strings.TrimSpace(lhs), strings.TrimSpace(to)
	// The new name may be written in full, as the hint of a possible
	// rename prints it: users.name=users.full_name, app.users=app.people.
	if i := strings.LastIndexByte(to, '.'); i >= 0 {
		if j := strings.LastIndexByte(lhs, '.'); j >= 0 && lhs[:j] == to[:i] {
			to = to[i+1:]
		}
	}
	if !ok || lhs == "" || to == "" || strings.Contains(to, ".") {
		return planner.Rename{}, fmt.Errorf("--rename %q: want [schema.]table.old=new (column) or [schema.]old=new (table)", arg)
	}
	parts := strings.Split(lhs, ".")
	table := func(sch, name string) *schema.Table {
		return s.Current.Tables[schema.QualifiedName{Schema: sch, Name: name}]
	}
	colRename := func(sch, tbl, col string) planner.Rename {
		return planner.Rename{Kind: planner.ColumnRename, Table: schema.QualifiedName{Schema: sch, Name: tbl}, From: col, To: to}
	}
	tblRename := func(sch, tbl string) planner.Rename {
		return planner.Rename{Kind: planner.TableRename, Table: schema.QualifiedName{Schema: sch, Name: tbl}, From: tbl, To: to}
	}
	switch len(parts) {
	case 1:
		if table(schema.DefaultSchema, parts[0]) == nil {
			return planner.Rename{}, fmt.Errorf("--rename %q: no table %s in the current schema", arg, parts[0])
		}
		return tblRename(schema.DefaultSchema, parts[0]), nil
	case 2:
		t := table(schema.DefaultSchema, parts[0])
		isCol := t != nil && t.Column(parts[1]) != nil
		isTable := table(parts[0], parts[1]) != nil
		switch {
		case isCol && isTable:
			return planner.Rename{}, fmt.Errorf("--rename %q is ambiguous: write \"column %s=%s\" or \"table %s=%s\"", arg, lhs, to, lhs, to)
		case isCol:
			return colRename(schema.DefaultSchema, parts[0], parts[1]), nil
		case isTable:
			return tblRename(parts[0], parts[1]), nil
		}
		return planner.Rename{}, fmt.Errorf("--rename %q matches no column public.%s.%s and no table %s in the current schema%s", arg, parts[0], parts[1], lhs, renamedTableHint)
	case 3:
		t := table(parts[0], parts[1])
		if t == nil || t.Column(parts[2]) == nil {
			return planner.Rename{}, fmt.Errorf("--rename %q: no column %s in the current schema%s", arg, lhs, renamedTableHint)
		}
		return colRename(parts[0], parts[1], parts[2]), nil
	}
	return planner.Rename{}, fmt.Errorf("--rename %q: too many dots", arg)
}

// renamedTableHint ends the errors of a column rename that matches
// nothing: the usual slip is naming the table by its new name.
const renamedTableHint = " (a column of a table renamed in the same change is named by the table's current name: --rename posts=articles --rename posts.title=headline)"
