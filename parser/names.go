package parser

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// maxIdent is NAMEDATALEN-1: PostgreSQL truncates identifiers to 63 bytes.
const maxIdent = 63

// qualify resolves a possibly unqualified name: unqualified names live in
// the default schema, as with PostgreSQL's default search_path.
func qualify(schemaName, name string) schema.QualifiedName {
	if schemaName == "" {
		schemaName = schema.DefaultSchema
	}
	return schema.QualifiedName{Schema: schemaName, Name: name}
}

func rangeVarName(rv *pg_query.RangeVar) schema.QualifiedName {
	return qualify(rv.Schemaname, rv.Relname)
}

// listName resolves a name given as a list of String nodes (types, enums,
// objects of DROP and COMMENT).
func listName(nodes []*pg_query.Node) schema.QualifiedName {
	parts := strs(nodes)
	switch len(parts) {
	case 0:
		return schema.QualifiedName{}
	case 1:
		return qualify("", parts[0])
	}
	return qualify(parts[len(parts)-2], parts[len(parts)-1])
}

// truncIdent truncates an identifier to 63 bytes without splitting a
// character, as PostgreSQL does.
func truncIdent(s string) string {
	return clip(s, maxIdent)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// makeObjectName is PostgreSQL's makeObjectName: name1_name2_label, with
// name1 and name2 shortened (the longer first) so the result fits in 63
// bytes.
func makeObjectName(name1, name2, label string) string {
	overhead := 0
	n1, n2 := len(name1), 0
	if name2 != "" {
		n2 = len(name2)
		overhead++
	}
	if label != "" {
		overhead += len(label) + 1
	}
	avail := maxIdent - overhead
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	var b strings.Builder
	b.WriteString(clip(name1, n1))
	if name2 != "" {
		b.WriteByte('_')
		b.WriteString(clip(name2, n2))
	}
	if label != "" {
		b.WriteByte('_')
		b.WriteString(label)
	}
	return b.String()
}

// chooseName is PostgreSQL's ChooseRelationName/ChooseConstraintName loop:
// the first of label, label1, label2... whose name is not taken.
func chooseName(name1, name2, label string, taken func(string) bool) string {
	l := label
	for pass := 0; ; {
		name := makeObjectName(name1, name2, l)
		if !taken(name) {
			return name
		}
		pass++
		l = label + strconv.Itoa(pass)
	}
}

// nameAddition is ChooseIndexNameAddition and
// ChooseForeignKeyConstraintNameAddition: column names joined by "_",
// stopping once the text is long enough to be truncated anyway.
func nameAddition(cols []string) string {
	var b strings.Builder
	for _, c := range cols {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(c)
		if b.Len() >= maxIdent+1 {
			break
		}
	}
	return b.String()
}

// relationTaken reports whether a relation (table, view, sequence, index,
// composite type, or the index of a key or exclusion constraint) named
// name exists in sch: they share pg_class, so any of them takes the name. With
// constraint set, a constraint of that name in sch also counts, as for
// names of indexes that back constraints.
func (f *folder) relationTaken(sch string, constraint bool) func(string) bool {
	return func(name string) bool {
		q := schema.QualifiedName{Schema: sch, Name: name}
		taken := f.cat.Tables[q] != nil || f.cat.Views[q] != nil || f.cat.Sequences[q] != nil || f.cat.Indexes[q] != nil ||
			f.cat.Composites[q] != nil || f.constraintIn(sch, name, !constraint)
		if checkNames && taken != f.relationTakenSlow(sch, constraint, name) {
			panic(fmt.Sprintf("parser: name index out of date for %s in schema %s (a constraint was named or a table moved without noteTable)", name, sch))
		}
		return taken
	}
}

// constraintTaken reports whether a constraint named name exists in sch
// (PostgreSQL's ConstraintNameExists looks at the whole namespace).
func (f *folder) constraintTaken(sch string) func(string) bool {
	return func(name string) bool {
		taken := f.constraintIn(sch, name, false)
		if checkNames && taken != f.constraintTakenSlow(sch, name) {
			panic(fmt.Sprintf("parser: name index out of date for constraint %s in schema %s (a constraint was named or a table moved without noteTable)", name, sch))
		}
		return taken
	}
}

// checkNames makes every name check compare the index with a walk over the
// whole catalog and panic when they differ. Tests set it, so that a new way
// of naming constraints or moving tables that forgets noteTable fails there.
var checkNames = false

// takenNames indexes the constraint names of each schema: schema, then
// name, then the tables that have held a constraint of that name.
// PostgreSQL's naming rules ask "is this name taken anywhere in the schema"
// for every implicitly named object, and walking every table for each
// question made folding a schema of thousands of tables quadratic.
//
// Entries are only ever added: a lookup checks each recorded table against
// the catalog (still there, still in that schema, still has a constraint of
// that name), so dropping a table or constraint needs no bookkeeping. What
// does need it is every place that gives a table a constraint name or moves
// a table to another schema: it calls noteTable.
type takenNames map[string]map[string][]*schema.Table

// names returns the index, built from the catalog the first time a Parse
// call needs it (the catalog may hold earlier migrations).
func (f *folder) names() takenNames {
	if f.taken == nil {
		f.taken = takenNames{}
		for _, t := range f.cat.Tables {
			f.taken.add(t)
		}
	}
	return f.taken
}

// noteTable records t's constraint names under t's current schema. It is
// cheap to call too often.
func (f *folder) noteTable(t *schema.Table) {
	if f.taken != nil && t != nil {
		f.taken.add(t)
	}
}

func (n takenNames) add(t *schema.Table) {
	sch := t.Name.Schema
	m := n[sch]
	if m == nil {
		m = map[string][]*schema.Table{}
		n[sch] = m
	}
	for _, c := range t.Constraints {
		if !slices.Contains(m[c.Name], t) {
			m[c.Name] = append(m[c.Name], t)
		}
	}
}

// constraintIn reports whether a table of schema sch has a constraint
// named name; with indexOnly, only constraints backed by an index count.
func (f *folder) constraintIn(sch, name string, indexOnly bool) bool {
	_, c := f.constraintNamed(sch, name, indexOnly)
	return c != nil
}

// constraintNamed finds a constraint named name on a table of schema sch,
// and its table; with indexOnly, only constraints backed by an index.
func (f *folder) constraintNamed(sch, name string, indexOnly bool) (*schema.Table, *schema.Constraint) {
	for _, t := range f.names()[sch][name] {
		if t.Name.Schema != sch || f.cat.Tables[t.Name] != t {
			continue
		}
		if c := t.Constraint(name); c != nil && (!indexOnly || hasIndex(c.Kind)) {
			return t, c
		}
	}
	return nil, nil
}

// relationTakenSlow and constraintTakenSlow are what the index answers,
// computed by walking the catalog; checkNames compares the two.
func (f *folder) relationTakenSlow(sch string, constraint bool, name string) bool {
	q := schema.QualifiedName{Schema: sch, Name: name}
	if f.cat.Tables[q] != nil || f.cat.Views[q] != nil || f.cat.Sequences[q] != nil || f.cat.Indexes[q] != nil || f.cat.Composites[q] != nil {
		return true
	}
	for tn, t := range f.cat.Tables {
		if tn.Schema != sch {
			continue
		}
		for _, c := range t.Constraints {
			if c.Name == name && (constraint || hasIndex(c.Kind)) {
				return true
			}
		}
	}
	return false
}

func (f *folder) constraintTakenSlow(sch, name string) bool {
	for tn, t := range f.cat.Tables {
		if tn.Schema == sch && t.Constraint(name) != nil {
			return true
		}
	}
	return false
}

// hasIndex reports whether a constraint kind is backed by an index, whose
// name it shares and which occupies a relation name.
func hasIndex(k schema.ConstraintKind) bool {
	return k == schema.PrimaryKey || k == schema.Unique || k == schema.Exclude
}

// indexColumnNames is ChooseIndexColumnNames: a name for each index column
// (the column, or for an expression the function name or "expr"), made
// unique by numeric suffixes.
func indexColumnNames(elems []*pg_query.Node) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range elems {
		var name string
		if ie := n.GetIndexElem(); ie != nil {
			if ie.Name != "" {
				name = ie.Name
			} else if ie.Indexcolname != "" {
				name = ie.Indexcolname
			} else {
				name = figureColname(ie.Expr)
			}
		} else if s := n.GetString_(); s != nil {
			name = s.Sval
		}
		if name == "" {
			name = "expr"
		}
		base := name
		for i := 1; seen[name]; i++ {
			suffix := strconv.Itoa(i)
			name = clip(base, maxIdent-len(suffix)) + suffix
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

// figureColname is the part of FigureColname that index naming uses.
func figureColname(n *pg_query.Node) string {
	if n == nil {
		return ""
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		f := x.ColumnRef.Fields
		if len(f) > 0 {
			return f[len(f)-1].GetString_().GetSval()
		}
	case *pg_query.Node_FuncCall:
		name := strs(x.FuncCall.Funcname)
		return name[len(name)-1]
	case *pg_query.Node_TypeCast:
		if s := figureColname(x.TypeCast.Arg); s != "" {
			return s
		}
		tn := strs(x.TypeCast.TypeName.Names)
		return tn[len(tn)-1]
	case *pg_query.Node_CoalesceExpr:
		return "coalesce"
	case *pg_query.Node_CaseExpr:
		return "case"
	case *pg_query.Node_MinMaxExpr:
		if x.MinMaxExpr.Op == pg_query.MinMaxOp_IS_GREATEST {
			return "greatest"
		}
		return "least"
	case *pg_query.Node_SqlvalueFunction:
		return ""
	case *pg_query.Node_CollateClause:
		return figureColname(x.CollateClause.Arg)
	}
	return ""
}
