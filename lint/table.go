package lint

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// createTable records the table as new in this file and applies the
// column style rules to its columns.
func (f *file) createTable(cs *pg_query.CreateStmt) {
	f.created[qname(cs.Relation)] = f.cur
	for _, e := range cs.TableElts {
		if def := e.GetColumnDef(); def != nil {
			f.columnType(qname(cs.Relation), def.Colname, def.TypeName)
		}
	}
}

// finish applies the rules that need the whole file: a table created
// without a primary key, which none of the later statements added.
func (f *file) finish() {
	f.reportDrops()
	for q, st := range f.created {
		t := f.l.cat.Tables[q]
		if t == nil || t.PrimaryKey() != nil || t.Options.IsPartition() || st.Node.GetCreateStmt() == nil {
			continue
		}
		f.cur = st
		f.report(CodeNoPrimaryKey, "table %s has no primary key: rows cannot be told apart, and logical replication cannot update them", show(q))
	}
}

// alterTable applies the ALTER TABLE rules: each subcommand on a table that
// already holds rows can lock it for a scan or a rewrite.
func (f *file) alterTable(a *pg_query.AlterTableStmt) {
	if a.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return
	}
	q := qname(a.Relation)
	isNew := f.isNew(a.Relation)
	for _, c := range a.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		if cmd.Subtype == pg_query.AlterTableType_AT_AddColumn {
			def := cmd.Def.GetColumnDef()
			if def != nil {
				f.columnType(q, def.Colname, def.TypeName)
			}
		}
		if cmd.Subtype == pg_query.AlterTableType_AT_AlterColumnType {
			f.columnType(q, cmd.Name, cmd.Def.GetColumnDef().GetTypeName())
		}
		if !isNew {
			f.alterExisting(q, cmd)
		}
	}
}

// alterExisting applies the rules of one ALTER TABLE subcommand on a
// table that existed before this file.
func (f *file) alterExisting(q schema.QualifiedName, cmd *pg_query.AlterTableCmd) {
	t := f.cat.Tables[q]
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_DropColumn:
		f.report(CodeDropColumn, "DROP COLUMN %s.%s loses its data", show(q), cmd.Name)
	case pg_query.AlterTableType_AT_SetNotNull:
		if !knownNotNull(t, cmd.Name) {
			f.report(CodeSetNotNull, "SET NOT NULL on %s.%s scans the table under an ACCESS EXCLUSIVE lock", show(q), cmd.Name)
		}
	case pg_query.AlterTableType_AT_DropNotNull:
		if c := column(t, cmd.Name); c != nil && c.NotNull {
			f.report(CodeDropNotNull, "DROP NOT NULL on %s.%s lets NULLs into a column that code may read as never NULL", show(q), cmd.Name)
		}
	case pg_query.AlterTableType_AT_AddColumn:
		f.addColumn(q, cmd.Def.GetColumnDef())
	case pg_query.AlterTableType_AT_AlterColumnType:
		f.alterType(q, t, cmd)
	case pg_query.AlterTableType_AT_AddConstraint:
		f.addConstraint(q, cmd.Def.GetConstraint())
	case pg_query.AlterTableType_AT_SetTableSpace:
		f.report(CodeRewriteTable, "SET TABLESPACE rewrites %s under an ACCESS EXCLUSIVE lock", show(q))
	case pg_query.AlterTableType_AT_DisableRowSecurity, pg_query.AlterTableType_AT_NoForceRowSecurity:
		f.report(CodeDisableRowSecurity, "row level security of %s stops applying: every role with privileges sees every row", show(q))
	case pg_query.AlterTableType_AT_SetLogged, pg_query.AlterTableType_AT_SetUnLogged:
		f.report(CodeSetLogged, "SET LOGGED/UNLOGGED rewrites %s and its indexes under an ACCESS EXCLUSIVE lock", show(q))
	case pg_query.AlterTableType_AT_AttachPartition:
		f.report(CodeAttachPartition, "ATTACH PARTITION scans the partition under an ACCESS EXCLUSIVE lock to check its rows fit the bound")
	}
}

func column(t *schema.Table, name string) *schema.Column {
	if t == nil {
		return nil
	}
	return t.Column(name)
}

// knownNotNull reports whether SET NOT NULL on col needs no scan: the
// column is NOT NULL already, or a validated CHECK (col IS NOT NULL)
// proves it (PostgreSQL 12+ then skips the scan).
func knownNotNull(t *schema.Table, col string) bool {
	c := column(t, col)
	if c == nil {
		return false
	}
	if c.NotNull {
		return true
	}
	want := squeeze("CHECK (" + schema.QuoteIdent(col) + " IS NOT NULL)")
	for _, con := range t.Constraints {
		if con.Kind == schema.Check && !con.NotValid && squeeze(con.Def) == want {
			return true
		}
	}
	return false
}

// squeeze drops parentheses and spaces and folds case, so that CHECK
// ((a IS NOT NULL)) and check (a is not null) compare equal.
func squeeze(s string) string {
	return strings.ToLower(strings.NewReplacer("(", "", ")", "", " ", "").Replace(s))
}

// alterType classifies ALTER COLUMN TYPE with the planner's rules, from
// the column before the statement and after it.
func (f *file) alterType(q schema.QualifiedName, t *schema.Table, cmd *pg_query.AlterTableCmd) {
	c := column(t, cmd.Name)
	if c == nil {
		f.report(CodeAlterColumnType, "ALTER COLUMN %s.%s TYPE may rewrite the table", show(q), cmd.Name)
		return
	}
	from, indexed, cur := c.ColumnDef, f.indexed(q, cmd.Name), f.cur
	using := cmd.Def.GetColumnDef().GetRawDefault()
	f.after = append(f.after, func(cat *schema.Catalog) {
		to := column(cat.Tables[q], cmd.Name)
		if to == nil {
			return
		}
		class, reason := planner.ClassifyTypeChange(from, to.ColumnDef, indexed)
		if using != nil && !plainColumn(using, cmd.Name) && class < planner.Rewrite {
			class, reason = planner.Rewrite, "a USING expression computes every value again"
		}
		f.cur = cur
		what := "ALTER COLUMN " + show(q) + "." + cmd.Name + " TYPE " + to.Type.String()
		switch class {
		case planner.Lossy:
			f.report(planner.HazardTypeChangeLossy, "%s can fail or change values (%s) and rewrites the table", what, reason)
		case planner.Rewrite:
			f.report(planner.HazardTypeChangeRewrite, "%s rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (%s)", what, reason)
		case planner.Reindex:
			f.report(planner.HazardTypeChangeReindex, "%s rebuilds the column's indexes under an ACCESS EXCLUSIVE lock (%s)", what, reason)
		}
	})
}

// plainColumn reports whether a USING expression is the column itself or
// a cast of it: PostgreSQL then decides about the rewrite as without USING.
func plainColumn(e *pg_query.Node, col string) bool {
	if tc := e.GetTypeCast(); tc != nil {
		e = tc.Arg
	}
	ref := e.GetColumnRef()
	if ref == nil || len(ref.Fields) != 1 {
		return false
	}
	return ref.Fields[0].GetString_().GetSval() == col
}

// indexed reports whether an index or a key constraint covers the column,
// as the planner asks before classifying a type change.
func (f *file) indexed(q schema.QualifiedName, col string) bool {
	for _, idx := range f.cat.Indexes {
		if idx.Table == q && slices.Contains(idx.Columns, col) {
			return true
		}
	}
	if t := f.cat.Tables[q]; t != nil {
		for _, con := range t.Constraints {
			if (con.Kind == schema.PrimaryKey || con.Kind == schema.Unique || con.Kind == schema.Exclude) && slices.Contains(con.Columns, col) {
				return true
			}
		}
	}
	return false
}

// addColumn: a new column on a table with rows fails when it is NOT NULL
// without a default, and rewrites the table when its value must be
// computed per row (judged on the folded column, as the planner does).
func (f *file) addColumn(q schema.QualifiedName, def *pg_query.ColumnDef) {
	if def == nil {
		return
	}
	notNull, hasDefault := false, false
	for _, c := range def.Constraints {
		switch c.GetConstraint().GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL, pg_query.ConstrType_CONSTR_PRIMARY:
			notNull = true
		case pg_query.ConstrType_CONSTR_DEFAULT, pg_query.ConstrType_CONSTR_IDENTITY, pg_query.ConstrType_CONSTR_GENERATED:
			hasDefault = true
		}
		if c.GetConstraint().GetContype() != pg_query.ConstrType_CONSTR_NOTNULL {
			f.addConstraint(q, c.GetConstraint())
		}
	}
	if notNull && !hasDefault && !serialType(def.TypeName) {
		f.report(CodeAddNotNullColumn, "ADD COLUMN %s.%s NOT NULL without a default fails on a table with rows", show(q), def.Colname)
	}
	cur := f.cur
	f.after = append(f.after, func(cat *schema.Catalog) {
		c := column(cat.Tables[q], def.Colname)
		if c == nil {
			return
		}
		f.cur = cur
		switch {
		case c.Identity != schema.IdentityNone:
			f.report(CodeAddColumnRewrite, "ADD COLUMN %s.%s as an identity fills every row, rewriting the table", show(q), def.Colname)
		case c.Generated != "":
			f.report(CodeAddColumnRewrite, "ADD COLUMN %s.%s as a stored generated column computes every row, rewriting the table", show(q), def.Colname)
		case planner.VolatileDefault(c.Default):
			f.report(CodeAddColumnRewrite, "ADD COLUMN %s.%s with the volatile default %s rewrites the table", show(q), def.Colname, c.Default)
		}
	})
}

func (f *file) addConstraint(q schema.QualifiedName, c *pg_query.Constraint) {
	if c == nil {
		return
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_FOREIGN:
		if !c.SkipValidation {
			f.report(CodeAddForeignKey, "ADD FOREIGN KEY on %s without NOT VALID scans the table while it locks both tables", show(q))
		}
	case pg_query.ConstrType_CONSTR_CHECK:
		if !c.SkipValidation {
			f.report(CodeAddCheckConstraint, "ADD CHECK on %s without NOT VALID scans the table under an ACCESS EXCLUSIVE lock", show(q))
		}
	case pg_query.ConstrType_CONSTR_PRIMARY:
		if c.Indexname == "" {
			f.report(CodeAddPrimaryKey, "ADD PRIMARY KEY on %s builds its index under an ACCESS EXCLUSIVE lock", show(q))
		}
	case pg_query.ConstrType_CONSTR_UNIQUE:
		if c.Indexname == "" {
			f.report(CodeAddUniqueConstraint, "ADD UNIQUE on %s builds its index under an ACCESS EXCLUSIVE lock", show(q))
		}
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		f.report(CodeAddExclusionConstraint, "ADD EXCLUDE on %s builds its index under an ACCESS EXCLUSIVE lock", show(q))
	}
}
