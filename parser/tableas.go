package parser

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// createTableFromQuery folds CREATE TABLE ... AS and SELECT ... INTO: a
// table whose columns are the query's output columns (querytype.go), with
// no constraints, defaults or NOT NULL, as PostgreSQL creates it. The rows
// are data: the fold keeps the table, not what it holds.
func (f *folder) createTableFromQuery(st *stmt, cs *pg_query.CreateTableAsStmt) error {
	into := cs.Into
	q := rangeVarName(into.Rel)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	if f.relationTaken(q.Schema, false)(q.Name) {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(f.at(st, into.Rel.Location), "relation %s already exists", q)
	}
	cols, err := f.queryColumns(st, cs.Query, nil, 0)
	var te *typeError
	if errors.As(err, &te) {
		return f.errorf(st.pos, "CREATE TABLE %s AS: ddlmig cannot tell offline the type of %s in the query; "+
			"way out: create the table with its columns spelled out (CREATE TABLE %[1]s (...)), then fill it with INSERT INTO %[1]s SELECT ...", q, te.what)
	}
	if err != nil {
		return err
	}
	names := strs(into.ColNames)
	if len(names) > len(cols) {
		return f.errorf(st.pos, "CREATE TABLE AS specifies too many column names")
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE x (")
	seen := map[string]bool{}
	for i, c := range cols {
		if i < len(names) {
			c.name = names[i]
		}
		if seen[c.name] {
			return f.errorf(st.pos, "column %s specified more than once", schema.QuoteIdent(c.name))
		}
		seen[c.name] = true
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(schema.QuoteIdent(c.name) + " " + c.typ.String())
		if c.collation != "" {
			b.WriteString(" COLLATE " + c.collation)
		}
	}
	b.WriteString(")")
	tree, err := pgdecode.Parse(b.String())
	if err != nil || len(tree.Stmts) != 1 {
		return f.errorf(st.pos, "CREATE TABLE %s AS: internal error: the columns do not parse (%v); please report it", q, err)
	}
	ct := tree.Stmts[0].Stmt.GetCreateStmt()
	unknownLocations(ct.ProtoReflect())
	ct.Relation = &pg_query.RangeVar{Schemaname: q.Schema, Relname: q.Name, Inh: true, Relpersistence: into.Rel.Relpersistence, Location: into.Rel.Location}
	ct.Options, ct.AccessMethod, ct.Tablespacename, ct.Oncommit = into.Options, into.AccessMethod, into.TableSpaceName, into.OnCommit
	return f.createTable(st, ct)
}

// unknownLocations marks every location of a tree made up by the fold as
// unknown, so that errors point at the statement, not at offsets of a text
// the user never wrote.
func unknownLocations(m protoreflect.Message) {
	walk(m, func(m protoreflect.Message) {
		if fd := m.Descriptor().Fields().ByName("location"); fd != nil && fd.Kind() == protoreflect.Int32Kind {
			m.Set(fd, protoreflect.ValueOfInt32(-1))
		}
	})
}
