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
	f.dropNullDefaults()
	f.castUserCalls()
	f.prunePrivileges()
	f.pruneOwners()
	f.qualifyCollations()
	f.syncPartitions()
	f.nameClones()
	f.syncInherits()
	f.findFunctionUsers()
	for _, tn := range schema.SortedNames(f.cat.Tables) {
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
	f.checkForeignKeys()
}
