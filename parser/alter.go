package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

func (f *folder) alterTable(st *stmt, at *pg_query.AlterTableStmt) error {
	at, err := f.asTable(st, at)
	if err != nil {
		return err
	}
	onlyOwner := true
	for _, n := range at.Cmds {
		if n.GetAlterTableCmd().GetSubtype() != pg_query.AlterTableType_AT_ChangeOwner {
			onlyOwner = false
		}
	}
	if onlyOwner {
		return f.alterRelationOwner(st, at)
	}
	if at.Objtype != pg_query.ObjectType_OBJECT_TABLE && allUnmanaged(at) {
		return f.unmanagedOnRelation(st, at)
	}
	if at.Objtype == pg_query.ObjectType_OBJECT_INDEX {
		return f.attachIndex(st, at)
	}
	if at.Objtype == pg_query.ObjectType_OBJECT_TYPE {
		return f.alterComposite(st, at)
	}
	if at.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return f.unsupportedf(st.pos, "ALTER %s", objTypeName(at.Objtype))
	}
	q := rangeVarName(at.Relation)
	t := f.cat.Tables[q]
	if t == nil {
		if allUnmanaged(at) {
			// ALTER TABLE works on any relation: pg_dump's SET STATISTICS of
			// a materialized view's column, for one.
			return f.unmanagedOnRelation(st, at)
		}
		if at.MissingOk {
			return nil
		}
		return f.missingf(f.at(st, at.Relation.Location), "relation %s does not exist", q)
	}
	// Resolve the types of added and retyped columns first, so that a type
	// created later in a declarative file defers the statement before it
	// changed anything.
	// Likewise the index of ADD CONSTRAINT ... USING INDEX.
	for _, n := range at.Cmds {
		cmd := n.GetAlterTableCmd()
		if cd := cmd.GetDef().GetColumnDef(); cd != nil && cd.TypeName != nil {
			if _, _, err := f.resolveType(st, cd.TypeName); err != nil {
				return err
			}
		}
		if c := cmd.GetDef().GetConstraint(); cmd.GetSubtype() == pg_query.AlterTableType_AT_AddConstraint && c != nil && c.Indexname != "" {
			iq := schema.QualifiedName{Schema: t.Name.Schema, Name: c.Indexname}
			if f.cat.Indexes[iq] == nil && !f.constraintIn(t.Name.Schema, c.Indexname, true) {
				return f.missingf(f.at(st, c.Location), "index %s does not exist", schema.QuoteIdent(c.Indexname))
			}
		}
		if cmd.GetSubtype() == pg_query.AlterTableType_AT_ClusterOn && !f.tableIndexExists(t, cmd.Name) {
			return f.missingf(st.pos, "index %s for table %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
	}
	var errs schema.ErrorList
	for _, n := range at.Cmds {
		if cmd := n.GetAlterTableCmd(); cmd.Subtype == pg_query.AlterTableType_AT_SetStatistics {
			addErr(&errs, f.setColumnStatistics(st, t, cmd, at.Relation.Inh))
			continue
		}
		cmd := n.GetAlterTableCmd()
		if err := f.refuseOnInherited(st, t, cmd, at.Relation.Inh); err != nil {
			addErr(&errs, err)
			continue
		}
		if !at.Relation.Inh {
			f.pinChildren(t, cmd)
		}
		dropped, droppedCheck := t.Column(cmd.Name), t.Constraint(cmd.Name)
		err := f.alterTableCmd(st, t, cmd)
		switch {
		case err != nil:
		case cmd.Subtype == pg_query.AlterTableType_AT_DropColumn && dropped != nil:
			f.dropInChildren(t, dropped, at.Relation.Inh)
		case cmd.Subtype == pg_query.AlterTableType_AT_DropConstraint && droppedCheck != nil && !at.Relation.Inh:
			f.onlyDropCheck(t, droppedCheck)
		case at.Relation.Inh:
			f.recurseColumnChange(t, cmd)
		}
		addErr(&errs, err)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (f *folder) alterTableCmd(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) error {
	pos := st.pos
	colMissing := func() error {
		return f.errorf(pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
	}
	if _, _, ok := unmanagedSetting(cmd); ok {
		return f.unmanagedTableCmd(st, t, cmd)
	}
	if isTriggerEnable(cmd.Subtype) {
		return f.triggerEnabled(st, t.Name, cmd)
	}
	if isTriggersEnable(cmd.Subtype) {
		f.triggersEnabled(t.Name, cmd.Subtype)
		return nil
	}
	if handled, err := f.foreignTableCmd(st, t, cmd); handled {
		return err
	}
	if handled, err := f.typedTableCmd(st, t, cmd); handled {
		return err
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_ChangeOwner:
		return f.setOwner(st, schema.PrivilegeObject{Kind: schema.KindTable, Name: t.Name}, cmd.Newowner)
	case pg_query.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if t.Column(cd.Colname) != nil {
			if cmd.MissingOk {
				return nil
			}
			return f.errorf(f.at(st, cd.Location), "column %s of relation %s already exists", schema.QuoteIdent(cd.Colname), schema.QuoteIdent(t.Name.Name))
		}
		typ, serial, err := f.resolveType(st, cd.TypeName)
		if err != nil {
			return err
		}
		col, cons, seq, err := f.column(st, t, cd, typ, serial, nil)
		if err != nil {
			return err
		}
		f.dropNullDefault(col)
		if err := f.foreignColumnOptions(st, t, col, cd); err != nil {
			return err
		}
		t.Columns = append(t.Columns, col)
		f.canonicalGenerated(st, col, t)
		if seq != nil {
			f.cat.Sequences[seq.Name] = seq
		}
		return f.addConstraints(st, t, cons)
	case pg_query.AlterTableType_AT_DropColumn:
		if t.Column(cmd.Name) == nil {
			if cmd.MissingOk {
				return nil
			}
			return colMissing()
		}
		for _, g := range generatedReaders(t, cmd.Name) {
			if cmd.Behavior != pg_query.DropBehavior_DROP_CASCADE {
				return f.errorf(pos, "cannot drop column %s of table %s because other objects depend on it (column %s of table %[2]s depends on column %[1]s); "+
					"way out: DROP COLUMN %[1]s CASCADE drops column %[3]s too, or drop column %[3]s first",
					schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name), schema.QuoteIdent(g))
			}
			f.dropColumn(t, g)
		}
		f.dropColumn(t, cmd.Name)
	case pg_query.AlterTableType_AT_AddConstraint:
		return f.addConstraints(st, t, []conSpec{{node: cmd.Def.GetConstraint()}})
	case pg_query.AlterTableType_AT_DropConstraint:
		c := t.Constraint(cmd.Name)
		if c == nil {
			if cmd.MissingOk {
				return nil
			}
			return f.errorf(pos, "constraint %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
		if hasIndex(c.Kind) {
			if deps := f.referencingFKs(t.Name, c.Columns); len(deps) > 0 && cmd.Behavior != pg_query.DropBehavior_DROP_CASCADE {
				return f.errorf(pos, "cannot drop constraint %s on table %s because other objects depend on it", schema.QuoteIdent(c.Name), schema.QuoteIdent(t.Name.Name))
			}
			f.dropReferencingFKs(t.Name, c.Columns)
		}
		removeConstraint(t, c)
	case pg_query.AlterTableType_AT_ValidateConstraint:
		c := t.Constraint(cmd.Name)
		if c == nil {
			return f.errorf(pos, "constraint %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
		}
		c.NotValid = false
	case pg_query.AlterTableType_AT_AlterConstraint:
		return f.alterConstraint(st, t, cmd.Def.GetConstraint())
	default:
		if handled, err := f.alterColumnCmd(st, t, cmd); handled {
			return err
		}
		if handled, err := f.alterTableOption(st, t, cmd); handled {
			return err
		}
		return f.unsupportedf(pos, "ALTER TABLE ... %s", words(strings.TrimPrefix(cmd.Subtype.String(), "AT_")))
	}
	return nil
}

// alterColumnCmd folds the ALTER TABLE subcommands that change an existing
// column (ALTER COLUMN ... TYPE, SET/DROP DEFAULT, SET/DROP NOT NULL, the
// identity and DROP EXPRESSION); handled is false for other subcommands.
func (f *folder) alterColumnCmd(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) (handled bool, err error) {
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AlterColumnType, pg_query.AlterTableType_AT_ColumnDefault,
		pg_query.AlterTableType_AT_DropNotNull, pg_query.AlterTableType_AT_SetNotNull,
		pg_query.AlterTableType_AT_AddIdentity, pg_query.AlterTableType_AT_SetIdentity,
		pg_query.AlterTableType_AT_DropIdentity, pg_query.AlterTableType_AT_DropExpression:
	default:
		return false, nil
	}
	pos := st.pos
	col := t.Column(cmd.Name)
	if col == nil {
		col = f.ownInherited(t, cmd.Name)
	}
	if col == nil {
		return true, f.errorf(pos, "column %s of relation %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(t.Name.Name))
	}
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AlterColumnType:
		cd := cmd.Def.GetColumnDef()
		typ, serial, err := f.resolveType(st, cd.TypeName)
		if err != nil {
			return true, err
		}
		if serial != "" {
			return true, f.errorf(pos, "type %s does not exist", strs(cd.TypeName.Names)[len(cd.TypeName.Names)-1])
		}
		col.Type = typ
		// Without COLLATE the column takes the new type's default
		// collation.
		col.Collation = ""
		if cd.CollClause != nil {
			col.Collation = collationName(cd.CollClause.Collname)
		}
	case pg_query.AlterTableType_AT_ColumnDefault:
		if cmd.Def == nil {
			col.Default, col.DefaultSrc = "", ""
			return true, nil
		}
		if col.Identity != schema.IdentityNone {
			return true, f.errorf(pos, "column %s of relation %s is an identity column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		d, src, err := f.canonicalDefault(st, cmd.Def, col.Type, nil)
		if err != nil {
			return true, err
		}
		setColumnDefault(col, cmd.Def, d, src)
		f.dropNullDefault(col)
	case pg_query.AlterTableType_AT_DropNotNull, pg_query.AlterTableType_AT_SetNotNull:
		set := cmd.Subtype == pg_query.AlterTableType_AT_SetNotNull
		if !set {
			if pk := t.PrimaryKey(); pk != nil && slices.Contains(pk.Columns, col.Name) {
				return true, f.errorf(pos, "column %s is in a primary key", schema.QuoteIdent(col.Name))
			}
			if col.Identity != schema.IdentityNone {
				return true, f.errorf(pos, "column %s of relation %s is an identity column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
			}
			if p := f.cat.Tables[t.Options.PartitionOf]; p != nil && p.Column(col.Name).NotNull {
				return true, f.errorf(pos, "column %s is marked NOT NULL in parent table", schema.QuoteIdent(col.Name))
			}
			f.dropPartitionNotNull(t, col.Name)
		}
		col.NotNull = set
	case pg_query.AlterTableType_AT_AddIdentity:
		if col.Identity != schema.IdentityNone {
			return true, f.errorf(pos, "column %s of relation %s is already an identity column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		return true, f.setIdentity(st, col, cmd.Def.GetConstraint())
	case pg_query.AlterTableType_AT_SetIdentity:
		if col.Identity == schema.IdentityNone {
			return true, f.errorf(pos, "column %s of relation %s is not an identity column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		o, err := f.readSeqOpts(st, cmd.Def.GetList().GetItems())
		if err != nil {
			return true, err
		}
		if o.generated != schema.IdentityNone {
			col.Identity = o.generated
		}
		d := applySeqOpts(parseIdentityOptions(col.Type.Name, col.IdentityOptions), o, false)
		col.IdentityOptions = identityOptions(d)
	case pg_query.AlterTableType_AT_DropIdentity:
		if col.Identity == schema.IdentityNone {
			if cmd.MissingOk {
				return true, nil
			}
			return true, f.errorf(pos, "column %s of relation %s is not an identity column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		col.Identity, col.IdentityOptions = schema.IdentityNone, ""
	case pg_query.AlterTableType_AT_DropExpression:
		if col.Generated == "" {
			if cmd.MissingOk {
				return true, nil
			}
			return true, f.errorf(pos, "column %s of relation %s is not a stored generated column", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		col.Generated, col.GeneratedSrc = "", ""
	}
	return true, nil
}

func removeConstraint(t *schema.Table, c *schema.Constraint) {
	t.Constraints = slices.DeleteFunc(t.Constraints, func(x *schema.Constraint) bool { return x == c })
}

// referencingFKs returns the foreign keys (of any table) that reference
// the given columns of table q.
func (f *folder) referencingFKs(q schema.QualifiedName, cols []string) []*schema.Constraint {
	var out []*schema.Constraint
	for _, t := range f.cat.Tables {
		for _, c := range t.Constraints {
			if c.Kind == schema.ForeignKey && c.RefTable == q && (cols == nil || slices.Equal(c.RefColumns, cols) || sameSet(c.RefColumns, cols)) {
				out = append(out, c)
			}
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func (f *folder) dropReferencingFKs(q schema.QualifiedName, cols []string) {
	for _, c := range f.referencingFKs(q, cols) {
		for _, t := range f.cat.Tables {
			removeConstraint(t, c)
		}
	}
}

// dropColumn removes a column with what depends on it, as PostgreSQL does:
// the constraints and indexes that mention it, foreign keys referencing
// it, and sequences it owns.
// generatedReaders lists the generated columns of t whose expression
// reads column name: PostgreSQL refuses to drop name without CASCADE, and
// drops them with it under CASCADE.
func generatedReaders(t *schema.Table, name string) []string {
	var out []string
	for _, c := range t.Columns {
		if c.Generated == "" || c.Name == name {
			continue
		}
		if e, err := parseExpr(c.Generated); err == nil && slices.Contains(columnRefs(e), name) {
			out = append(out, c.Name)
		}
	}
	return out
}

func (f *folder) dropColumn(t *schema.Table, name string) {
	for _, c := range slices.Clone(t.Constraints) {
		if slices.Contains(c.Columns, name) {
			if hasIndex(c.Kind) {
				f.dropReferencingFKs(t.Name, c.Columns)
			}
			removeConstraint(t, c)
		}
	}
	for _, other := range f.cat.Tables {
		for _, c := range slices.Clone(other.Constraints) {
			if c.Kind == schema.ForeignKey && c.RefTable == t.Name && slices.Contains(c.RefColumns, name) {
				removeConstraint(other, c)
			}
		}
	}
	for q, ix := range f.cat.Indexes {
		if ix.Table == t.Name && slices.Contains(ix.Columns, name) {
			delete(f.cat.Indexes, q)
		}
	}
	for q, s := range f.cat.Sequences {
		if s.OwnedBy == (schema.ColumnRef{Table: t.Name, Column: name}) {
			delete(f.cat.Sequences, q)
		}
	}
	f.dropStatisticsOf(t.Name, name)
	t.Columns = slices.DeleteFunc(t.Columns, func(c *schema.Column) bool { return c.Name == name })
}

// words turns a CamelCase name into upper-case words: EnableRowSecurity is
// ENABLE ROW SECURITY.
func words(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}
