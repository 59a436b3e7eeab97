package parser

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

func (f *folder) rename(st *stmt, rs *pg_query.RenameStmt) error {
	newName := truncIdent(rs.Newname)
	switch rs.RenameType {
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE, pg_query.ObjectType_OBJECT_ROUTINE:
		return f.renameFunction(st, rs)
	case pg_query.ObjectType_OBJECT_TRIGGER:
		return f.renameTrigger(st, rs)
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_INDEX, pg_query.ObjectType_OBJECT_SEQUENCE:
		q := rangeVarName(rs.Relation)
		if f.cat.Views[q] != nil && rs.RenameType != pg_query.ObjectType_OBJECT_SEQUENCE {
			return f.renameView(st, rs, newName) // ALTER TABLE and ALTER INDEX rename a view too
		}
		if f.cat.Composites[q] != nil {
			return f.unsupportedf(st.pos, "renaming composite type %s with ALTER TABLE: write ALTER TYPE %[1]s RENAME TO %s", q, schema.QuoteIdent(newName))
		}
		pos := f.at(st, rs.Relation.Location)
		nq := schema.QualifiedName{Schema: q.Schema, Name: newName}
		exists := f.relationTaken(q.Schema, false)(q.Name)
		if !exists {
			if rs.MissingOk {
				return nil
			}
			return f.missingf(pos, "relation %s does not exist", q)
		}
		if f.relationTaken(q.Schema, false)(newName) {
			return f.errorf(pos, "relation %s already exists", schema.QuoteIdent(newName))
		}
		switch {
		case f.cat.Tables[q] != nil:
			f.renameTable(q, nq)
			return f.retypeRoutinesAt(st, q, nq)
		case f.cat.Indexes[q] != nil:
			f.moveIndex(q, nq)
		case f.cat.Sequences[q] != nil:
			f.renameSequence(q, nq)
		default:
			t, c := f.constraintNamed(q.Schema, q.Name, true)
			c.Name = newName
			f.noteTable(t)
		}
	case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		if rs.Relation != nil && rs.Subname == "" {
			return f.renameView(st, rs, newName)
		}
		return f.unsupportedf(st.pos, "ALTER VIEW ... RENAME COLUMN")
	case pg_query.ObjectType_OBJECT_COLUMN:
		q := rangeVarName(rs.Relation)
		t := f.cat.Tables[q]
		if v := f.cat.Views[q]; t == nil && v != nil && rs.RelationType != pg_query.ObjectType_OBJECT_FOREIGN_TABLE {
			return f.renameViewColumn(st, rs, v)
		}
		if t == nil {
			if rs.MissingOk {
				return nil
			}
			return f.missingf(f.at(st, rs.Relation.Location), "relation %s does not exist", q)
		}
		if err := f.refuseRenameInherited(st, t, rs); err != nil {
			return err
		}
		if err := f.refuseTypedRename(st, t); err != nil {
			return err
		}
		if t.Column(rs.Subname) == nil {
			return f.errorf(st.pos, "column %s does not exist", schema.QuoteIdent(rs.Subname))
		}
		if t.Column(newName) != nil {
			return f.errorf(st.pos, "column %s of relation %s already exists", schema.QuoteIdent(newName), schema.QuoteIdent(q.Name))
		}
		f.noteColumnRenameReaders(st, t, rs.Subname)
		f.renameColumn(t, rs.Subname, newName)
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		q := rangeVarName(rs.Relation)
		t := f.cat.Tables[q]
		if t == nil {
			if rs.MissingOk {
				return nil
			}
			return f.missingf(f.at(st, rs.Relation.Location), "relation %s does not exist", q)
		}
		if err := f.refuseRenameInherited(st, t, rs); err != nil {
			return err
		}
		c := t.Constraint(rs.Subname)
		if c == nil {
			return f.errorf(st.pos, "constraint %s for table %s does not exist", schema.QuoteIdent(rs.Subname), schema.QuoteIdent(q.Name))
		}
		if t.Constraint(newName) != nil || (hasIndex(c.Kind) && f.relationTaken(q.Schema, false)(newName)) {
			return f.errorf(st.pos, "constraint %s for relation %s already exists", schema.QuoteIdent(newName), schema.QuoteIdent(q.Name))
		}
		c.Name = newName
		f.noteTable(t)
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		return f.renameTypeStmt(st, rs, newName)
	case pg_query.ObjectType_OBJECT_DOMCONSTRAINT:
		return f.renameDomainConstraint(st, rs)
	case pg_query.ObjectType_OBJECT_ATTRIBUTE:
		return f.renameAttribute(st, rs)
	case pg_query.ObjectType_OBJECT_SCHEMA:
		if f.cat.Schemas[rs.Subname] == nil {
			return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(rs.Subname))
		}
		if f.cat.Schemas[newName] != nil {
			return f.errorf(st.pos, "schema %s already exists", schema.QuoteIdent(newName))
		}
		return f.renameSchema(st, rs.Subname, newName)
	default:
		return f.unsupportedf(st.pos, "ALTER %s ... RENAME", objTypeName(rs.RenameType))
	}
	return nil
}

// renameTable moves a table to a new name and updates what refers to it:
// its indexes, foreign keys pointing at it and sequences it owns.
func (f *folder) renameTable(old, nq schema.QualifiedName) {
	t := f.cat.Tables[old]
	delete(f.cat.Tables, old)
	t.Name = nq
	f.cat.Tables[nq] = t
	f.renamePrivileges(old, nq, "", "")
	f.renameStatisticsTable(old, nq, "", "")
	f.noteTable(t)
	for q, ix := range f.cat.Indexes {
		if ix.Table != old {
			continue
		}
		ix.Table = nq
		rewriteIndex(ix, func(*pg_query.IndexStmt) {})
		if q.Schema != nq.Schema {
			f.moveIndex(q, schema.QualifiedName{Schema: nq.Schema, Name: q.Name})
		}
	}
	for _, other := range f.cat.Tables {
		for _, c := range other.Constraints {
			if c.Kind == schema.ForeignKey && c.RefTable == old {
				c.RefTable = nq
				rewriteConstraint(c, func(n *pg_query.Constraint) { n.Pktable = rangeVar(nq) })
			}
		}
	}
	for _, s := range f.cat.Sequences {
		if s.OwnedBy.Table == old {
			s.OwnedBy.Table = nq
		}
	}
	for _, other := range f.cat.Tables {
		if other.Options.PartitionOf == old {
			other.Options.PartitionOf = nq
		}
	}
	f.renameInViews(old, nq)
	for _, tn := range schema.SortedTriggers(f.cat.Triggers) {
		if tn.Table != old {
			continue
		}
		tr := f.cat.Triggers[tn]
		delete(f.cat.Triggers, tn)
		tr.Table = nq
		rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { n.Relation = rangeVar(nq) })
		f.cat.Triggers[tr.TriggerName] = tr
	}
	f.renameRulesOf(old, nq)
}

// renameSequence re-keys a sequence and the nextval defaults of columns
// and domains that use it (PostgreSQL stores the sequence's OID, so they
// follow the rename).
func (f *folder) renameSequence(old, nq schema.QualifiedName) {
	s := f.cat.Sequences[old]
	delete(f.cat.Sequences, old)
	s.Name = nq
	f.cat.Sequences[nq] = s
	f.renamePrivileges(old, nq, "", "")
	from, to := nextvalText(old), nextvalText(nq)
	for _, t := range f.cat.Tables {
		for _, c := range t.Columns {
			// canonicalDefault qualifies nextval's argument in both texts.
			c.Default = strings.ReplaceAll(c.Default, from, to)
			c.DefaultSrc = strings.ReplaceAll(c.DefaultSrc, from, to)
		}
	}
	for _, d := range f.cat.Domains {
		d.Default = strings.ReplaceAll(d.Default, from, to)
		d.DefaultSrc = strings.ReplaceAll(d.DefaultSrc, from, to)
	}
}

// renameTypeStmt folds ALTER TYPE or ALTER DOMAIN ... RENAME TO of an
// enum, a domain or a composite type (renameType); routines taking it
// are re-keyed (retypeRoutines).
func (f *folder) renameTypeStmt(st *stmt, rs *pg_query.RenameStmt, newName string) error {
	q := listName(rs.Object.GetList().GetItems())
	if tn := rs.Object.GetTypeName(); tn != nil {
		q = listName(tn.Names)
	}
	nq := schema.QualifiedName{Schema: q.Schema, Name: newName}
	switch {
	case f.cat.Tables[q] != nil || f.cat.Views[q] != nil:
		return f.errorf(st.pos, "%s is a table's row type; use ALTER TABLE ... RENAME TO instead", q)
	case f.cat.Enums[q] == nil && f.cat.Domains[q] == nil && f.cat.Composites[q] == nil && f.typeTaken(q):
		return f.unsupportedf(st.pos, "ALTER TYPE ... RENAME TO of type %s (ddlmig renames enums, domains and composite types)", q)
	case f.cat.Enums[q] == nil && f.cat.Domains[q] == nil && f.cat.Composites[q] == nil:
		return f.missingf(st.pos, "type %s does not exist", q)
	case rs.RenameType == pg_query.ObjectType_OBJECT_DOMAIN && f.cat.Domains[q] == nil:
		return f.errorf(st.pos, "%s is not a domain", q)
	case f.typeTaken(nq):
		return f.errorf(st.pos, "type %s already exists", nq)
	case f.cat.Composites[q] != nil && f.relationTaken(q.Schema, false)(newName):
		// A composite type is a relation too.
		return f.errorf(st.pos, "relation %s already exists", schema.QuoteIdent(newName))
	}
	f.renameType(q, nq)
	return f.retypeRoutinesAt(st, q, nq)
}

// renameType re-keys type old (an enum, a domain or a composite type) as
// nq, with its owner, and names it anew where it is used: the types of
// columns, of domains over it and of composite types' attributes, and the
// stored texts that name it. PostgreSQL stores the type's OID in all of
// them, so it prints the new name.
func (f *folder) renameType(old, nq schema.QualifiedName) {
	switch {
	case f.cat.Enums[old] != nil:
		e := f.cat.Enums[old]
		delete(f.cat.Enums, old)
		e.Name = nq
		f.cat.Enums[nq] = e
	case f.cat.Domains[old] != nil:
		d := f.cat.Domains[old]
		delete(f.cat.Domains, old)
		d.Name = nq
		f.cat.Domains[nq] = d
		f.renameOwner(schema.KindDomain, old, nq)
	case f.cat.Composites[old] != nil:
		c := f.cat.Composites[old]
		delete(f.cat.Composites, old)
		c.Name = nq
		f.cat.Composites[nq] = c
	}
	f.renameOwner(schema.KindType, old, nq)
	retype := func(tn *schema.TypeName) {
		if tn.Schema == old.Schema && tn.Name == old.Name {
			tn.Schema, tn.Name = nq.Schema, nq.Name
		}
	}
	for _, t := range f.cat.Tables {
		for _, c := range t.Columns {
			retype(&c.Type)
		}
	}
	// The types built on it follow too: a domain's base type, a composite
	// type's attributes.
	for _, d := range f.cat.Domains {
		retype(&d.Type)
	}
	for _, ct := range f.cat.Composites {
		for i := range ct.Attributes {
			retype(&ct.Attributes[i].Type)
		}
	}
	// A cast 'a'::mood must name the type by the name it has when a
	// migration runs; PostgreSQL, which stores the type's OID, prints the
	// new name.
	f.rewriteTypedTexts(old.Name, func(m protoreflect.Message, _ columnTypes) { renameTypeRefs(m, old, nq) })
	f.renameCastTypes(old, nq)
}

// renameColumn renames a column of t and every reference to it: keys and
// expressions of t's constraints and indexes, foreign keys pointing at it,
// generated expressions, and sequence ownership.
func (f *folder) renameColumn(t *schema.Table, old, newName string) {
	if c := t.Column(old); c != nil {
		c.Name = newName
	}
	// The partitions' column is the same column: their indexes follow.
	for _, part := range f.partitionsOf(t.Name) {
		if part.Column(old) != nil {
			f.renameColumn(part, old, newName)
		}
	}
	// So is the column of the tables that inherit it (PostgreSQL renames
	// it there too, their own declaration of it included), and what
	// mentions it there.
	for _, child := range f.inheritors(t) {
		f.renameColumn(child, old, newName)
	}
	f.renamePrivileges(t.Name, t.Name, old, newName)
	f.renameStatisticsTable(t.Name, t.Name, old, newName)
	rename := func(list []string) []string {
		out := slices.Clone(list)
		for i, s := range out {
			if s == old {
				out[i] = newName
			}
		}
		return out
	}
	renameStrs := func(nodes []*pg_query.Node) {
		for _, n := range nodes {
			if s := n.GetString_(); s != nil && s.Sval == old {
				s.Sval = newName
			}
		}
	}
	for _, c := range t.Constraints {
		if !slices.Contains(c.Columns, old) {
			continue
		}
		c.Columns = rename(c.Columns)
		rewriteConstraint(c, func(n *pg_query.Constraint) {
			renameStrs(n.Keys)
			renameStrs(n.Including)
			renameStrs(n.FkAttrs)
			for _, e := range []protoreflect.Message{n.RawExpr.ProtoReflect(), n.WhereClause.ProtoReflect()} {
				renameColumnRefs(e, old, newName)
			}
			for _, ex := range n.Exclusions {
				renameColumnRefs(ex.ProtoReflect(), old, newName)
			}
		})
	}
	for _, other := range f.cat.Tables {
		for _, c := range other.Constraints {
			if c.Kind == schema.ForeignKey && c.RefTable == t.Name && slices.Contains(c.RefColumns, old) {
				c.RefColumns = rename(c.RefColumns)
				rewriteConstraint(c, func(n *pg_query.Constraint) { renameStrs(n.PkAttrs) })
			}
		}
	}
	for _, ix := range f.cat.Indexes {
		if ix.Table == t.Name && slices.Contains(ix.Columns, old) {
			ix.Columns = rename(ix.Columns)
			rewriteIndex(ix, func(n *pg_query.IndexStmt) {
				renameColumnRefs(n.ProtoReflect(), old, newName)
			})
		}
	}
	for _, c := range t.Columns {
		rewriteExprs(&c.Generated, &c.GeneratedSrc, func(s string) string { return renameInExpr(s, old, newName) })
	}
	for _, p := range t.Policies {
		p.Using = renameInExpr(p.Using, old, newName)
		p.WithCheck = renameInExpr(p.WithCheck, old, newName)
		p.UsingSrc = renameInExpr(p.UsingSrc, old, newName)
		p.WithCheckSrc = renameInExpr(p.WithCheckSrc, old, newName)
	}
	for tn, tr := range f.cat.Triggers {
		if tn.Table == t.Name {
			rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) {
				renameStrs(n.Columns)
				renameColumnRefs(n.WhenClause.ProtoReflect(), old, newName)
			})
		}
	}
	for _, s := range f.cat.Sequences {
		if s.OwnedBy == (schema.ColumnRef{Table: t.Name, Column: old}) {
			s.OwnedBy.Column = newName
		}
	}
}

func (f *folder) setSchema(st *stmt, as *pg_query.AlterObjectSchemaStmt) error {
	if f.cat.Schemas[as.Newschema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(as.Newschema))
	}
	switch as.ObjectType {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
		q := rangeVarName(as.Relation)
		nq := schema.QualifiedName{Schema: as.Newschema, Name: q.Name}
		if f.cat.Tables[q] == nil && f.cat.Sequences[q] == nil {
			if as.MissingOk {
				return nil
			}
			return f.missingf(f.at(st, as.Relation.Location), "relation %s does not exist", q)
		}
		if f.relationTaken(nq.Schema, false)(nq.Name) {
			return f.errorf(st.pos, "relation %s already exists in schema %s", schema.QuoteIdent(nq.Name), schema.QuoteIdent(nq.Schema))
		}
		if f.cat.Tables[q] == nil {
			f.renameSequence(q, nq)
			return nil
		}
		f.renameTable(q, nq)
		// Owned sequences move with their table.
		for _, sq := range schema.SortedNames(f.cat.Sequences) {
			if s := f.cat.Sequences[sq]; s.OwnedBy.Table == nq && sq.Schema != nq.Schema {
				f.renameSequence(sq, schema.QualifiedName{Schema: nq.Schema, Name: sq.Name})
			}
		}
		return f.retypeRoutinesAt(st, q, nq)
	case pg_query.ObjectType_OBJECT_TYPE:
		q := listName(as.Object.GetList().GetItems())
		if f.cat.Enums[q] == nil {
			return f.missingf(st.pos, "type %s does not exist", q)
		}
		nq := schema.QualifiedName{Schema: as.Newschema, Name: q.Name}
		f.renameType(q, nq)
		return f.retypeRoutinesAt(st, q, nq)
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE, pg_query.ObjectType_OBJECT_ROUTINE:
		key, err := f.functionKey(st, as.Object.GetObjectWithArgs())
		if err != nil {
			return err
		}
		return f.followRoutine(st, key, schema.QualifiedName{Schema: as.Newschema, Name: f.cat.Functions[key].Name.Name})
	case pg_query.ObjectType_OBJECT_AGGREGATE:
		key, err := f.aggregateKey(st, as.Object.GetObjectWithArgs())
		if err != nil {
			return err
		}
		return f.followRoutine(st, key, schema.QualifiedName{Schema: as.Newschema, Name: f.cat.Aggregates[key].Name.Name})
	default:
		return f.unsupportedf(st.pos, "ALTER %s ... SET SCHEMA", objTypeName(as.ObjectType))
	}
}

// noteColumnRenameReaders notes the views and SQL-standard routine bodies
// that read column col of t (or of the partitions and children the rename
// reaches): PostgreSQL renames the column inside them, and ddlmig keeps,
// compares and writes the old name. Each is warned of at the rename's
// line unless the file drops or replaces it afterwards
// (reportStaleReaders), as migrations that rename a column usually do
// with the views over it. A warning, not a refusal: the planner's own
// steps rename a column in one step and create its views again in a
// later one, and a schema compared with such a fold plans the view
// anew from the desired text.
func (f *folder) noteColumnRenameReaders(st *stmt, t *schema.Table, col string) {
	tables := []*schema.Table{t}
	for i := 0; i < len(tables); i++ {
		tables = append(tables, f.partitionsOf(tables[i].Name)...)
		tables = append(tables, f.inheritors(tables[i])...)
	}
	for _, tt := range tables {
		for _, r := range f.columnReaders(tt.Name, col) {
			r.pos = st.pos
			r.msg = fmt.Sprintf("ddlmig does not follow the rename of column %s of table %s into %s, which reads it, and keeps its old text; "+
				"drop %[3]s and create it again reading the new name, in the same file as the rename", schema.QuoteIdent(col), tt.Name, r.what)
			f.stale = append(f.stale, r)
		}
	}
}

// reportStaleReaders warns of the readers noteColumnRenameReaders noted
// that the file left as they were.
func (f *folder) reportStaleReaders() {
	for _, r := range f.stale {
		switch {
		case r.view != nil && f.cat.Views[r.view.Name] == r.view && r.view.Def == r.def,
			r.fn != nil && f.cat.Functions[r.fn.Signature()] == r.fn && r.fn.Def == r.def:
			f.warns = append(f.warns, Warning{Pos: r.pos, Msg: r.msg})
		}
	}
	f.stale = nil
}
