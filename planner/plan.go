package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// Plan is the ordered list of changes between two catalogs.
type Plan struct {
	// Changes in the order they must run.
	Changes []Change
	// PossibleRenames are renames that would explain a drop and an add in
	// this plan (same column definition, or a table with identical
	// columns). The planner never assumes a rename; it suggests one so the
	// user can confirm it with Options.Renames.
	PossibleRenames []Rename
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Hazards returns every hazard of the plan in change order.
func (p *Plan) Hazards() []Hazard {
	var hs []Hazard
	for _, c := range p.Changes {
		hs = append(hs, HazardsOf(c)...)
	}
	return hs
}

// phase is a group of changes that runs before the next group. The order of
// the phases is the dependency order of a migration: dependents are dropped
// before what they depend on, and created after it.
type phase int

const (
	phIrreversible phase = iota
	// phEnumValue adds and renames enum values first: they need nothing
	// but the type, and a statement that uses a value added in the same
	// transaction fails ("unsafe use of new value"), so render may commit
	// them before the rest (see render's enumCut).
	phEnumValue
	phRename
	phDropTrigger
	phDropView
	phDropRoutineEarly
	phDropFK
	phDropPolicy
	phDropIndex
	phDropConstraint
	phDropFunctionReplaced
	phCreateSchema
	phCreateExtension
	phEnum
	phCreateFunctionEarly
	phDomain
	phSequence
	phCreateFunction
	phCreateTable
	phCreatePartition
	phColumns
	// phColumnsLate adds back generated columns dropped because a column
	// they read changes type (see alterColumn).
	phColumnsLate
	phAddConstraint
	phCreateIndex
	phAddFK
	phTableOptions
	phCreatePolicy
	phOwner
	phSequenceOwner
	phCreateView
	phCreateTrigger
	phComment
	phOwnerLate
	phPrivileges
	phDropTable
	phDropFunction
	phDropDomain
	phDropFunctionLate
	phDropSequence
	phDropEnum
	phDropExtension
	phDropSchema
	// phSyncSequence comes last: a column's identity sequence is found by
	// pg_get_serial_sequence, which finds the serial sequence it replaces
	// until that is dropped.
	phSyncSequence
	numPhases
)

// conKey names a constraint of a table.
type conKey struct {
	Table schema.QualifiedName
	Name  string
}

// fkRef is a foreign key found by the table it references.
type fkRef struct {
	conKey
	fk *schema.Constraint
}

type planState struct {
	from, to *schema.Catalog // from has the renames applied
	phases   [numPhases][]Change

	// refsInto lists, for each table of from, the foreign keys that
	// reference it, so that changes to a table find them without a scan.
	refsInto map[schema.QualifiedName][]fkRef
	// defaults maps each partitioned table of from to its DEFAULT
	// partition, built on first use (see defaultPartition).
	defaults map[schema.QualifiedName]schema.QualifiedName
	// forcedFK are foreign keys that must be dropped and added again because
	// the key they reference is dropped or re-created.
	forcedFK map[conKey]bool
	// droppedFK are foreign keys already dropped by an earlier step.
	droppedFK map[conKey]bool
	// recreated are objects dropped and created again; their comments
	// start from nothing. Keys: constraints by conKey, columns by conKey of
	// (table, column), indexes by conKey of (index name, "").
	recreatedCon map[conKey]bool
	recreatedCol map[conKey]bool
	recreatedIdx map[schema.QualifiedName]bool
	// conRenamed and idxRenamed map an object of to that is a renamed
	// object of from to that object (see pairRenames).
	conRenamed map[conKey]*schema.Constraint
	idxRenamed map[schema.QualifiedName]*schema.Index
	// conRenaming is the same for constraints of from: old key -> new name.
	conRenaming map[conKey]string
	idxRenameOf map[schema.QualifiedName]schema.QualifiedName
	// droppedCol are columns dropped (not re-created).
	droppedCol map[conKey]bool
	// recreatedPolicy are policies (table, policy name) dropped and
	// created again because a function they call is.
	recreatedPolicy map[conKey]bool
	// adoptedIdx are indexes of from that a new constraint takes over
	// (see adoptableIndex); uniqueIdx lists from's unique indexes by
	// table, built on first use.
	adoptedIdx map[schema.QualifiedName]bool
	uniqueIdx  map[schema.QualifiedName][]*schema.Index
	// replacedOverload are functions (by signature) that the new schema
	// replaces by an overload of the same name: their callers are taken
	// down with them (see markFunctionUsers).
	replacedOverload map[string]bool
	// rebuiltEnumCol are the columns (table, column) an enum rebuild
	// converts; enumUserDropped are the checks (table, name) and indexes
	// (name, "") of dropped tables already dropped before the rebuild.
	rebuiltEnumCol  map[conKey]bool
	rebuiltEnums    []schema.QualifiedName // enums rebuilt, in the order planned
	enumUserDropped map[conKey]bool
	// indexesOn are the indexes of from by table, built on first use (see
	// indexed).
	indexesOn map[schema.QualifiedName][]*schema.Index
	// names are the sorted names of tables and indexes (see sortedNames).
	names sortedNames
	// sameMemo holds the answers of sameBody (see same).
	sameMemo map[[2]*schema.Table]bool
}

func (s *planState) add(ph phase, c Change) { s.phases[ph] = append(s.phases[ph], c) }

// Diff returns the changes that turn from into to. The down migration is
// Diff(to, from, opts.Invert()).
//
// Diff fails only when opts name something the catalogs do not have.
func Diff(from, to *schema.Catalog, opts Options) (*Plan, error) {
	work, renames, err := applyRenames(from, to, opts.Renames)
	if err != nil {
		return nil, err
	}
	s := &planState{
		from:             work,
		to:               to,
		refsInto:         map[schema.QualifiedName][]fkRef{},
		forcedFK:         map[conKey]bool{},
		droppedFK:        map[conKey]bool{},
		recreatedCon:     map[conKey]bool{},
		recreatedCol:     map[conKey]bool{},
		recreatedIdx:     map[schema.QualifiedName]bool{},
		droppedCol:       map[conKey]bool{},
		recreatedPolicy:  map[conKey]bool{},
		adoptedIdx:       map[schema.QualifiedName]bool{},
		replacedOverload: map[string]bool{},
		rebuiltEnumCol:   map[conKey]bool{},
		enumUserDropped:  map[conKey]bool{},
		conRenamed:       map[conKey]*schema.Constraint{},
		idxRenamed:       map[schema.QualifiedName]*schema.Index{},
		conRenaming:      map[conKey]string{},
	}
	s.phases[phRename] = renames
	// recreateTables may replace s.from; the rename suggestions compare
	// work itself.
	workTables := s.fromTables()
	s.indexRefs()
	s.diffSchemas()
	s.diffExtensions()
	s.diffEnums()
	s.diffDomains()
	s.diffComposites()
	s.diffCollations()
	s.diffSequences()
	s.pairRenames()
	s.markForcedFKs()
	s.markFunctionUsers()
	s.recreateTables()
	s.diffTables()
	s.diffTableOptions()
	s.diffIndexes()
	s.dropTables()
	s.dropSequences()
	s.diffComments()
	s.diffRoutines()
	s.diffOwners()
	s.diffPrivileges()

	p := &Plan{}
	for _, cs := range s.phases {
		p.Changes = append(p.Changes, cs...)
	}
	p.PossibleRenames = suggestRenames(work, to, workTables, s.toTables(), s.same)
	return p, nil
}

func (s *planState) indexRefs() {
	for _, name := range s.fromTables() {
		for _, c := range s.from.Tables[name].Constraints {
			if c.Kind == schema.ForeignKey {
				s.refsInto[c.RefTable] = append(s.refsInto[c.RefTable], fkRef{conKey{name, c.Name}, c})
			}
		}
	}
}

func (s *planState) diffSchemas() {
	for _, n := range schema.SortedKeys(s.to.Schemas) {
		if s.from.Schemas[n] == nil {
			s.add(phCreateSchema, &CreateSchema{Name: n})
		}
	}
	for _, n := range schema.SortedKeys(s.from.Schemas) {
		if s.to.Schemas[n] == nil {
			s.add(phDropSchema, &DropSchema{
				Base: hazard(HazardDropSchema, s.from.Schemas[n].Pos, fmt.Sprintf("drops schema %s", schema.QuoteIdent(n))),
				Name: n,
			})
		}
	}
}

func (s *planState) diffExtensions() {
	for _, n := range schema.SortedKeys(s.to.Extensions) {
		te, fe := s.to.Extensions[n], s.from.Extensions[n]
		switch {
		case fe == nil:
			s.add(phCreateExtension, &CreateExtension{Name: n, Schema: te.Schema})
		case extSchema(fe) != extSchema(te):
			s.add(phCreateExtension, &AlterExtensionSchema{Name: n, Schema: extSchema(te)})
		}
	}
	for _, n := range schema.SortedKeys(s.from.Extensions) {
		if s.to.Extensions[n] == nil {
			s.add(phDropExtension, &DropExtension{Name: n})
		}
	}
}

// extSchema is the schema of an extension's objects: without WITH SCHEMA,
// CREATE EXTENSION uses the first schema of the search path, public.
func extSchema(e *schema.Extension) string {
	if e.Schema == "" {
		return schema.DefaultSchema
	}
	return e.Schema
}

func (s *planState) diffEnums() {
	for _, n := range schema.SortedNames(s.to.Enums) {
		te, fe := s.to.Enums[n], s.from.Enums[n]
		if fe == nil {
			s.add(phEnum, &CreateEnum{Name: n, Values: slices.Clone(te.Values)})
			continue
		}
		s.diffEnumValues(n, s.renameEnumValues(n, fe, te), te.Values)
	}
	for _, n := range schema.SortedNames(s.from.Enums) {
		if s.to.Enums[n] == nil {
			s.add(phDropEnum, &DropEnum{
				Base: hazard(HazardDropType, s.from.Enums[n].Pos, fmt.Sprintf("drops enum type %s", n)),
				Name: n,
			})
		}
	}
}

// diffEnumValues adds the values of to that from lacks, each at its place.
// PostgreSQL cannot remove or reorder enum values, so when from is not a
// subsequence of to the type is rebuilt (see rebuildEnum).
func (s *planState) diffEnumValues(n schema.QualifiedName, from, to []string) {
	toIdx := make(map[string]int, len(to))
	for i, v := range to {
		toIdx[v] = i
	}
	old := make(map[string]bool, len(from))
	last := -1
	var removed []string
	moved := ""
	for _, v := range from {
		old[v] = true
		i, ok := toIdx[v]
		switch {
		case !ok:
			removed = append(removed, schema.QuoteLiteral(v))
		case i < last:
			if moved == "" {
				moved = schema.QuoteLiteral(v)
			}
		default:
			last = i
		}
	}
	switch {
	case len(removed) == 1:
		s.rebuildEnum(n, to, fmt.Sprintf("value %s is removed, and PostgreSQL cannot drop enum values", removed[0]))
		return
	case len(removed) > 1:
		s.rebuildEnum(n, to, fmt.Sprintf("values %s are removed, and PostgreSQL cannot drop enum values", strings.Join(removed, ", ")))
		return
	case moved != "":
		s.rebuildEnum(n, to, fmt.Sprintf("value %s moves, and PostgreSQL cannot reorder enum values", moved))
		return
	}
	// lastOld is the index in to of the last value that already exists:
	// values after it are appended.
	lastOld := last
	for i, v := range to {
		if old[v] {
			continue
		}
		c := &AddEnumValue{Enum: n, Value: v}
		switch {
		case i > lastOld:
			// Appended in order.
		case i == 0:
			c.Before = from[0]
		default:
			c.After = to[i-1]
		}
		s.add(phEnumValue, c)
	}
}

func (s *planState) irreversible(reason string) {
	s.add(phIrreversible, &Irreversible{
		Base:   Base{Hazards: []Hazard{{Code: HazardIrreversible, Message: reason}}},
		Reason: reason,
	})
}

// seqOptions returns the options of a sequence that ALTER SEQUENCE sets.
func seqOptions(d schema.SequenceDef) schema.SequenceDef {
	d.OwnedBy = schema.ColumnRef{}
	d.Comment = ""
	return d
}

func (s *planState) diffSequences() {
	for _, n := range schema.SortedNames(s.to.Sequences) {
		ts, fs := s.to.Sequences[n], s.from.Sequences[n]
		if fs == nil {
			s.add(phSequence, &CreateSequence{Name: n, Def: seqOptions(ts.SequenceDef)})
			if !ts.OwnedBy.IsZero() {
				s.add(phSequenceOwner, &SetSequenceOwner{Name: n, OwnedBy: ts.OwnedBy})
			}
			continue
		}
		if seqOptions(fs.SequenceDef) != seqOptions(ts.SequenceDef) {
			s.add(phSequence, &AlterSequence{Name: n, From: seqOptions(fs.SequenceDef), To: seqOptions(ts.SequenceDef)})
		}
		if fs.OwnedBy != ts.OwnedBy {
			s.add(phSequenceOwner, &SetSequenceOwner{Name: n, OwnedBy: ts.OwnedBy})
		}
	}
}

// dropSequences drops the sequences that to lacks, except those owned by a
// dropped table or column: PostgreSQL drops them with their owner.
func (s *planState) dropSequences() {
	for _, n := range schema.SortedNames(s.from.Sequences) {
		if s.to.Sequences[n] != nil {
			continue
		}
		own := s.from.Sequences[n].OwnedBy
		if !own.IsZero() && (s.to.Tables[own.Table] == nil || s.droppedCol[conKey{own.Table, own.Column}]) {
			continue
		}
		var b Base
		if !s.becomesIdentity(own) {
			b = hazard(HazardDropSequence, s.from.Sequences[n].Pos, fmt.Sprintf("drops sequence %s and its current value", n))
		}
		s.add(phDropSequence, &DropSequence{Base: b, Name: n})
	}
}

// becomesIdentity reports whether column c (a serial's, owning the
// sequence being dropped) becomes an identity column, whose new sequence
// SyncSequence moves past the column's values: the old position is not
// lost in any way that matters, so dropping the serial's sequence is no
// hazard.
func (s *planState) becomesIdentity(c schema.ColumnRef) bool {
	if c.IsZero() {
		return false
	}
	ft, tt := s.from.Tables[c.Table], s.to.Tables[c.Table]
	if ft == nil || tt == nil {
		return false
	}
	fc, tc := ft.Column(c.Column), tt.Column(c.Column)
	return fc != nil && tc != nil && fc.Identity == schema.IdentityNone && tc.Identity != schema.IdentityNone
}

// markForcedFKs finds the foreign keys that reference a primary key or
// unique constraint that is dropped or re-created: they must be dropped
// before it and added again after.
func (s *planState) markForcedFKs() {
	for _, tn := range s.fromTables() {
		refs := s.refsInto[tn]
		if len(refs) == 0 {
			continue
		}
		ft, tt := s.from.Tables[tn], s.to.Tables[tn]
		if tt == nil {
			continue // the table goes; FKs into it go first anyway
		}
		if s.same(ft, tt) {
			continue // every key stays as it is
		}
		tcols, fcols, tcons := columnMap(tt), columnMap(ft), constraintMap(tt)
		for _, fc := range ft.Constraints {
			if fc.Kind != schema.PrimaryKey && fc.Kind != schema.Unique {
				continue
			}
			tc := tcons[fc.Name]
			if tc != nil && sameConstraint(fc, tc) && !s.touchesRecreatedColumn(tn, fc.Columns, fcols, tcols) {
				continue
			}
			if _, ok := s.conRenaming[conKey{tn, fc.Name}]; ok {
				continue // renamed, not rebuilt
			}
			for _, ref := range refs {
				if matchesKey(ref.fk, fc) {
					s.forcedFK[ref.conKey] = true
				}
			}
		}
	}
}

// matchesKey reports whether the foreign key fk references the key
// constraint key of table t.
func matchesKey(fk, key *schema.Constraint) bool {
	if len(fk.RefColumns) == 0 {
		return key.Kind == schema.PrimaryKey
	}
	if len(fk.RefColumns) != len(key.Columns) {
		return false
	}
	for _, c := range fk.RefColumns {
		if !slices.Contains(key.Columns, c) {
			return false
		}
	}
	return true
}

// sameConstraint reports whether two constraints are the same apart from
// their comments.
func sameConstraint(a, b *schema.Constraint) bool {
	return a.Kind == b.Kind && a.Def == b.Def && a.NotValid == b.NotValid
}

func constraintMap(t *schema.Table) map[string]*schema.Constraint {
	m := make(map[string]*schema.Constraint, len(t.Constraints))
	for _, c := range t.Constraints {
		m[c.Name] = c
	}
	return m
}

func columnMap(t *schema.Table) map[string]*schema.Column {
	m := make(map[string]*schema.Column, len(t.Columns))
	for _, c := range t.Columns {
		m[c.Name] = c
	}
	return m
}

// needsRecreate reports whether a column must be dropped and added again:
// PostgreSQL cannot change a generation expression in place, nor make an
// ordinary column generated.
func needsRecreate(f, t *schema.Column) bool {
	return t.Generated != "" && f.Generated != t.Generated
}

// touchesRecreatedColumn reports whether any of cols is dropped and added
// again, which drops every constraint and index on it.
func (s *planState) touchesRecreatedColumn(table schema.QualifiedName, cols []string, fcols, tcols map[string]*schema.Column) bool {
	for _, c := range cols {
		f, t := fcols[c], tcols[c]
		if f != nil && t != nil && needsRecreate(f, t) {
			return true
		}
	}
	return false
}

func (s *planState) diffTables() {
	for _, n := range s.toTables() {
		tt, ft := s.to.Tables[n], s.from.Tables[n]
		if ft == nil {
			s.createTable(tt)
			continue
		}
		if s.same(ft, tt) {
			s.keepConstraints(n, ft, tt)
			continue
		}
		if !tt.Options.IsPartition() {
			s.diffColumns(n, ft, tt) // a partition's columns follow its parent's
		}
		s.diffConstraints(n, ft, tt)
	}
	// Foreign keys of dropped tables that reference a re-created key.
	for _, n := range s.fromTables() {
		if s.to.Tables[n] != nil {
			continue
		}
		for _, c := range s.from.Tables[n].Constraints {
			k := conKey{n, c.Name}
			if s.forcedFK[k] && !s.droppedFK[k] {
				s.droppedFK[k] = true
				s.add(phDropFK, &DropConstraint{Table: n, Name: c.Name})
			}
		}
	}
}

func (s *planState) createTable(t *schema.Table) {
	ct := &CreateTable{Name: t.Name, Columns: t.Columns, Options: t.Options}
	for _, c := range t.Constraints {
		switch {
		case c.Kind == schema.ForeignKey:
			s.add(phAddFK, &AddConstraint{Table: t.Name, Constraint: c})
		case c.NotValid:
			// CREATE TABLE validates every inline constraint (the table is
			// empty), so NOT VALID is only kept by a separate ADD.
			s.add(phAddConstraint, &AddConstraint{Table: t.Name, Constraint: c})
		default:
			ct.Constraints = append(ct.Constraints, c)
		}
	}
	if t.Options.IsPartition() {
		if def := s.defaultPartition(t.Options.PartitionOf); def != "" && t.Options.PartitionBound != "DEFAULT" {
			ct.Base = lockHazard(HazardAttachPartition, t.Pos, fmt.Sprintf("creates partition %s of %s beside its default partition %s, which PostgreSQL scans under an ACCESS EXCLUSIVE lock for rows of the new bound, and fails if it holds one", t.Name, t.Options.PartitionOf, def))
		}
		s.add(phCreatePartition, ct)
		return
	}
	s.add(phCreateTable, ct)
}

func (s *planState) diffColumns(n schema.QualifiedName, ft, tt *schema.Table) {
	fcols, tcols := columnMap(ft), columnMap(tt)
	for _, c := range ft.Columns {
		if tcols[c.Name] == nil {
			s.droppedCol[conKey{n, c.Name}] = true
			s.add(phColumns, &DropColumn{
				Base:   hazard(HazardDropColumn, c.Pos, fmt.Sprintf("drops column %s.%s and all its data", n, schema.QuoteIdent(c.Name))),
				Table:  n,
				Column: c.Name,
			})
		}
	}
	// Ordinary columns first: a generated column may use a new column.
	for _, generated := range []bool{false, true} {
		for _, c := range tt.Columns {
			if fcols[c.Name] == nil && (c.Generated != "") == generated {
				s.add(phColumns, &AddColumn{Base: addColumnHazard(n, c), Table: n, Column: c})
			}
		}
	}
	for _, t := range tt.Columns {
		f := fcols[t.Name]
		if f == nil {
			continue
		}
		s.alterColumn(n, f, t)
	}
}

// addColumnHazard is the hazard of adding column c to the existing table
// n: a NOT NULL column without a value for the rows already there fails,
// and a column whose value must be computed row by row rewrites the table.
func addColumnHazard(n schema.QualifiedName, c *schema.Column) Base {
	col := n.String() + "." + schema.QuoteIdent(c.Name)
	switch {
	case c.NotNull && c.Default == "" && c.Generated == "" && c.Identity == schema.IdentityNone:
		return lockHazard(HazardAddNotNullColumn, c.Pos, "adds NOT NULL column "+col+" without a default, which fails if the table has rows")
	case c.Identity != schema.IdentityNone:
		return hazard(HazardAddColumnRewrite, c.Pos, "adds identity column "+col+", which rewrites the table under an ACCESS EXCLUSIVE lock to number its rows; safer: add a nullable column, backfill it in batches, then SET NOT NULL and ADD GENERATED ... AS IDENTITY (START WITH above the largest value)")
	case c.Generated != "":
		return hazard(HazardAddColumnRewrite, c.Pos, "adds stored generated column "+col+", which rewrites the table under an ACCESS EXCLUSIVE lock to compute it")
	case volatileDefault(c.Default):
		return lockHazard(HazardAddColumnRewrite, c.Pos, "adds column "+col+" with the volatile default "+c.Default+", which rewrites the table under an ACCESS EXCLUSIVE lock to fill it")
	}
	return Base{}
}

// volatileFuncs are common volatile functions found in column defaults. A
// column added with a non-volatile default (a constant, now()) costs no
// rewrite since PostgreSQL 11; one with a volatile default is computed for
// every row.
var volatileFuncs = []string{"nextval", "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "txid_current"}

func volatileDefault(def string) bool {
	for _, f := range volatileFuncs {
		for i := 0; ; {
			j := strings.Index(def[i:], f+"(")
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || (!isIdentByte(def[at-1]) && def[at-1] != '.') || strings.HasSuffix(def[:at], "pg_catalog.") {
				return true
			}
			i = at + len(f)
		}
	}
	return false
}

// lockHazard is a hazard of the Locks class: its message ends with the
// safer way to reach the same schema.
func lockHazard(code string, pos schema.Pos, msg string) Base {
	if info, ok := Info(code); ok && info.Safer != "" {
		msg += "; safer: " + lowerFirst(strings.TrimSuffix(info.Safer, "."))
	}
	return hazard(code, pos, msg)
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// alterColumn changes column f into t in place where PostgreSQL allows it.
// The steps run in an order PostgreSQL accepts: an identity is dropped
// before NOT NULL, a default before a type change that could not convert
// it, NOT NULL is set before an identity is added.
func (s *planState) alterColumn(n schema.QualifiedName, f, t *schema.Column) {
	fd, td := f.ColumnDef, t.ColumnDef
	fd.Comment, td.Comment = "", ""
	col := t.Name
	if f.Generated != "" && f.Generated == t.Generated && s.mentionsReshapedColumn(n, f.Generated) {
		// PostgreSQL refuses to retype a column a generated column reads:
		// the generated column goes first and comes back, computed again,
		// after every column of the table has changed.
		s.recreatedCol[conKey{n, col}] = true
		s.add(phDropConstraint, &DropColumn{Table: n, Column: col})
		s.add(phColumnsLate, &AddColumn{
			Base:   hazard(HazardAddColumnRewrite, t.Pos, fmt.Sprintf("drops generated column %s.%s and adds it again, since a column it reads changes type, which rewrites the table under an ACCESS EXCLUSIVE lock", n, schema.QuoteIdent(col))),
			Table:  n,
			Column: t,
		})
		return
	}
	if fd == td {
		return
	}
	if needsRecreate(f, t) {
		s.recreatedCol[conKey{n, col}] = true
		var b Base
		if f.Generated == "" {
			b = hazard(HazardDropColumn, t.Pos, fmt.Sprintf("drops column %s.%s and all its data to add it again as a generated column", n, schema.QuoteIdent(col)))
		} else {
			b = hazard(HazardAddColumnRewrite, t.Pos, fmt.Sprintf("drops generated column %s.%s and adds it with a new expression, which rewrites the table under an ACCESS EXCLUSIVE lock", n, schema.QuoteIdent(col)))
		}
		s.add(phColumns, &SetGenerated{Base: b, Table: n, Column: t})
		return
	}
	if fd.Generated != "" && td.Generated == "" {
		s.add(phColumns, &DropExpression{Table: n, Column: col})
		fd.Generated = ""
	}
	if fd.Identity != schema.IdentityNone && td.Identity == schema.IdentityNone {
		// Before the sequences are created: the identity's sequence has
		// the name a serial's gets (t_id_seq), and goes with it.
		s.add(phDropConstraint, &DropIdentity{Table: n, Column: col})
	}
	typeChange := fd.Type != td.Type || fd.Collation != td.Collation
	using := ""
	if fd.Type != td.Type && typeFamily(fd.Type) != typeFamily(td.Type) {
		using = schema.QuoteIdent(col) + s.castVia(fd.Type, td.Type) + "::" + td.Type.String()
	}
	if fd.Default != "" && (td.Default == "" || using != "") {
		// A default of the old type may not convert to the new one.
		s.add(phColumns, &DropDefault{Table: n, Column: col})
		fd.Default = ""
	}
	if typeChange {
		s.add(phColumns, s.alterType(n, f, t, using))
	}
	// A type change keeps the stored default expression, cast to the old
	// type ('x'::character varying after varchar to text): set it again so
	// the catalog matches the new schema loaded directly, even when the
	// canonical text is the same on both sides.
	rebuiltSetsDefault := s.rebuiltEnumCol[conKey{n, col}] && fd.Type == td.Type // see rebuildEnum
	if td.Default != "" && (td.Default != fd.Default || fd.Type != td.Type) && !rebuiltSetsDefault {
		s.add(phColumns, &SetDefault{Table: n, Column: col, Default: td.Default})
		if seq, ok := s.newSequenceDefault(n, col, td.Default); ok && td.Default != fd.Default {
			s.add(phSyncSequence, &SyncSequence{Table: n, Column: col, Sequence: seq})
		}
	}
	switch {
	case td.NotNull && !fd.NotNull:
		s.add(phColumns, &SetNotNull{
			Base:  lockHazard(HazardSetNotNull, t.Pos, fmt.Sprintf("sets NOT NULL on column %s.%s, which scans the table under an ACCESS EXCLUSIVE lock and fails if a row holds NULL", n, schema.QuoteIdent(col))),
			Table: n, Column: col,
		})
	case !td.NotNull && fd.NotNull:
		s.add(phColumns, &DropNotNull{Table: n, Column: col})
	}
	switch {
	case td.Identity == schema.IdentityNone:
	case fd.Identity == schema.IdentityNone:
		s.add(phColumns, &AddIdentity{Table: n, Column: col, Identity: td.Identity, Options: td.IdentityOptions})
		s.add(phSyncSequence, &SyncSequence{Table: n, Column: col})
	case fd.Identity != td.Identity || fd.IdentityOptions != td.IdentityOptions:
		c := &SetIdentity{Table: n, Column: col, Options: identityOptionChanges(fd.IdentityOptions, td.IdentityOptions)}
		if slices.Contains(c.Options, "RESTART") {
			c.Base = lockHazard(HazardIdentityRestart, t.Pos, fmt.Sprintf("restarts the identity counter of %s.%s, since its new bounds exclude the old start; values the column already holds can be handed out again", n, schema.QuoteIdent(col)))
		}
		if fd.Identity != td.Identity {
			c.Identity = td.Identity
		}
		s.add(phColumns, c)
	}
}

// castVia is the intermediate cast of a USING clause where PostgreSQL has
// no direct cast: through text from an enum (see enumCastVia), through
// integer between boolean and the other number types (boolean casts to and
// from integer only).
func (s *planState) castVia(from, to schema.TypeName) string {
	if v := s.enumCastVia(from, to); v != "" {
		return v
	}
	if from.ArrayDims == 0 && to.ArrayDims == 0 && (from.Name == "boolean") != (to.Name == "boolean") {
		other := to
		if to.Name == "boolean" {
			other = from
		}
		if other.Schema == "" && typeFamily(other) == "number" && other.Name != "integer" {
			return "::integer"
		}
	}
	return ""
}

// typeFamily groups types between which PostgreSQL converts by assignment,
// so ALTER COLUMN TYPE needs no USING clause. Other changes get one.
func typeFamily(t schema.TypeName) string {
	if t.ArrayDims > 0 || t.Schema != "" {
		return t.String()
	}
	switch t.Name {
	case "smallint", "integer", "bigint", "numeric", "real", "double precision":
		return "number"
	case "text", "character varying", "character", "name":
		return "text"
	case "timestamp without time zone", "timestamp with time zone", "date":
		return "timestamp"
	case "time without time zone", "time with time zone":
		return "time"
	case "bit", "bit varying":
		return "bit"
	}
	return t.Name
}

// keepConstraints is diffConstraints for a table whose columns and
// constraints are the same on both sides (sameBody): the only constraints
// that change are those rebuilt because of something else, a foreign key
// whose referenced key is re-created or a check on a column an enum
// rebuild converts. Constraint i of ft pairs with constraint i of tt.
func (s *planState) keepConstraints(n schema.QualifiedName, ft, tt *schema.Table) {
	for i, fc := range ft.Constraints {
		k := conKey{n, fc.Name}
		if s.forcedFK[k] || s.mentionsRebuiltEnum(n, fc) {
			// The same definition again: the rows fit it already.
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tt.Constraints[i], Base{})
		}
	}
}

func (s *planState) diffConstraints(n schema.QualifiedName, ft, tt *schema.Table) {
	fcols, tcols := columnMap(ft), columnMap(tt)
	fcons, tcons := constraintMap(ft), constraintMap(tt)
	for _, fc := range ft.Constraints {
		tc := tcons[fc.Name]
		k := conKey{n, fc.Name}
		if newName, ok := s.conRenaming[k]; ok {
			if s.forcedFK[k] {
				// Renamed first, then rebuilt under its new name because
				// the key it references is.
				nk := conKey{n, newName}
				if !s.droppedFK[nk] {
					s.droppedFK[nk] = true
					s.add(phDropFK, &DropConstraint{Table: n, Name: newName})
				}
				s.recreatedCon[nk] = true
				s.addConstraint(n, tcons[newName], Base{})
			}
			continue
		}
		switch {
		case tc == nil:
			s.dropConstraint(n, fc)
		case s.forcedFK[k] || s.touchesRecreatedColumn(n, fc.Columns, fcols, tcols) || (s.mentionsRebuiltEnum(n, fc) && sameConstraint(fc, tc)):
			// The same definition again: the rows fit it already.
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, Base{})
		case s.mentionsRebuiltEnum(n, fc):
			// Changed, and in the way of an enum rebuild: dropped before
			// it, whatever the change (VALIDATE included).
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, checksRows(n, tc))
		case sameConstraint(fc, tc):
		case fc.Kind == tc.Kind && fc.Def == tc.Def && fc.NotValid && !tc.NotValid:
			// VALIDATE CONSTRAINT is the safe second step of NOT VALID: it
			// does not block writes, so it carries no hazard (it can fail,
			// which Plan.MayFailOnRows reports).
			s.add(phAddFK, &ValidateConstraint{Table: n, Name: fc.Name})
		default:
			s.dropConstraint(n, fc)
			s.recreatedCon[k] = true
			s.addConstraint(n, tc, checksRows(n, tc))
		}
	}
	for _, tc := range tt.Constraints {
		if fcons[tc.Name] == nil && s.conRenamed[conKey{n, tc.Name}] == nil {
			if ix := s.adoptableIndex(n, tc); ix != nil {
				s.adoptedIdx[ix.Name] = true
				s.add(phAddConstraint, &AddConstraint{Table: n, Constraint: tc, UsingIndex: ix.Name.Name})
				continue
			}
			s.addConstraint(n, tc, checksRows(n, tc))
		}
	}
}

// adoptableIndex returns the unique index of table n that the new
// constraint c can take over with ADD CONSTRAINT ... USING INDEX, or nil:
// an index the new schema drops, on exactly c's columns, plain (btree, no
// expression, predicate, INCLUDE or options), for a plain UNIQUE or
// PRIMARY KEY. This is the second step of the safe way to add a key
// (CREATE UNIQUE INDEX CONCURRENTLY first): without it the plan would drop
// the index and build the same one again under a lock.
func (s *planState) adoptableIndex(n schema.QualifiedName, c *schema.Constraint) *schema.Index {
	var kw string
	switch c.Kind {
	case schema.Unique:
		kw = "UNIQUE"
	case schema.PrimaryKey:
		kw = "PRIMARY KEY"
	default:
		return nil
	}
	cols := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		cols[i] = schema.QuoteIdent(col)
	}
	list := "(" + strings.Join(cols, ", ") + ")"
	if c.Def != kw+" "+list {
		return nil
	}
	if s.uniqueIdx == nil {
		s.uniqueIdx = map[schema.QualifiedName][]*schema.Index{}
		for _, in := range s.fromIndexes() {
			if ix := s.from.Indexes[in]; ix.Unique {
				s.uniqueIdx[ix.Table] = append(s.uniqueIdx[ix.Table], ix)
			}
		}
	}
	for _, ix := range s.uniqueIdx[n] {
		if s.to.Indexes[ix.Name] == nil && !s.adoptedIdx[ix.Name] && s.idxRenameOf[ix.Name] == (schema.QualifiedName{}) &&
			ix.Def == n.String()+" USING btree "+list {
			return ix
		}
	}
	return nil
}

// checksRows is the hazard of adding constraint c to the existing table n:
// unless it is NOT VALID, PostgreSQL checks every row, and a key builds its
// index, under a lock that blocks writes.
func checksRows(n schema.QualifiedName, c *schema.Constraint) Base {
	if c.NotValid {
		return Base{}
	}
	name := schema.QuoteIdent(c.Name)
	switch c.Kind {
	case schema.PrimaryKey:
		return lockHazard(HazardAddPrimaryKey, c.Pos, fmt.Sprintf("adds primary key %s on %s, which builds its index and checks NOT NULL under an ACCESS EXCLUSIVE lock and fails on duplicates or NULLs", name, n))
	case schema.Unique:
		return lockHazard(HazardAddUniqueConstraint, c.Pos, fmt.Sprintf("adds unique constraint %s on %s, which builds its index under an ACCESS EXCLUSIVE lock and fails on duplicates", name, n))
	case schema.Exclude:
		return lockHazard(HazardAddExclusionConstraint, c.Pos, fmt.Sprintf("adds exclusion constraint %s on %s, which builds its index under an ACCESS EXCLUSIVE lock and fails on conflicting rows", name, n))
	case schema.ForeignKey:
		return lockHazard(HazardAddForeignKey, c.Pos, fmt.Sprintf("adds foreign key %s on %s without NOT VALID, which checks every row while blocking writes to both tables and fails on rows without a match", name, n))
	}
	return lockHazard(HazardAddCheckConstraint, c.Pos, fmt.Sprintf("adds check constraint %s on %s without NOT VALID, which scans every row under an ACCESS EXCLUSIVE lock and fails on rows that violate it", name, n))
}

func (s *planState) dropConstraint(n schema.QualifiedName, c *schema.Constraint) {
	if c.Kind == schema.ForeignKey {
		k := conKey{n, c.Name}
		if s.droppedFK[k] {
			return
		}
		s.droppedFK[k] = true
		s.add(phDropFK, &DropConstraint{Table: n, Name: c.Name})
		return
	}
	s.add(phDropConstraint, &DropConstraint{Table: n, Name: c.Name})
}

func (s *planState) addConstraint(n schema.QualifiedName, c *schema.Constraint, b Base) {
	ph := phAddConstraint
	if c.Kind == schema.ForeignKey {
		ph = phAddFK
	}
	s.add(ph, &AddConstraint{Base: b, Table: n, Constraint: c})
}

func sameIndex(a, b *schema.Index) bool {
	return a.Table == b.Table && a.Unique == b.Unique && a.Def == b.Def
}

func (s *planState) diffIndexes() {
	for _, n := range s.fromIndexes() {
		fi, ti := s.from.Indexes[n], s.to.Indexes[n]
		if s.to.Tables[fi.Table] == nil {
			if ti != nil && ti.Table != fi.Table {
				// The name goes to an index of another table: free it
				// now, not with its table at the end.
				s.add(phDropIndex, &DropIndex{Name: n})
				s.recreatedIdx[n] = true
				s.add(phCreateIndex, &CreateIndex{Base: s.newIndexHazard(ti), Index: ti})
			}
			continue // dropped with its table
		}
		switch {
		case ti == nil && s.idxRenameOf[n] != (schema.QualifiedName{}):
			// Renamed instead.
		case ti == nil && s.adoptedIdx[n]:
			// Taken over by a constraint (ADD CONSTRAINT ... USING INDEX).
		case ti == nil:
			s.add(phDropIndex, &DropIndex{Name: n})
		case ti.Table != fi.Table:
			// The name moves to an index of another table.
			s.add(phDropIndex, &DropIndex{Name: n})
			s.recreatedIdx[n] = true
			s.add(phCreateIndex, &CreateIndex{Base: s.newIndexHazard(ti), Index: ti})
		case !sameIndex(fi, ti) || s.indexOnRecreatedColumn(fi) || s.indexOnRebuiltEnum(fi):
			s.add(phDropIndex, &DropIndex{Name: n})
			s.recreatedIdx[n] = true
			s.add(phCreateIndex, &CreateIndex{Base: createIndexHazard(ti), Index: ti})
		}
	}
	for _, n := range s.toIndexes() {
		ti := s.to.Indexes[n]
		if s.from.Indexes[n] == nil && s.idxRenamed[n] == nil {
			s.add(phCreateIndex, &CreateIndex{Base: s.newIndexHazard(ti), Index: ti})
		}
	}
}

// newIndexHazard is the hazard of creating index i: none on a table the
// plan creates, createIndexHazard's on one that exists.
func (s *planState) newIndexHazard(i *schema.Index) Base {
	if s.from.Tables[i.Table] == nil {
		return Base{}
	}
	return createIndexHazard(i)
}

// createIndexHazard is the hazard of building index i on a table that
// already exists: without CONCURRENTLY it blocks writes while it builds.
func createIndexHazard(i *schema.Index) Base {
	msg := fmt.Sprintf("creates index %s on %s without CONCURRENTLY, which blocks writes to the table while it builds", schema.QuoteIdent(i.Name.Name), i.Table)
	if i.Unique {
		msg = fmt.Sprintf("creates unique index %s on %s without CONCURRENTLY, which blocks writes to the table while it builds and fails on duplicates", schema.QuoteIdent(i.Name.Name), i.Table)
	}
	return lockHazard(HazardCreateIndex, i.Pos, msg)
}

func (s *planState) indexOnRecreatedColumn(i *schema.Index) bool {
	for _, c := range i.Columns {
		if s.recreatedCol[conKey{i.Table, c}] {
			return true
		}
	}
	return false
}

// dropTables drops the tables that to lacks, each after the tables whose
// foreign keys reference it; a cycle of references is cut by dropping one
// foreign key first. Foreign keys from kept tables were already dropped by
// diffConstraints, since to does not have them.
func (s *planState) dropTables() {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[schema.QualifiedName]int{}
	var visit func(n schema.QualifiedName)
	visit = func(n schema.QualifiedName) {
		state[n] = visiting
		// refsInto is in table, constraint order already.
		for _, ref := range s.refsInto[n] {
			r := ref.conKey
			if r.Table == n || s.to.Tables[r.Table] != nil || s.droppedFK[r] {
				continue
			}
			switch state[r.Table] {
			case unvisited:
				visit(r.Table)
			case visiting:
				s.droppedFK[r] = true
				s.add(phDropFK, &DropConstraint{Table: r.Table, Name: r.Name})
			}
		}
		state[n] = done
		s.add(phDropTable, &DropTable{
			Base: s.dropTableBase(n),
			Name: n,
		})
	}
	for _, n := range s.fromTables() {
		if s.to.Tables[n] == nil && state[n] == unvisited && !s.droppedWithParent(n) {
			visit(n)
		}
	}
}

// pairRenames finds constraints and indexes that only changed their name: one
// disappears and one with the same definition appears on the same table. A
// rename gives the same result as a drop and a create without rebuilding an
// index or checking rows again.
func (s *planState) pairRenames() {
	for _, n := range s.toTables() {
		ft, tt := s.from.Tables[n], s.to.Tables[n]
		if ft == nil || s.same(ft, tt) {
			continue // no constraint appears or disappears
		}
		fcols, tcols := columnMap(ft), columnMap(tt)
		fcons, tcons := constraintMap(ft), constraintMap(tt)
		gone := map[string][]*schema.Constraint{}
		for _, fc := range ft.Constraints {
			if tcons[fc.Name] == nil && !s.touchesRecreatedColumn(n, fc.Columns, fcols, tcols) && !s.mentionsRebuiltEnum(n, fc) {
				key := conSignature(fc)
				gone[key] = append(gone[key], fc)
			}
		}
		for _, tc := range tt.Constraints {
			if fcons[tc.Name] != nil {
				continue
			}
			key := conSignature(tc)
			cands := gone[key]
			if len(cands) == 0 {
				continue
			}
			fc := cands[0]
			gone[key] = cands[1:]
			s.conRenamed[conKey{n, tc.Name}] = fc
			s.conRenaming[conKey{n, fc.Name}] = tc.Name
			s.add(phRename, &RenameConstraint{Table: n, From: fc.Name, To: tc.Name})
		}
	}
	gone := map[string][]*schema.Index{}
	for _, n := range s.fromIndexes() {
		fi := s.from.Indexes[n]
		if s.to.Indexes[n] == nil && s.to.Tables[fi.Table] != nil && !s.indexOnRecreatedColumn(fi) && !s.indexOnRebuiltEnum(fi) {
			key := idxSignature(fi)
			gone[key] = append(gone[key], fi)
		}
	}
	s.idxRenameOf = map[schema.QualifiedName]schema.QualifiedName{}
	for _, n := range s.toIndexes() {
		ti := s.to.Indexes[n]
		if s.from.Indexes[n] != nil {
			continue
		}
		key := idxSignature(ti)
		cands := gone[key]
		if len(cands) == 0 {
			continue
		}
		fi := cands[0]
		gone[key] = cands[1:]
		s.idxRenamed[n] = fi
		s.idxRenameOf[fi.Name] = n
		s.add(phRename, &RenameIndex{Name: fi.Name, To: n.Name})
	}
}

func conSignature(c *schema.Constraint) string {
	return fmt.Sprintf("%d %t %s", c.Kind, c.NotValid, c.Def)
}

func idxSignature(i *schema.Index) string {
	return fmt.Sprintf("%s %t %s", i.Table, i.Unique, i.Def)
}

// columnReshaped reports whether column col of table n (of from) is
// dropped, re-created, converted by an enum rebuild or changes type or
// collation: PostgreSQL refuses those while a policy, a trigger's WHEN
// clause or column list, or a generated column uses the column.
func (s *planState) columnReshaped(n schema.QualifiedName, col string) bool {
	k := conKey{n, col}
	if s.droppedCol[k] || s.recreatedCol[k] || s.rebuiltEnumCol[k] {
		return true
	}
	ft, tt := s.from.Tables[n], s.to.Tables[n]
	if ft == nil || tt == nil {
		return false
	}
	fc, tc := ft.Column(col), tt.Column(col)
	return fc != nil && tc != nil && (fc.Type != tc.Type || fc.Collation != tc.Collation)
}

// mentionsReshapedColumn reports whether any of the texts names a column
// of table n that columnReshaped.
func (s *planState) mentionsReshapedColumn(n schema.QualifiedName, texts ...string) bool {
	ft := s.from.Tables[n]
	if ft == nil {
		return false
	}
	for _, c := range ft.Columns {
		for _, t := range texts {
			if mentionsWord(t, c.Name) && s.columnReshaped(n, c.Name) {
				return true
			}
		}
	}
	return false
}
