package lint

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// maintenance applies the rules of statements that change no schema but
// lock or rewrite tables (VACUUM FULL, CLUSTER, REINDEX, REFRESH), change
// rows in bulk (UPDATE, DELETE without WHERE), or constrain domains.
func (f *file) maintenance(n *pg_query.Node) {
	switch {
	case n.GetVacuumStmt() != nil:
		if hasOption(n.GetVacuumStmt().Options, "full") {
			f.report(CodeRewriteTable, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock")
		}
	case n.GetClusterStmt() != nil:
		f.report(CodeRewriteTable, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock")
	case n.GetReindexStmt() != nil:
		switch {
		case !hasOption(n.GetReindexStmt().Params, "concurrently"):
			f.report(CodeReindex, "REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the index")
		case !f.noTx:
			f.report(CodeConcurrentInTransaction, "REINDEX CONCURRENTLY cannot run inside the migration's transaction")
		}
	case n.GetRefreshMatViewStmt() != nil:
		r := n.GetRefreshMatViewStmt()
		if !r.Concurrent && !f.isNew(r.Relation) {
			f.report(CodeRefreshMatview, "REFRESH MATERIALIZED VIEW %s without CONCURRENTLY blocks reads of it while it runs", show(qname(r.Relation)))
		}
	case n.GetUpdateStmt() != nil:
		u := n.GetUpdateStmt()
		if u.WhereClause == nil && !f.isNew(u.Relation) {
			f.report(CodeUnboundedUpdate, "UPDATE %s without WHERE rewrites every row in one transaction, locking them all", show(qname(u.Relation)))
		}
	case n.GetDeleteStmt() != nil:
		d := n.GetDeleteStmt()
		if d.WhereClause == nil && len(d.UsingClause) == 0 && !f.isNew(d.Relation) {
			f.report(CodeUnboundedDelete, "DELETE FROM %s without WHERE removes every row", show(qname(d.Relation)))
		}
	case n.GetAlterDomainStmt() != nil:
		a := n.GetAlterDomainStmt()
		if a.Subtype == "C" && !a.Def.GetConstraint().GetSkipValidation() {
			f.report(CodeAlterDomainAddConstraint, "ALTER DOMAIN ADD CONSTRAINT without NOT VALID checks every column of the domain under a lock")
		}
	case n.GetCreateDomainStmt() != nil:
		for _, c := range n.GetCreateDomainStmt().Constraints {
			if c.GetConstraint().GetContype() == pg_query.ConstrType_CONSTR_CHECK {
				f.report(CodeDomainCheck, "a CHECK on a domain is checked against every column of it whenever it changes")
				break
			}
		}
	}
}

// hasOption reports whether a VACUUM or REINDEX option list holds name
// without a false value.
func hasOption(opts []*pg_query.Node, name string) bool {
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, name) {
			continue
		}
		if v := d.Arg; v != nil {
			if s := v.GetString_(); s != nil && (strings.EqualFold(s.Sval, "false") || s.Sval == "0" || strings.EqualFold(s.Sval, "off")) {
				return false
			}
			if b := v.GetBoolean(); b != nil && !b.Boolval {
				return false
			}
			if i := v.GetInteger(); i != nil && i.Ival == 0 {
				return false
			}
		}
		return true
	}
	return false
}
