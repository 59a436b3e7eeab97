package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardRecreateTable: a table is dropped and created again because
// PostgreSQL cannot change it in place (a new partition key or bound, a
// table turned into a partitioned one); its rows are lost.
const HazardRecreateTable = "recreate-table"

// HazardDropPolicy: DROP POLICY; with row level security enabled, rows the
// policy let through are no longer visible (or writable) to its roles.
const HazardDropPolicy = "drop-policy"

// HazardDisableRowSecurity: DISABLE ROW LEVEL SECURITY makes every row
// visible to every role with table privileges.
const HazardDisableRowSecurity = "disable-row-security"

// HazardSetLogged: SET LOGGED or SET UNLOGGED rewrites the table.
const HazardSetLogged = "set-logged"

func init() {
	Codes = append(Codes,
		HazardInfo{HazardAttachPartition, Locks, true, "ATTACH PARTITION (also to move a partition to a new bound: DETACH, then ATTACH): scans the partition under an ACCESS EXCLUSIVE lock to check its rows fit the bound, and fails on a row outside it. A partition created or attached beside a DEFAULT partition also has the default partition scanned, under the same lock, and fails if it holds a row for the new bound.", "Add a CHECK constraint matching the bound NOT VALID and VALIDATE it first: ATTACH then skips the scan (on the default partition: a CHECK excluding the new bound)."},
		HazardInfo{HazardRecreateTable, LosesData, false, "A table dropped and created again because PostgreSQL cannot change it in place: a new partition key, a table turned into a partitioned table or back, or into a foreign table.", "Create the new table beside the old one, copy the rows (INSERT ... SELECT), then swap the names."},
		HazardInfo{HazardDropPolicy, Locks, false, "DROP POLICY (also when a policy is dropped to be created again with a new command or mode): the roles it covered lose access to its rows, or gain it for a restrictive policy, until the statements after it run.", "Create the new policy first, under another name, then drop the old one."},
		HazardInfo{HazardDisableRowSecurity, LosesData, false, "DISABLE ROW LEVEL SECURITY (or NO FORCE): the policies stop applying and every role with privileges on the table sees every row.", ""},
		HazardInfo{HazardSetLogged, Locks, false, "ALTER TABLE ... SET LOGGED or SET UNLOGGED: the table and its indexes are rewritten (SET LOGGED also writes them all to the WAL) under an ACCESS EXCLUSIVE lock.", ""},
	)
	for _, c := range Codes[len(Codes)-5:] {
		codeIndex[c.Code] = c
	}
}

// SetRowSecurity enables or disables row level security on a table.
type SetRowSecurity struct {
	Base
	Table  schema.QualifiedName
	Enable bool
}

// SetForceRowSecurity makes row level security apply to the table's owner
// too (FORCE), or not (NO FORCE).
type SetForceRowSecurity struct {
	Base
	Table schema.QualifiedName
	Force bool
}

// SetReplicaIdentity sets what a table's rows carry in logical replication:
// Identity is "" (DEFAULT), FULL, NOTHING or USING INDEX name.
type SetReplicaIdentity struct {
	Base
	Table    schema.QualifiedName
	Identity string
}

// SetStorageParams sets (Set: "name=value" items) and resets (Reset: names)
// storage parameters of a table.
type SetStorageParams struct {
	Base
	Table schema.QualifiedName
	Set   []string
	Reset []string
}

// SetOfType makes a table a typed table of Type (ALTER TABLE ... OF,
// which checks that its columns are the type's), or with Type zero a
// plain table (NOT OF), keeping its columns and rows either way.
type SetOfType struct {
	Base
	Table schema.QualifiedName
	Type  schema.QualifiedName
}

// SetLogged turns a table UNLOGGED or back to LOGGED; either rewrites it.
type SetLogged struct {
	Base
	Table    schema.QualifiedName
	Unlogged bool
}

// CreatePolicy creates a row level security policy.
type CreatePolicy struct {
	Base
	Table  schema.QualifiedName
	Policy *schema.Policy
}

// DropPolicy drops a policy.
type DropPolicy struct {
	Base
	Table schema.QualifiedName
	Name  string
}

// AlterPolicy changes a policy's roles and expressions in place (ALTER
// POLICY cannot change its command or mode). Only the parts that differ are
// set; SetUsing and SetCheck say whether Using and WithCheck are.
type AlterPolicy struct {
	Base
	Table     schema.QualifiedName
	Name      string
	Roles     string // "" when unchanged
	SetUsing  bool
	Using     string
	SetCheck  bool
	WithCheck string
}

// needsRecreateTable reports why table f must be dropped and created again
// to become t, or "".
func needsRecreateTable(f, t *schema.Table) string {
	if f.Options.PartitionBy != t.Options.PartitionBy {
		return "its partition key changes"
	}
	return ""
}

// HazardAttachPartition: ATTACH PARTITION scans the partition to check that
// its rows fit the bound, and fails on a row outside it.
const HazardAttachPartition = "attach-partition"

// AttachPartition makes table Partition a partition of Table.
type AttachPartition struct {
	Base
	Table     schema.QualifiedName
	Partition schema.QualifiedName
	Bound     string
}

// DetachPartition makes a partition a table of its own again; it keeps its
// rows.
type DetachPartition struct {
	Base
	Table     schema.QualifiedName
	Partition schema.QualifiedName
}

// recreateTables finds the tables of from that must be dropped and created
// again, drops them first, and plans the rest as if from did not have them
// (with their indexes; a partitioned table takes its partitions along).
// It runs before the other table steps.
func (s *planState) recreateTables() {
	drop := map[schema.QualifiedName]string{}
	for _, n := range s.fromTables() {
		ft, tt := s.from.Tables[n], s.to.Tables[n]
		if tt == nil {
			continue
		}
		if why := needsRecreateTable(ft, tt); why != "" {
			drop[n] = why
		} else if why := s.foreignRecreateReason(ft, tt); why != "" {
			drop[n] = why
		}
	}
	if len(drop) == 0 {
		return
	}
	// Partitions go with their parent.
	for _, n := range s.fromTables() {
		ft := s.from.Tables[n]
		if _, ok := drop[ft.Options.PartitionOf]; ok && ft.Options.IsPartition() {
			if _, self := drop[n]; !self {
				drop[n] = ""
			}
		}
	}
	work := *s.from
	work.Tables = map[schema.QualifiedName]*schema.Table{}
	for n, t := range s.from.Tables {
		if _, ok := drop[n]; !ok {
			work.Tables[n] = t
		}
	}
	work.Indexes = map[schema.QualifiedName]*schema.Index{}
	for n, ix := range s.from.Indexes {
		if _, ok := drop[ix.Table]; !ok {
			work.Indexes[n] = ix
		}
	}
	for _, n := range s.fromTables() {
		why, ok := drop[n]
		if !ok || why == "" {
			continue
		}
		if p := s.from.Tables[n].Options.PartitionOf; p != (schema.QualifiedName{}) {
			if _, parentToo := drop[p]; parentToo {
				continue
			}
		}
		// After the foreign keys into it (phDropFK).
		ft := s.from.Tables[n]
		s.add(phDropPolicy, &DropTable{
			Base:    recreateBase(ft, s.to.Tables[n], n, why),
			Name:    n,
			Foreign: ft.IsForeign(),
		})
	}
	s.recreatedTable = map[schema.QualifiedName]bool{}
	for n := range drop {
		s.recreatedTable[n] = true
	}
	s.releaseDependents(drop)
	s.names.fromTables = keep(s.fromTables(), work.Tables)
	s.names.fromIndexes = keep(s.fromIndexes(), work.Indexes)
	s.from = &work
}

// releaseDependents takes off the tables about to be re-created what
// PostgreSQL would refuse to drop them under or drop with them: foreign
// keys of other tables into them are dropped first and added back (as when
// the key they reference is rebuilt), and sequences they own that stay are
// released first and owned again after (DROP TABLE would drop a serial's
// sequence, which the new table's default needs). Views that read them are
// re-created (see tableReshaped). A foreign key between two re-created
// tables (both ways, say) is dropped first too: whichever table goes first,
// the other's key into it would stop the DROP TABLE; the new tables get it
// back with their other constraints.
func (s *planState) releaseDependents(drop map[schema.QualifiedName]string) {
	for _, n := range schema.SortedNames(drop) {
		for _, ref := range s.refsInto[n] {
			_, also := drop[ref.Table]
			switch {
			case !also:
				s.forcedFK[ref.conKey] = true
			case ref.Table != n:
				s.dropConstraint(ref.Table, ref.fk)
			}
		}
	}
	for _, n := range schema.SortedNames(s.from.Sequences) {
		own := s.from.Sequences[n].OwnedBy
		ts := s.to.Sequences[n]
		if _, ok := drop[own.Table]; !ok || own.IsZero() || ts == nil || s.ownerGoes(own) {
			continue // ownerless, kept, or released by diffSequences
		}
		s.add(phDropFK, &SetSequenceOwner{Name: n})
		if ts.OwnedBy == own {
			s.add(phSequenceOwner, &SetSequenceOwner{Name: n, OwnedBy: own})
		}
	}
}

// droppedWithParent reports whether table n of from is a partition whose
// parent is dropped too: DROP TABLE of the parent drops it.
// referencedTree reports whether partitioned table n of from, or a table
// it is a partition of, stays and is referenced by a foreign key of
// another table.
func (s *planState) referencedTree(n schema.QualifiedName) bool {
	for ft := s.from.Tables[n]; ft != nil && s.to.Tables[n] != nil; ft = s.from.Tables[n] {
		for _, ref := range s.refsInto[n] {
			if ref.Table != n {
				return true
			}
		}
		n = ft.Options.PartitionOf
	}
	return false
}

func (s *planState) droppedWithParent(n schema.QualifiedName) bool {
	p := s.from.Tables[n].Options.PartitionOf
	return p != (schema.QualifiedName{}) && s.from.Tables[p] != nil && s.to.Tables[p] == nil
}

// diffTableOptions plans the changes of table options and policies: for
// new tables what CREATE TABLE cannot say, for kept tables every
// difference.
func (s *planState) diffTableOptions() {
	for _, n := range s.fromTables() {
		ft, tt := s.from.Tables[n], s.to.Tables[n]
		for _, p := range ft.Policies {
			if tt == nil {
				continue // dropped with the table
			}
			tp := tt.Policy(p.Name)
			var b Base
			switch {
			case tp == nil || policyNeedsRecreate(p, tp):
				b = hazard(HazardDropPolicy, p.Pos, fmt.Sprintf("drops policy %s on %s", schema.QuoteIdent(p.Name), n))
			case s.policyRebuilt(n, p):
				// Created again at once, in the same transaction.
			default:
				continue
			}
			s.add(phDropPolicy, &DropPolicy{Base: b, Table: n, Name: p.Name})
		}
	}
	for _, n := range s.toTables() {
		tt, ft := s.to.Tables[n], s.from.Tables[n]
		var fo schema.TableOptions
		if ft != nil {
			fo = ft.Options
			if fo.Unlogged != tt.Options.Unlogged {
				what := "SET LOGGED rewrites it, indexes included, into the WAL"
				if tt.Options.Unlogged {
					what = "SET UNLOGGED rewrites it, indexes included,"
				}
				s.add(phTableOptions, &SetLogged{
					Base:     hazard(HazardSetLogged, tt.Pos, fmt.Sprintf("%s: %s under an ACCESS EXCLUSIVE lock", n, what)),
					Table:    n,
					Unlogged: tt.Options.Unlogged,
				})
			}
			if set, reset := paramChanges(fo.StorageParams, tt.Options.StorageParams); len(set)+len(reset) > 0 {
				s.add(phTableOptions, &SetStorageParams{Table: n, Set: set, Reset: reset})
			}
		}
		to := tt.Options
		if ft != nil && (fo.PartitionOf != to.PartitionOf || fo.PartitionBound != to.PartitionBound) {
			// Detached first, also from a parent the plan drops: a table
			// is a partition of one table at a time.
			if fo.IsPartition() && !s.recreatedTable[fo.PartitionOf] {
				s.add(phDropFK, &DetachPartition{Table: fo.PartitionOf, Partition: n})
			}
			if to.IsPartition() {
				s.add(phTableOptions, &AttachPartition{
					Base:  lockHazard(HazardAttachPartition, tt.Pos, fmt.Sprintf("attaches %s to %s %s, which scans its rows under an ACCESS EXCLUSIVE lock and fails on a row outside the bound", n, to.PartitionOf, to.BoundSQL())),
					Table: to.PartitionOf, Partition: n, Bound: to.BoundSQL(),
				})
			}
		}
		if ft != nil && fo.OfType != to.OfType {
			// NOT OF before the types change, which then need no
			// CASCADE for it; OF once its columns are the type's.
			if fo.IsTyped() {
				s.add(phDropConstraint, &SetOfType{Table: n})
			}
			if to.IsTyped() {
				s.add(phTableOptions, &SetOfType{Table: n, Type: to.OfType})
			}
		}
		if fo.ReplicaIdentity != to.ReplicaIdentity {
			s.add(phTableOptions, &SetReplicaIdentity{Table: n, Identity: to.ReplicaIdentity})
		}
		if fo.RowSecurity != to.RowSecurity {
			c := &SetRowSecurity{Table: n, Enable: to.RowSecurity}
			if !to.RowSecurity {
				c.Base = hazard(HazardDisableRowSecurity, tt.Pos, fmt.Sprintf("disables row level security on %s: every role with privileges sees every row", n))
			}
			s.add(phTableOptions, c)
		}
		if fo.ForceRowSecurity != to.ForceRowSecurity {
			c := &SetForceRowSecurity{Table: n, Force: to.ForceRowSecurity}
			if !to.ForceRowSecurity {
				c.Base = hazard(HazardDisableRowSecurity, tt.Pos, fmt.Sprintf("stops forcing row level security on %s: the table's owner sees every row", n))
			}
			s.add(phTableOptions, c)
		}
		for _, p := range tt.Policies {
			var fp *schema.Policy
			if ft != nil {
				fp = ft.Policy(p.Name)
			}
			rebuilt := fp != nil && s.policyRebuilt(n, fp)
			switch {
			case fp == nil || policyNeedsRecreate(fp, p) || rebuilt:
				s.add(phCreatePolicy, &CreatePolicy{Table: n, Policy: p})
			default:
				a := &AlterPolicy{Table: n, Name: p.Name}
				if fp.Roles != p.Roles {
					a.Roles = p.Roles
				}
				a.SetUsing, a.Using = fp.Using != p.Using, p.UsingSrc
				a.SetCheck, a.WithCheck = fp.WithCheck != p.WithCheck, p.WithCheckSrc
				if a.Roles != "" || a.SetUsing || a.SetCheck {
					s.add(phCreatePolicy, a)
				}
			}
			from := ""
			if fp != nil && !policyNeedsRecreate(fp, p) && !rebuilt {
				from = fp.Comment
			}
			if from != p.Comment {
				s.add(phComment, &SetComment{Kind: schema.KindPolicy, Name: n, Sub: p.Name, Comment: p.Comment})
			}
		}
	}
}

// policyRebuilt reports whether policy p of table n (as from has it) must
// be dropped before the columns change and created again after: it reads
// a column that is dropped or retyped (PostgreSQL refuses both while the
// policy depends on it), or calls a function dropped to be created again.
func (s *planState) policyRebuilt(n schema.QualifiedName, p *schema.Policy) bool {
	return s.recreatedPolicy[conKey{n, p.Name}] || s.mentionsReshapedColumn(n, p.Using, p.WithCheck)
}

// policyNeedsRecreate reports whether f cannot become t by ALTER POLICY:
// the command and the mode are fixed, and an expression cannot be removed.
func policyNeedsRecreate(f, t *schema.Policy) bool {
	return f.Command != t.Command || f.Restrictive != t.Restrictive ||
		(f.Using != "" && t.Using == "") || (f.WithCheck != "" && t.WithCheck == "")
}

// paramChanges compares storage parameters as sets.
func paramChanges(from, to string) (set, reset []string) {
	fm, tm := paramMap(from), paramMap(to)
	for _, item := range splitList(to) {
		name, _, _ := strings.Cut(item, "=")
		if fm[name] != tm[name] {
			set = append(set, item)
		}
	}
	for _, item := range splitList(from) {
		name, _, _ := strings.Cut(item, "=")
		if _, ok := tm[name]; !ok {
			reset = append(reset, name)
		}
	}
	slices.Sort(reset)
	return set, reset
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

func paramMap(s string) map[string]string {
	m := map[string]string{}
	for _, item := range splitList(s) {
		name, val, _ := strings.Cut(item, "=")
		m[name] = val
	}
	return m
}

// dropTableBase is the hazard of DROP TABLE n: its rows, and those of the
// partitions that go with it (one hazard each, so that every table whose
// rows are lost is named).
func (s *planState) dropTableBase(n schema.QualifiedName) Base {
	if s.from.Tables[n].IsForeign() {
		return hazard(HazardDropForeignTable, s.from.Tables[n].Pos, fmt.Sprintf("drops foreign table %s: what reads it fails from then on", n))
	}
	b := hazard(HazardDropTable, s.from.Tables[n].Pos, fmt.Sprintf("drops table %s and all its data", n))
	if s.from.Tables[n].Options.PartitionBy == "" {
		// Only a partitioned table has partitions: skip the walk over
		// every table, which made dropping N tables (the down of a first
		// migration) quadratic.
		return b
	}
	for _, pn := range s.fromTables() {
		p := s.from.Tables[pn]
		// A foreign partition holds no rows here: it has its own
		// drop-foreign-table hazard.
		if p.Options.PartitionOf == n && s.to.Tables[pn] == nil && !p.IsForeign() {
			b.Hazards = append(b.Hazards, Hazard{Code: HazardDropTable, Pos: p.Pos,
				Message: fmt.Sprintf("drops partition %s and all its data with its parent %s", pn, n)})
			b.Hazards = append(b.Hazards, s.dropTableBase(pn).Hazards[1:]...)
		}
	}
	return b
}

// defaultPartition names the DEFAULT partition that parent has on both
// sides of the plan (one that holds rows already), or "".
func (s *planState) defaultPartition(parent schema.QualifiedName) string {
	if s.defaults == nil {
		s.defaults = map[schema.QualifiedName]schema.QualifiedName{}
		for n, ft := range s.from.Tables {
			if ft.Options.PartitionBound == "DEFAULT" {
				s.defaults[ft.Options.PartitionOf] = n
			}
		}
	}
	n, ok := s.defaults[parent]
	if !ok {
		return ""
	}
	if tt := s.to.Tables[n]; tt == nil || tt.Options.PartitionOf != parent {
		return ""
	}
	return n.String()
}

// Policies are planned with the table options.
func init() { registerKind("policy", kindPlanner{}) }
