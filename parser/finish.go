package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// finish resolves what needs the whole catalog once every statement has
// been folded. It is idempotent, because Parse may be called again on the
// same catalog (one call per migration).
func (f *folder) finish() {
	f.dropNullDefaults(f.cat.Tables)
	f.castUserCalls(nil)
	f.prunePrivileges()
	f.pruneOwners()
	f.qualifyCollations()
	f.syncPartitions()
	f.nameClones()
	f.syncInherits()
	f.findFunctionUsers()
	names := schema.SortedNames(f.cat.Tables)
	f.resolveForeignKeys(names)
	f.checkForeignKeys(names)
}

// resolveForeignKeys gives the foreign keys of the tables named (in
// order) that name no referenced columns those of the referenced table's
// primary key, reports those of this file whose table does not exist,
// and sorts each table's constraints by name.
func (f *folder) resolveForeignKeys(names []schema.QualifiedName) {
	for _, tn := range names {
		t := f.cat.Tables[tn]
		for _, c := range t.Constraints {
			if c.Kind != schema.ForeignKey {
				continue
			}
			ref := f.cat.Tables[c.RefTable]
			if ref == nil {
				if f.src.owns(c.Pos.File) {
					f.errs.Add(c.Pos, "relation %s referenced by foreign key %s does not exist", c.RefTable, schema.QuoteIdent(c.Name))
				}
				continue
			}
			if len(c.RefColumns) > 0 {
				continue
			}
			// REFERENCES t without columns means t's primary key.
			pk := ref.PrimaryKey()
			if pk == nil {
				f.errs.Add(c.Pos, "there is no primary key for referenced table %s", schema.QuoteIdent(ref.Name.Name))
				continue
			}
			c.RefColumns = slices.Clone(pk.Columns)
			rewriteConstraint(c, func(n *pg_query.Constraint) {
				for _, col := range pk.Columns {
					n.PkAttrs = append(n.PkAttrs, pg_query.MakeStrNode(col))
				}
			})
		}
		slices.SortStableFunc(t.Constraints, func(a, b *schema.Constraint) int {
			return strings.Compare(a.Name, b.Name)
		})
	}
}

// finishTouched is finish for a file folded by a Session (session.go)
// whose statements changed only the tables they name (f.touched), on a
// catalog that a finish left without error and plain (no inheritance, no
// partitions). The passes that read a table alone run on the touched
// tables (castUserCalls too: the functions, domains and views whose texts
// it casts are changed by none of the statements touch allows); those
// that act on a plain catalog's tables only through inheritance or
// partitions (syncPartitions, nameClones, syncInherits) have nothing to
// do; those that read other kinds of objects run whole.
// The untouched tables are as the last finish left them, and each pass
// gives what it gave then: this costs what the file changed, not what the
// catalog holds.
func (f *folder) finishTouched() {
	names := schema.SortedNames(f.touched)
	tables := make(map[schema.QualifiedName]*schema.Table, len(names))
	for _, n := range names {
		tables[n] = f.cat.Tables[n]
	}
	f.dropNullDefaults(tables)
	f.castUserCalls(f.touched)
	f.prunePrivileges()
	f.pruneOwners()
	if fix := f.collationFix(); fix != nil {
		qualifyColumnCollations(tables, fix)
	}
	f.findFunctionUsers()
	f.resolveForeignKeys(names)
	f.checkForeignKeys(names)
}
