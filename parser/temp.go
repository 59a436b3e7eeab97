package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"
)

// Temporary relations live in the session's own schema and vanish when it
// ends, so they are never part of the schema ddlmig manages. A migration
// creates one to move data (CREATE TEMP TABLE ... AS, then UPDATE ... FROM
// it, then DROP it). The fold keeps their names for the file it folds
// (each migration runs in a session of its own, as psql -1 -f runs it), so
// that the statements naming them are followed rather than refused: those
// that create, change or drop a temporary relation change no schema.

// tempStmt folds a statement that creates, changes or drops only
// temporary relations; ok is false for any other statement. It runs before
// names are qualified, since an unqualified name refers to a temporary
// relation before any schema of the search path.
func (f *folder) tempStmt(st *stmt) (ok bool, err error) {
	switch n := st.node.Node.(type) {
	case *pg_query.Node_CreateStmt:
		return f.createTemp(st, "TABLE", n.CreateStmt.Relation), nil
	case *pg_query.Node_CreateTableAsStmt:
		return f.createTemp(st, "TABLE", n.CreateTableAsStmt.Into.GetRel()), nil
	case *pg_query.Node_SelectStmt:
		return f.createTemp(st, "TABLE", n.SelectStmt.IntoClause.GetRel()), nil
	case *pg_query.Node_ViewStmt:
		return f.createTemp(st, "VIEW", n.ViewStmt.View), nil
	case *pg_query.Node_CreateSeqStmt:
		return f.createTemp(st, "SEQUENCE", n.CreateSeqStmt.Sequence), nil
	case *pg_query.Node_AlterTableStmt:
		return f.isTemp(n.AlterTableStmt.Relation), nil
	case *pg_query.Node_IndexStmt:
		return f.isTemp(n.IndexStmt.Relation), nil
	case *pg_query.Node_CreateTrigStmt:
		return f.isTemp(n.CreateTrigStmt.Relation), nil
	case *pg_query.Node_DropStmt:
		return f.dropTemp(n.DropStmt), nil
	}
	return false, nil
}

// createTemp records rv when it is a temporary relation. A schema file
// declares what is to last, so there it is worth a warning; in a migration
// it is what moving data takes (as skipData says of data statements).
func (f *folder) createTemp(st *stmt, kind string, rv *pg_query.RangeVar) bool {
	if rv == nil || (rv.Relpersistence != "t" && rv.Schemaname != "pg_temp") {
		return false
	}
	if !f.opts.Migration {
		f.warn(st, "skipped CREATE TEMPORARY "+kind+" "+rv.Relname+": it lasts only for its session, it is not part of the schema")
	}
	if f.temp == nil {
		f.temp = map[string]bool{}
	}
	f.temp[rv.Relname] = true
	return true
}

// isTemp reports whether rv names a temporary relation of this file.
func (f *folder) isTemp(rv *pg_query.RangeVar) bool {
	return rv != nil && (rv.Schemaname == "" || rv.Schemaname == "pg_temp") && f.temp[rv.Relname]
}

// dropTemp forgets the temporary relations a DROP TABLE, VIEW or SEQUENCE
// names and takes them out of it; ok is true when none is left to fold.
func (f *folder) dropTemp(ds *pg_query.DropStmt) (ok bool) {
	switch ds.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_SEQUENCE:
	default:
		return false
	}
	var rest []*pg_query.Node
	for _, o := range ds.Objects {
		names := strs(o.GetList().GetItems())
		if len(names) == 1 || len(names) == 2 && names[0] == "pg_temp" {
			if name := names[len(names)-1]; f.temp[name] {
				delete(f.temp, name)
				continue
			}
		}
		rest = append(rest, o)
	}
	if len(rest) == len(ds.Objects) {
		return false
	}
	ds.Objects = rest
	return len(rest) == 0
}

// selectInto is SELECT ... INTO table as the CREATE TABLE AS it means.
func selectInto(s *pg_query.SelectStmt) *pg_query.CreateTableAsStmt {
	q := proto.Clone(s).(*pg_query.SelectStmt)
	q.IntoClause = nil
	return &pg_query.CreateTableAsStmt{
		Query:   &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: q}},
		Into:    s.IntoClause,
		Objtype: pg_query.ObjectType_OBJECT_TABLE,
	}
}
