package planner

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// Options steer a plan with what the catalogs cannot say.
type Options struct {
	// Renames turn what would be a drop and an add into a rename that keeps
	// the data. A rename that matches nothing makes Plan fail.
	Renames []Rename
	// Undo is set for a plan that undoes another (a down migration, see
	// Invert): a statement marked -- ddlmig:unmanaged that the other plan
	// runs is undone here, by the DROP its identity gives.
	Undo bool
}

// Invert returns the options for the opposite direction: the down
// migration of Plan(a, b, o) is Plan(b, a, o.Invert()).
func (o Options) Invert() Options {
	tables := map[schema.QualifiedName]string{}
	for _, r := range o.Renames {
		if r.Kind == TableRename {
			tables[r.Table] = r.To
		}
	}
	inv := Options{Undo: !o.Undo}
	for _, r := range o.Renames {
		switch r.Kind {
		case TableRename:
			inv.Renames = append(inv.Renames, Rename{
				Kind:  TableRename,
				Table: schema.QualifiedName{Schema: r.Table.Schema, Name: r.To},
				From:  r.To,
				To:    r.From,
			})
		case ColumnRename:
			t := r.Table
			if to, ok := tables[t]; ok {
				t.Name = to
			}
			inv.Renames = append(inv.Renames, Rename{Kind: ColumnRename, Table: t, From: r.To, To: r.From})
		}
	}
	return inv
}

// RenameKind says what a Rename renames. The zero value is invalid.
type RenameKind int

// Rename kinds.
const (
	_ RenameKind = iota
	TableRename
	ColumnRename
)

func (k RenameKind) String() string {
	switch k {
	case TableRename:
		return "table"
	case ColumnRename:
		return "column"
	}
	return "invalid rename kind"
}

// Rename says that an object of the old catalog is the same as one of the
// new catalog under another name.
type Rename struct {
	Kind RenameKind
	// Table is the table's name in the catalog being migrated from: the
	// renamed table itself, or the table of the renamed column.
	Table schema.QualifiedName
	// From and To are the old and new names of the table (From ==
	// Table.Name) or of the column. A table keeps its schema.
	From, To string
}

// String prints the rename in the form ParseRename reads, e.g.
// "users.name=full_name" or "table users=people". The public schema is left
// out.
func (r Rename) String() string {
	t := r.Table.Name
	if r.Table.Schema != schema.DefaultSchema {
		t = r.Table.Schema + "." + t
	}
	if r.Kind == TableRename {
		return "table " + t + "=" + r.To
	}
	return t + "." + r.From + "=" + r.To
}

// Suggestion prints the rename as a hint for people, e.g.
// "users.name -> users.full_name".
func (r Rename) Suggestion() string {
	t := r.Table.Name
	prefix := ""
	if r.Table.Schema != schema.DefaultSchema {
		prefix = r.Table.Schema + "."
	}
	if r.Kind == TableRename {
		return prefix + t + " -> " + prefix + r.To
	}
	return prefix + t + "." + r.From + " -> " + prefix + t + "." + r.To
}

// ParseRename reads a rename as a user writes it on the command line:
// "[column] [schema.]table.column=new_name" for a column and
// "table [schema.]table=new_name" for a table. Names are taken as written
// (no case folding or quoting).
func ParseRename(s string) (Rename, error) {
	kind := ColumnRename
	rest := strings.TrimSpace(s)
	if r, ok := strings.CutPrefix(rest, "table "); ok {
		kind, rest = TableRename, strings.TrimSpace(r)
	} else if r, ok := strings.CutPrefix(rest, "column "); ok {
		rest = strings.TrimSpace(r)
	}
	lhs, to, ok := strings.Cut(rest, "=")
	lhs, to = strings.TrimSpace(lhs), strings.TrimSpace(to)
	if !ok || lhs == "" || to == "" || strings.Contains(to, ".") {
		return Rename{}, fmt.Errorf("rename %q: want [schema.]table.column=new_name or table [schema.]table=new_name", s)
	}
	parts := strings.Split(lhs, ".")
	for _, p := range parts {
		if p == "" {
			return Rename{}, fmt.Errorf("rename %q: empty name", s)
		}
	}
	if kind == TableRename {
		switch len(parts) {
		case 1:
			return Rename{Kind: kind, Table: schema.QualifiedName{Schema: schema.DefaultSchema, Name: parts[0]}, From: parts[0], To: to}, nil
		case 2:
			return Rename{Kind: kind, Table: schema.QualifiedName{Schema: parts[0], Name: parts[1]}, From: parts[1], To: to}, nil
		}
		return Rename{}, fmt.Errorf("rename %q: want table [schema.]table=new_name", s)
	}
	switch len(parts) {
	case 2:
		return Rename{Kind: kind, Table: schema.QualifiedName{Schema: schema.DefaultSchema, Name: parts[0]}, From: parts[1], To: to}, nil
	case 3:
		return Rename{Kind: kind, Table: schema.QualifiedName{Schema: parts[0], Name: parts[1]}, From: parts[2], To: to}, nil
	}
	return Rename{}, fmt.Errorf("rename %q: want [schema.]table.column=new_name", s)
}
