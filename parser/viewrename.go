package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// renameView folds ALTER [MATERIALIZED] VIEW ... RENAME TO: the view is
// re-keyed with its owner, privileges and triggers, and the views that
// read it name it anew, as PostgreSQL, which stores the view's OID, prints
// them.
func (f *folder) renameView(st *stmt, rs *pg_query.RenameStmt, newName string) error {
	q := rangeVarName(rs.Relation)
	pos := f.at(st, rs.Relation.Location)
	v := f.cat.Views[q]
	// ALTER TABLE and ALTER INDEX rename any relation; ALTER [MATERIALIZED]
	// VIEW only its own kind.
	anyKind := rs.RenameType == pg_query.ObjectType_OBJECT_TABLE || rs.RenameType == pg_query.ObjectType_OBJECT_INDEX
	if v == nil || !anyKind && v.Materialized != (rs.RenameType == pg_query.ObjectType_OBJECT_MATVIEW) {
		if rs.MissingOk {
			return nil
		}
		return f.missingf(pos, "view %s does not exist", q)
	}
	if f.relationTaken(q.Schema, false)(newName) {
		return f.errorf(pos, "relation %s already exists", schema.QuoteIdent(newName))
	}
	return f.moveView(st, q, schema.QualifiedName{Schema: q.Schema, Name: newName})
}

// moveView re-keys view q as nq (RENAME TO, ALTER SCHEMA ... RENAME TO)
// with its owner, privileges, triggers and indexes, and names it anew in
// the views that read it and the routines that take its row type.
func (f *folder) moveView(st *stmt, q, nq schema.QualifiedName) error {
	v := f.cat.Views[q]
	delete(f.cat.Views, q)
	v.Name = nq
	f.cat.Views[nq] = v
	f.renamePrivileges(q, nq, "", "")
	f.renameOwner(schema.KindView, q, nq)
	f.renameOwner(schema.KindMaterializedView, q, nq)
	for _, tn := range schema.SortedTriggers(f.cat.Triggers) {
		if tn.Table != q {
			continue
		}
		tr := f.cat.Triggers[tn]
		delete(f.cat.Triggers, tn)
		tr.Table = nq
		rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { n.Relation = rangeVar(nq) })
		f.cat.Triggers[tr.TriggerName] = tr
	}
	// A materialized view's indexes name it: they follow, as PostgreSQL,
	// which stores the view's OID, prints them.
	for iq, ix := range v.Indexes {
		ix.Table = nq
		rewriteIndex(ix, func(*pg_query.IndexStmt) {})
		if iq.Schema != nq.Schema {
			// An index lives in its relation's schema.
			delete(v.Indexes, iq)
			ix.Name.Schema = nq.Schema
			v.Indexes[ix.Name] = ix
		}
	}
	f.renameInViews(q, nq)
	return f.retypeRoutinesAt(st, q, nq)
}

// renameInViews makes the views that read relation old read it as nq: its
// name in FROM, and the name that qualifies its columns where the query
// gives it no alias of its own.
func (f *folder) renameInViews(old, nq schema.QualifiedName) {
	for _, v := range f.cat.Views {
		if !slices.Contains(v.Refs, old) {
			continue
		}
		for i, r := range v.Refs {
			if r == old {
				v.Refs[i] = nq
			}
		}
		renameRelationInDef(v, old, nq)
	}
}

// renameRelationInDef rewrites a view's canonical text (and the shape
// CREATE OR REPLACE compares) and the user's text it renders for a renamed
// relation; a text that does not parse back is left alone.
func renameRelationInDef(v *schema.View, old, nq schema.QualifiedName) {
	if def, query, ok := renameRelationInText(v.Def, v.Materialized, old, nq, true); ok {
		v.Def = def
		if !v.Materialized {
			v.Targets, v.From = queryShape(query)
		}
	}
	if src, _, ok := renameRelationInText(v.Src, v.Materialized, old, nq, false); ok {
		v.Src = src
	}
}

// renameRelationInText renames relation old to nq in a view's text (what
// follows its name), and returns the new text and its query. A canonical
// text names relations of public bare, as the server prints them.
func renameRelationInText(text string, materialized bool, old, nq schema.QualifiedName, canonical bool) (string, *pg_query.Node, bool) {
	prefix := viewPrefix
	if materialized {
		prefix = matviewPrefix
	}
	tree, err := pgdecode.Parse(prefix + text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", nil, false
	}
	var query *pg_query.Node
	switch x := tree.Stmts[0].Stmt.Node.(type) {
	case *pg_query.Node_ViewStmt:
		query = x.ViewStmt.Query
	case *pg_query.Node_CreateTableAsStmt:
		query = x.CreateTableAsStmt.Query
	default:
		return "", nil, false
	}
	shadowed := false
	walk(query.ProtoReflect(), func(m protoreflect.Message) {
		if c, ok := m.Interface().(*pg_query.CommonTableExpr); ok && c.Ctename == old.Name {
			shadowed = true
		}
	})
	if shadowed {
		return "", nil, false // a WITH query of that name: left as it is
	}
	unaliased := false
	walk(query.ProtoReflect(), func(m protoreflect.Message) {
		rv, ok := m.Interface().(*pg_query.RangeVar)
		if !ok || rangeVarName(rv) != old {
			return
		}
		if rv.Alias == nil {
			unaliased = true
		}
		rv.Relname = nq.Name
		if rv.Schemaname != "" || nq.Schema != old.Schema {
			// A name left bare, read in public, is qualified once the
			// relation moves out of it (ALTER TABLE ... SET SCHEMA).
			rv.Schemaname = nq.Schema
		}
	})
	if unaliased && old != nq {
		walk(query.ProtoReflect(), func(m protoreflect.Message) {
			cr, ok := m.Interface().(*pg_query.ColumnRef)
			switch {
			case !ok:
			case len(cr.Fields) == 2 && cr.Fields[0].GetString_().GetSval() == old.Name:
				cr.Fields[0] = pg_query.MakeStrNode(nq.Name)
			case len(cr.Fields) == 3 && cr.Fields[0].GetString_().GetSval() == old.Schema &&
				cr.Fields[1].GetString_().GetSval() == old.Name:
				// schema.table.column, as a user may write it.
				cr.Fields[0], cr.Fields[1] = pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)
			}
		})
	}
	if canonical {
		unqualifyPublic(query.ProtoReflect())
	}
	s, err := deparse(tree.Stmts[0].Stmt)
	if err != nil {
		return "", nil, false
	}
	return strings.TrimPrefix(strings.TrimPrefix(s, viewPrefix), matviewPrefix), query, true
}
