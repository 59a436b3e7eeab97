package project

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Renames resolves the rename comments of a schema file (see
// parser.RenameDirectives) against the schema the migrations produce.
// desiredSrc is the text desired was parsed from: a comment belongs to the
// table, column or index defined on its line (the last one that starts
// before the comment, so that "CREATE TABLE t ( -- @renamed from=old" is
// the table's and "  b int, -- @renamed from=a" the column's).
//
// A comment yields a rename while the old name is still in current and the
// new one is not. Once a migration holds the rename the comment is stale:
// it yields nothing, and a note (a Finding on the comment's line, with
// Note set: it fails nothing) says it can be removed. A comment that
// matches nothing gets a Finding too, without Note: check fails on it. Index comments
// yield no rename: the planner already renames an index whose definition
// is unchanged. The conformance harness calls this with raw SQL texts.
//
// A comment whose old name is still defined in desired (a column renamed
// from a column the table keeps, a table from a table the file keeps) is
// an error, a schema.ErrorList with one entry per such comment: the file
// asks for the old object both to go and to stay, and guessing which it
// means would lose a column's data or rename the wrong one.
func Renames(desiredSrc []byte, current, desired *schema.Catalog) ([]planner.Rename, []Finding, error) {
	ds, err := parser.RenameDirectives(fileOf(desired), desiredSrc)
	if err != nil {
		return nil, nil, err
	}
	return resolveRenames(ds, current, desired)
}

// renamesIn is Renames for a schema read from several files: the comments
// of each file, at their own file:line.
func renamesIn(sp *sqltext.Spliced, current, desired *schema.Catalog) ([]planner.Rename, []Finding, error) {
	var ds []parser.RenameDirective
	var errs schema.ErrorList
	for _, file := range sp.Files() {
		text, _ := sp.FileText(file)
		d, err := parser.RenameDirectives(file, []byte(text))
		errs = appendErr(errs, err)
		ds = append(ds, d...)
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, errs
	}
	return resolveRenames(ds, current, desired)
}

// appendErr adds err (a schema.ErrorList, a *schema.Error or another
// error) to list.
func appendErr(list schema.ErrorList, err error) schema.ErrorList {
	var el schema.ErrorList
	var e *schema.Error
	switch {
	case err == nil:
	case errors.As(err, &el):
		list = append(list, el...)
	case errors.As(err, &e):
		list = append(list, e)
	default:
		list = append(list, &schema.Error{Msg: err.Error(), Err: err})
	}
	return list
}

func resolveRenames(ds []parser.RenameDirective, current, desired *schema.Catalog) ([]planner.Rename, []Finding, error) {
	if len(ds) == 0 {
		return nil, nil, nil
	}
	lines := objectsByLine(desired)
	var renames []planner.Rename
	var notes []Finding
	note := func(d parser.RenameDirective, format string, args ...any) {
		notes = append(notes, Finding{File: d.Pos.File, Line: d.Pos.Line, Msg: fmt.Sprintf(format, args...), Kind: "rename"})
	}
	// done notes a comment that did its job: a migration holds the rename.
	// It is no problem (Finding.Note): check prints it and passes.
	done := func(d parser.RenameDirective, format string, args ...any) {
		note(d, format, args...)
		notes[len(notes)-1].Note = true
	}
	// tableFrom maps a desired table renamed by a comment to its name in
	// current, so that its column comments find their columns.
	tableFrom := map[schema.QualifiedName]schema.QualifiedName{}
	type colDirective struct {
		d   parser.RenameDirective
		t   *schema.Table
		col string
	}
	var cols []colDirective
	var errs schema.ErrorList
	for _, d := range ds {
		o, ok := lines.at(d.Pos)
		if !ok {
			if e, nv := enumValueRenamed(desired, d.From); e != nil {
				// An enum value's comment, which the parser took itself.
				if ce := current.Enums[e.Name]; ce != nil && slices.Contains(ce.Values, nv) && !slices.Contains(ce.Values, d.From) {
					done(d, "value %s of enum %s is already renamed from %s in the migrations: this rename comment can be removed",
						schema.QuoteLiteral(nv), e.Name, schema.QuoteLiteral(d.From))
				}
				continue
			}
			note(d, "rename comment %q is on no table, column or index definition: move it next to the new name or remove it", d.Text)
			continue
		}
		switch {
		case o.column != nil:
			cols = append(cols, colDirective{d, o.table, o.column.Name})
		case o.index != nil:
			n := o.index.Name
			old := schema.QualifiedName{Schema: n.Schema, Name: d.From}
			if d.FromSchema != "" && d.FromSchema != n.Schema {
				note(d, "index %s cannot come from %s.%s: a rename keeps the schema", n, d.FromSchema, d.From)
			} else if current.Indexes[old] == nil && current.Indexes[n] != nil {
				done(d, "index %s is already named %s in the migrations: this rename comment can be removed", old, schema.QuoteIdent(n.Name))
			}
		default:
			n := o.table.Name
			old := schema.QualifiedName{Schema: n.Schema, Name: d.From}
			switch {
			case old != n && desired.Tables[old] != nil && (d.FromSchema == "" || d.FromSchema == n.Schema):
				errs.Add(d.Pos, "cannot rename table %s to %s: table %s is still defined in this file (remove this rename comment, or the old table)", old, schema.QuoteIdent(n.Name), old)
			case d.FromSchema != "" && d.FromSchema != n.Schema:
				note(d, "table %s cannot come from %s.%s: a rename keeps the schema (move it with ALTER TABLE ... SET SCHEMA by hand)", n, d.FromSchema, d.From)
			case current.Tables[old] != nil && current.Tables[n] == nil:
				tableFrom[n] = old
				renames = append(renames, planner.Rename{Kind: planner.TableRename, Table: old, From: old.Name, To: n.Name})
			case current.Tables[n] != nil && current.Tables[old] == nil:
				done(d, "table %s is already renamed to %s in the migrations: this rename comment can be removed", old, schema.QuoteIdent(n.Name))
			case current.Tables[n] != nil:
				note(d, "tables %s and %s both exist in the migrations: this rename comment does nothing; remove it", old, n)
			default:
				note(d, "no table %s in the migrations to rename to %s: remove this rename comment", old, schema.QuoteIdent(n.Name))
			}
		}
	}
	for _, c := range cols {
		d, n := c.d, c.t.Name
		if d.FromSchema != "" {
			note(d, "a column rename comment names a column, not %s.%s", d.FromSchema, d.From)
			continue
		}
		cur := n
		if from, ok := tableFrom[n]; ok {
			cur = from
		}
		ct := current.Tables[cur]
		col := schema.QuoteIdent(c.col)
		switch {
		case d.From != c.col && c.t.Column(d.From) != nil:
			errs.Add(d.Pos, "cannot rename column %s to %s in %s: column %s is still defined in this file (remove this rename comment, or the old column)", schema.QuoteIdent(d.From), col, n, schema.QuoteIdent(d.From))
		case ct == nil:
			note(d, "table %s is new: the rename of its column %s does nothing; remove this rename comment", n, col)
		case ct.Column(d.From) != nil && ct.Column(c.col) == nil:
			renames = append(renames, planner.Rename{Kind: planner.ColumnRename, Table: cur, From: d.From, To: c.col})
		case ct.Column(c.col) != nil && ct.Column(d.From) == nil:
			done(d, "column %s.%s is already renamed to %s in the migrations: this rename comment can be removed", cur, schema.QuoteIdent(d.From), col)
		case ct.Column(c.col) != nil:
			note(d, "columns %s and %s of %s both exist in the migrations: this rename comment does nothing; remove it", schema.QuoteIdent(d.From), col, cur)
		default:
			note(d, "no column %s in %s in the migrations to rename to %s: remove this rename comment", schema.QuoteIdent(d.From), cur, col)
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, errs
	}
	sort.SliceStable(notes, func(i, j int) bool {
		if notes[i].File != notes[j].File {
			return notes[i].File < notes[j].File
		}
		return notes[i].Line < notes[j].Line
	})
	return renames, notes, nil
}

// lineObject is a definition that starts on some line of the schema file.
type lineObject struct {
	col    int // column of the name
	table  *schema.Table
	column *schema.Column // nil for the table or an index
	index  *schema.Index
}

// lineIndex holds the definitions by file and line.
type lineIndex map[fileLine][]lineObject

type fileLine struct {
	file string
	line int
}

func lineOf(p schema.Pos) fileLine { return fileLine{p.File, p.Line} }

func objectsByLine(c *schema.Catalog) lineIndex {
	m := lineIndex{}
	for _, t := range c.Tables {
		if t.Pos.IsValid() {
			m[lineOf(t.Pos)] = append(m[lineOf(t.Pos)], lineObject{col: t.Pos.Col, table: t})
		}
		for _, col := range t.Columns {
			if col.Pos.IsValid() {
				m[lineOf(col.Pos)] = append(m[lineOf(col.Pos)], lineObject{col: col.Pos.Col, table: t, column: col})
			}
		}
	}
	for _, i := range c.Indexes {
		if i.Pos.IsValid() {
			m[lineOf(i.Pos)] = append(m[lineOf(i.Pos)], lineObject{col: i.Pos.Col, index: i})
		}
	}
	return m
}

// at returns the object a comment at pos belongs to: the last definition
// on its line that starts before it, else the first one after it.
func (m lineIndex) at(pos schema.Pos) (lineObject, bool) {
	objs := m[lineOf(pos)]
	if len(objs) == 0 {
		return lineObject{}, false
	}
	var before, after *lineObject
	for i := range objs {
		o := &objs[i]
		if o.col < pos.Col {
			if before == nil || o.col > before.col {
				before = o
			}
		} else if after == nil || o.col < after.col {
			after = o
		}
	}
	if before != nil {
		return *before, true
	}
	return *after, true
}

// fileOf returns the file a catalog was parsed from, for positions.
func fileOf(c *schema.Catalog) string {
	for _, t := range c.Tables {
		if t.Pos.File != "" {
			return t.Pos.File
		}
	}
	return "schema.sql"
}

// mergeRenames adds the renames of extra that opts lacks; a rename given
// both ways (flag and comment) counts once.
func mergeRenames(opts planner.Options, extra []planner.Rename) planner.Options {
	if len(extra) == 0 {
		return opts
	}
	seen := map[planner.Rename]bool{}
	out := planner.Options{Renames: append([]planner.Rename(nil), opts.Renames...)}
	for _, r := range opts.Renames {
		seen[r] = true
	}
	for _, r := range extra {
		if !seen[r] {
			seen[r] = true
			out.Renames = append(out.Renames, r)
		}
	}
	return out
}

// enumValueRenamed finds the enum of desired with a value renamed from
// old (a rename comment after the value), and that value.
func enumValueRenamed(desired *schema.Catalog, old string) (*schema.Enum, string) {
	for _, n := range schema.SortedNames(desired.Enums) {
		e := desired.Enums[n]
		for nv, from := range e.RenamedFrom {
			if from == old {
				return e, nv
			}
		}
	}
	return nil, ""
}
