package planner

import (
	"fmt"
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// Foreign tables are tables (schema.Table.IsForeign) and go through the
// table passes; this file plans what is theirs alone. Their OPTIONS and
// their columns' change in place (ALTER FOREIGN TABLE ... OPTIONS); a new
// server, or a server dropped and created again, needs the table created
// again, which loses no rows: they live on the remote side. Dropping one
// breaks what reads it, so it is flagged, as DROP SERVER is.

// HazardDropForeignTable: DROP FOREIGN TABLE, also to create it again on
// another server; no rows are lost, but queries of it fail until it is
// back.
const HazardDropForeignTable = "drop-foreign-table"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropForeignTable, Locks, false, "DROP FOREIGN TABLE of one schema.sql no longer has, or to create it again when its server changes (or is created again): no rows are lost, they live on the remote server, but what reads the table fails while it is gone, and its grants are given again.", "Drop the views and code that read it first; to move it to another server, create the new foreign table under another name and switch the readers over."})
	codeIndex[HazardDropForeignTable] = Codes[len(Codes)-1]
}

// AlterForeignOptions is ALTER FOREIGN TABLE ... OPTIONS of the table, or
// of its column Column when that is set: From are the options it has, To
// those it gets.
type AlterForeignOptions struct {
	Base
	Table    schema.QualifiedName
	Column   string
	From, To schema.ForeignOptions
}

// foreignRecreateReason says why foreign table f must be created again
// to become t, or "": PostgreSQL cannot move a foreign table to another
// server, nor turn a table foreign or back.
func (s *planState) foreignRecreateReason(f, t *schema.Table) string {
	switch {
	case f.Options.Server == t.Options.Server:
		if f.IsForeign() && serverRecreated(s.from, s.to, f.Options.Server) {
			return "its server " + schema.QuoteIdent(f.Options.Server) + " is created again"
		}
		return ""
	case !f.IsForeign():
		return "it becomes a foreign table"
	case !t.IsForeign():
		return "it is no longer a foreign table"
	}
	return "its server changes from " + schema.QuoteIdent(f.Options.Server) + " to " + schema.QuoteIdent(t.Options.Server)
}

// recreateBase is the hazard of dropping table n of from to create it
// again for why: a foreign table's rows are elsewhere.
func recreateBase(ft *schema.Table, tt *schema.Table, n schema.QualifiedName, why string) Base {
	if ft.IsForeign() {
		return hazard(HazardDropForeignTable, tt.Pos, fmt.Sprintf("drops foreign table %s to create it again: %s", n, why))
	}
	return hazard(HazardRecreateTable, tt.Pos, fmt.Sprintf("drops table %s and all its data to create it again: %s", n, why))
}

// dropForeignTable drops foreign table n, which to lacks, early: before
// the servers go (phDropIndex), after the views that read it. One that
// tables dropped with it inherit from goes after them, with the tables.
func (s *planState) dropForeignTable(n schema.QualifiedName) {
	s.add(phDropPolicy, &DropTable{Base: s.dropTableBase(n), Name: n, Foreign: true})
}

// diffForeignOptions changes the OPTIONS of kept foreign table n and of
// its kept columns in place.
func (s *planState) diffForeignOptions(n schema.QualifiedName, ft, tt *schema.Table) {
	if !tt.IsForeign() {
		return
	}
	if !slices.Equal(ft.FDWOptions, tt.FDWOptions) {
		s.add(phTableOptions, &AlterForeignOptions{Table: n, From: ft.FDWOptions, To: tt.FDWOptions})
	}
	for _, c := range tt.Columns {
		f := ft.Column(c.Name)
		if f == nil || s.recreatedCol[conKey{n, c.Name}] || slices.Equal(f.FDWOptions, c.FDWOptions) {
			continue
		}
		s.add(phColumns, &AlterForeignOptions{Table: n, Column: c.Name, From: f.FDWOptions, To: c.FDWOptions})
	}
}

// localOnly are the hazards of a table change that are about the rows
// PostgreSQL stores: a foreign table has none here, so its columns drop,
// change type and take NOT NULL or a CHECK without a scan, a rewrite or a
// row lost (PostgreSQL neither checks nor rewrites the remote rows).
var localOnly = map[string]bool{
	HazardDropColumn: true, HazardAddNotNullColumn: true, HazardAddColumnRewrite: true,
	HazardTypeChangeRewrite: true, HazardTypeChangeReindex: true, HazardSetNotNull: true,
	HazardAddCheckConstraint: true,
}

// clearForeignHazards takes the localOnly hazards off the changes the table
// passes planned for foreign tables that stay foreign tables.
func (s *planState) clearForeignHazards() {
	foreign := func(n schema.QualifiedName) bool {
		f, t := s.from.Tables[n], s.to.Tables[n]
		return f != nil && t != nil && f.IsForeign() && t.IsForeign()
	}
	for _, ph := range s.phases {
		for _, c := range ph {
			var n schema.QualifiedName
			switch c := c.(type) {
			case *AddColumn:
				n = c.Table
			case *DropColumn:
				n = c.Table
			case *AlterColumnType:
				n = c.Table
			case *SetNotNull:
				n = c.Table
			case *AddConstraint:
				n = c.Table
			default:
				continue
			}
			if foreign(n) {
				b := c.base()
				b.Hazards = slices.DeleteFunc(b.Hazards, func(h Hazard) bool { return localOnly[h.Code] })
			}
		}
	}
}

func init() {
	registerKind("foreign table", kindPlanner{kept: func(s *planState, o schema.Object) bool {
		return kindPlanners["table"].kept(s, o)
	}, changes: []Change{&AlterForeignOptions{}}})
}
