package planner

import (
	"sort"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardUnmanagedChanged: a statement marked -- ddlmig:unmanaged changed
// since a migration ran it; the migration runs the new text as written,
// over whatever the old one made.
const HazardUnmanagedChanged = "unmanaged-changed"

func init() {
	Codes = append(Codes, HazardInfo{HazardUnmanagedChanged, Locks, false,
		"A statement marked -- ddlmig:unmanaged whose text changed since a migration ran it: ddlmig drops the object the old text made (when the statement names one) and runs the new text as written.",
		"Write the ALTER that changes the object instead, marked -- ddlmig:unmanaged, when dropping it would lose data or dependents."})
	codeIndex[HazardUnmanagedChanged] = Codes[len(Codes)-1]
}

// RunUnmanaged runs a statement marked -- ddlmig:unmanaged in schema.sql,
// as written: when it first appears, and again (flagged) when its text
// changes, after dropping what the old text made where the statement
// names its object (Replace). ddlmig never drops one that schema.sql no
// longer holds.
type RunUnmanaged struct {
	Base
	Stmt *schema.Unmanaged
	// Replace is what follows DROP for the object the old text made
	// ("PUBLICATION p"), dropped first; "" for a new statement.
	Replace string
}

// UndoUnmanaged undoes, in a down migration, an unmanaged statement its up
// runs: DROP of the object the statement made (Drop, from the statement's
// identity), or, for a statement that names none, a comment that asks for
// the inverse by hand.
type UndoUnmanaged struct {
	Base
	Stmt *schema.Unmanaged
	// Drop is what follows DROP ("PUBLICATION p"), or "" when the
	// statement makes no object ddlmig can name.
	Drop string
}

// diffUnmanaged plans the unmanaged statements of to, in file order, after
// everything else is created: they may name any object. One that from
// already holds with the same normalized text needs nothing; one that
// from lacks is run; one whose text changed is run again, flagged. One
// that to lacks is left alone: ddlmig never drops it by itself; only a down
// migration (Options.Undo) undoes what its up ran, and runs nothing for a
// statement its up stopped marking.
func (s *planState) diffUnmanaged() {
	if s.undo {
		s.undoUnmanaged()
	}
	keys := make([]string, 0, len(s.to.Unmanaged))
	for k := range s.to.Unmanaged {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return s.to.Unmanaged[keys[i]].Seq < s.to.Unmanaged[keys[j]].Seq })
	for _, k := range keys {
		tu, fu := s.to.Unmanaged[k], s.from.Unmanaged[k]
		switch {
		case fu == nil && s.undo:
			// The up stopped marking it and left its object alone (ddlmig
			// never drops one): the object is there, so its down runs
			// nothing.
		case fu == nil:
			s.add(phUnmanaged, &RunUnmanaged{Stmt: tu})
		case fu.Norm != tu.Norm:
			// A key without the statement prefix names the object.
			replace := ""
			if !strings.HasPrefix(k, schema.UnmanagedStatementKey) {
				replace = k
			}
			s.add(phUnmanaged, &RunUnmanaged{Base: hazard(HazardUnmanagedChanged, tu.Pos, changedMessage(tu, fu, replace)), Stmt: tu, Replace: replace})
		}
	}
}

// undoUnmanaged plans the UndoUnmanaged changes of a down migration: the
// statements of from that to lacks, in reverse file order.
func (s *planState) undoUnmanaged() {
	var gone []*schema.Unmanaged
	for k, u := range s.from.Unmanaged {
		if s.to.Unmanaged[k] == nil {
			gone = append(gone, u)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].Seq > gone[j].Seq })
	for _, u := range gone {
		c := &UndoUnmanaged{Stmt: u}
		if !strings.HasPrefix(u.Key, schema.UnmanagedStatementKey) {
			c.Drop = u.Key
		}
		if strings.HasPrefix(c.Drop, "TABLE ") {
			c.Base = hazard(HazardDropTable, u.Pos, "drops table "+strings.TrimPrefix(c.Drop, "TABLE ")+", which an unmanaged statement created, and all its data")
		}
		s.add(phUndoUnmanaged, c)
	}
}

// changedMessage explains an unmanaged statement run again.
func changedMessage(tu, fu *schema.Unmanaged, replace string) string {
	msg := "unmanaged " + tu.Kind + " changed since a migration ran it (at " + fu.Pos.String() + "): "
	if replace == "" {
		return msg + "it runs again as written; make it apply over the old one"
	}
	return msg + "DROP " + replace + " and the new text; check what depends on it (CASCADE is not used), or write the ALTER that changes it instead"
}
