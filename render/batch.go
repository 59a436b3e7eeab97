package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// BatchMarker splits a migration into batches that ddlmig apply commits one
// by one; it is migfile.BatchMarker, spelled here so that render keeps
// depending on the model and the planner only (a test checks they agree).
const BatchMarker = "-- ddlmig:batch"

// DefaultBatchRelations is how many relations one generated migration
// (CutLocks) or one batch of a file (Files, Body) may create, alter or
// drop, as relations counts them.
// PostgreSQL keeps every lock a transaction takes until it ends, in a shared
// table sized max_locks_per_transaction (64 by default) times the number of
// backends (about 120 with default settings): some 7,800 entries for the
// whole server. A 5,000-table schema needs about 40,000, so its first
// migration cannot run as one transaction on a default server. The count
// misses locks that PostgreSQL takes on the side (a foreign key's check
// plans a query over both tables and locks all their indexes), which
// triple the real figure in the worst batch measured on PostgreSQL 15, so
// 1,000 keeps every batch under half the table.
const DefaultBatchRelations = 1000

// batches cuts p's changes into runs that each lock at most budget
// relations, in order, and returns the index of the first change of every
// run but the first. It returns nil when the whole plan fits in one run or
// budget is negative.
func batches(p *planner.Plan, budget int) []int {
	if budget < 0 {
		return nil
	}
	if budget == 0 {
		budget = DefaultBatchRelations
	}
	var cuts []int
	seen := map[string]bool{}
	for i, c := range p.Changes {
		keys := relations(c)
		fresh := 0
		for _, k := range keys {
			if !seen[k] {
				fresh++
			}
		}
		if len(seen) > 0 && len(seen)+fresh > budget {
			cuts = append(cuts, i)
			clear(seen)
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	return cuts
}

// relations returns the relations (tables, their toast tables and indexes,
// sequences, indexes) a change locks, as keys that name the same relation
// the same way across changes, so that a batch counts each relation once.
// It errs on the high side where the change does not say (a dropped table's
// indexes, the index a foreign key checks).
func relations(c planner.Change) []string {
	tab := func(n schema.QualifiedName) string { return "r:" + n.String() }
	toast := func(n schema.QualifiedName) []string {
		// The toast table and its index: only tables with variable-length
		// columns have them, but counting them always is the safe side.
		return []string{"toast:" + n.String(), "toastidx:" + n.String()}
	}
	switch c := c.(type) {
	case *planner.CreateTable:
		ks := append([]string{tab(c.Name)}, toast(c.Name)...)
		for _, k := range c.Constraints {
			switch k.Kind {
			case schema.PrimaryKey, schema.Unique, schema.Exclude:
				ks = append(ks, "i:"+c.Name.Schema+"."+k.Name)
			}
		}
		for _, col := range c.Columns {
			if col.Identity != schema.IdentityNone {
				ks = append(ks, "s:identity:"+c.Name.String()+"."+col.Name)
			}
		}
		return ks
	case *planner.DropTable:
		// Dropping a table locks its indexes and owned sequences too; the
		// change does not list them, so count a primary key and one more.
		return append([]string{tab(c.Name), "pk:" + c.Name.String(), "idx:" + c.Name.String()}, toast(c.Name)...)
	case *planner.CreateIndex:
		return []string{"i:" + c.Index.Name.String(), tab(c.Index.Table)}
	case *planner.DropIndex:
		return []string{"i:" + c.Name.String(), "table-of:" + c.Name.String()}
	case *planner.AttachIndex:
		return []string{"i:" + c.Parent.String(), "i:" + c.Index.String(), "table-of:" + c.Parent.String(), "table-of:" + c.Index.String()}
	case *planner.AddConstraint:
		ks := []string{tab(c.Table)}
		switch c.Constraint.Kind {
		case schema.PrimaryKey, schema.Unique, schema.Exclude:
			ks = append(ks, "i:"+c.Table.Schema+"."+c.Constraint.Name)
		case schema.ForeignKey:
			ks = append(ks, tab(c.Constraint.RefTable), "pk:"+c.Constraint.RefTable.String())
		}
		return ks
	case *planner.CreateSequence:
		return []string{"s:" + c.Name.String()}
	case *planner.DropSequence:
		return []string{"s:" + c.Name.String()}
	case *planner.AlterSequence:
		return []string{"s:" + c.Name.String()}
	case *planner.SetSequenceOwner:
		ks := []string{"s:" + c.Name.String()}
		if c.OwnedBy.Table.Name != "" {
			ks = append(ks, tab(c.OwnedBy.Table))
		}
		return ks
	case *planner.AlterColumnType:
		// A rewrite rebuilds the table's indexes and toast table.
		return append([]string{tab(c.Table), "idx:" + c.Table.String()}, toast(c.Table)...)
	}
	if _, g := statement(c); g.kind == blockTable {
		return []string{"r:" + g.name}
	}
	return []string{fmt.Sprintf("other:%p", c)}
}

// enumCut returns where a plan that adds enum values and then uses one of
// them must be cut: after its leading enum value changes (the planner puts
// them first), so that ddlmig apply commits them before the statements
// that use them. PostgreSQL refuses a value added in the same transaction
// in a default, check, index, view or SQL function body ("unsafe use of
// new value"). It returns 0 when no cut is needed.
//
// "Uses" is lexical: a later statement holds the value as a string
// literal. A literal that belongs to another type only costs a needless
// cut.
func enumCut(p *planner.Plan) int {
	var added []string
	end := 0 // the first change after the leading run
lead:
	for ; end < len(p.Changes); end++ {
		switch c := p.Changes[end].(type) {
		case *planner.AddEnumValue:
			added = append(added, schema.QuoteLiteral(c.Value))
		case *planner.RenameEnumValue, *planner.Irreversible:
		default:
			break lead
		}
	}
	if len(added) == 0 || end == len(p.Changes) {
		return 0
	}
	for _, c := range p.Changes[end:] {
		st := Statement(c)
		for _, v := range added {
			if strings.Contains(st, v) {
				return end
			}
		}
	}
	return 0
}

// cutsOf merges the cut of enumCut, when withEnum, into the cuts of
// batches.
func cutsOf(p *planner.Plan, budget int, withEnum bool) (cuts []int, enum bool) {
	cuts = batches(p, budget)
	if !withEnum {
		return cuts, false
	}
	if e := enumCut(p); e > 0 {
		if i, found := slices.BinarySearch(cuts, e); !found {
			cuts = slices.Insert(cuts, i, e)
		}
		enum = true
	}
	return cuts, enum
}

// batchedSQL renders p like SQL, with a batch marker line between the runs
// that batches cut.
func batchedSQL(p *planner.Plan, cuts []int, marker string) string {
	var b strings.Builder
	start := 0
	n := len(cuts) + 1
	for k, end := range append(cuts, len(p.Changes)) {
		if k > 0 {
			fmt.Fprintf(&b, "\n%s %d of %d\n\n", BatchMarker, k+1, n)
		}
		b.WriteString(markedSQL(&planner.Plan{Changes: p.Changes[start:end]}, marker))
		start = end
	}
	return b.String()
}

// batchNote is the header of a batched file: why it is batched and what
// that means for atomicity, so that nobody has to look it up. enum says
// that the first cut is enumCut's; n-1 or n-2 further cuts are for locks.
func batchNote(n, budget int, enum bool) string {
	if budget == 0 {
		budget = DefaultBatchRelations
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--\n-- This migration is split into %d batches (\"%s\" lines).\n", n, BatchMarker)
	if enum {
		b.WriteString(`-- Batch 1 adds enum values that later statements use, and PostgreSQL
-- does not let a transaction use an enum value it added itself ("unsafe
-- use of new value"), so the values are committed first. They are
-- harmless on their own: nothing holds them yet.
`)
	}
	if lockCuts := n - 1 - btoi(enum); lockCuts > 0 {
		markers := "the marker lines"
		if enum {
			markers = "every marker line but the first"
		}
		fmt.Fprintf(&b, `-- In one transaction the statements would lock more relations than a
-- PostgreSQL server with default settings can (max_locks_per_transaction =
-- 64), so each batch locks at most about %d. To apply them atomically,
-- raise max_locks_per_transaction on the server and delete %s.
`, budget, markers)
	}
	b.WriteString(`-- ddlmig apply commits the batches one by one and records its progress:
-- if batch k fails, batch k is rolled back, batches 1 to k-1 stay applied
-- (status says "partly applied"), and apply resumes at batch k once the
-- cause is fixed.
`)
	return b.String()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
