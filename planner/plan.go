package planner

import (
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
	// phUndoUnmanaged drops, in a down migration, what the up's unmanaged
	// statements made, before what they name is dropped.
	phUndoUnmanaged
	// phDropOpaque drops opaque objects (opaque.go), which may name
	// anything, before anything else is dropped.
	phDropOpaque
	// phEnumValue adds and renames enum values first: they need nothing
	// but the type, and a statement that uses a value added in the same
	// transaction fails ("unsafe use of new value"), so render may commit
	// them before the rest (see render's enumCut).
	phEnumValue
	phRename
	phDropTrigger
	phDropView
	// phDropAggregate drops aggregates after the views that call them and
	// before the functions they name.
	phDropAggregate
	// phDropOperatorEarly drops the operator classes and operators that
	// are created again, before what they name is replaced.
	phDropOperatorEarly
	phDropRoutineEarly
	phDropFK
	phDropPolicy
	phDropIndex
	phDropConstraint
	// phDropTableEarly drops a table whose index or constraint names a
	// table created in its place takes (see collidingDrops).
	phDropTableEarly
	phDropFunctionReplaced
	phCreateSchema
	// phDefaultPrivileges runs ALTER DEFAULT PRIVILEGES once the schemas
	// exist and before anything is created, so that what the migration
	// creates takes the new defaults.
	phDefaultPrivileges
	phCreateExtension
	// phCreateOpaqueEarly creates the opaque objects that other objects
	// name (a language, an access method, a text search template), with
	// the functions their statements name, before anything else that may
	// use them (see placeUsedOpaque).
	phCreateOpaqueEarly
	// phCreateType creates the types that need nothing but their schema
	// (enums, collations, enum rebuilds); phCreateTypeLate those built on
	// other types and on functions (domains, whose checks may call a
	// function, and composite types).
	phCreateType
	phCreateFunctionEarly
	phCreateTypeLate
	phCreateSequence
	phCreateFunction
	// phCreateAggregate creates aggregates after the functions they name.
	phCreateAggregate
	// phCreateOperator creates operator families, operators and classes
	// after the functions they name and before the tables, indexes and
	// views that use them.
	phCreateOperator
	phCreateTable
	phCreatePartition
	// phColumnsEarly adds the columns a table declares that a parent's
	// ADD COLUMN (phColumns) then merges into, which keeps them the
	// table's own (attislocal), as schema.sql declares them.
	phColumnsEarly
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
	// phCreateAggregateLate creates the aggregates that take a table's
	// row type, after the tables and after the functions that take it
	// (created with the views, see createPhases), which their state
	// functions are. A view that calls one is not ordered after it yet.
	phCreateAggregateLate
	phCreateTrigger
	phComment
	phOwnerLate
	phPrivileges
	// phCreateOpaque creates opaque objects after every object they may
	// name exists.
	phCreateOpaque
	// phUnmanaged runs the statements marked -- ddlmig:unmanaged, after
	// every object they may name exists.
	phUnmanaged
	phDropTable
	// phDropOperator drops the operator classes, operators and families
	// schema.sql no longer has, after the tables and indexes that use
	// them and before their functions.
	phDropOperator
	phDropFunction
	// phDropType drops domains, composite types and collations, which may
	// use an enum; phDropTypeLate the enums, after them.
	phDropType
	phDropFunctionLate
	phDropSequence
	phDropTypeLate
	// phDropOpaqueLate drops the opaque objects that objects of from name,
	// after those, then the functions their statements name.
	phDropOpaqueLate
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

// planState is one Diff in progress. Its maps are grouped by concern; the
// passes of Diff fill them in order, and later passes read what earlier
// ones marked.
type planState struct {
	from, to *schema.Catalog // from has the renames applied
	phases   [numPhases][]Change
	undo     bool // Options.Undo

	lookups
	foreignKeys
	recreated
	renamedObjects
	rebuilt
	partIndexes
}

// lookups are indexes of the catalogs built once, or on first use, so that
// no pass scans a whole catalog per object.
type lookups struct {
	// refsInto lists, for each table of from, the foreign keys that
	// reference it, so that changes to a table find them without a scan.
	refsInto map[schema.QualifiedName][]fkRef
	// defaults maps each partitioned table of from to its DEFAULT
	// partition, built on first use (see defaultPartition).
	defaults map[schema.QualifiedName]schema.QualifiedName
	// uniqueIdx lists from's unique indexes by table, built on first use
	// (see adoptableIndex).
	uniqueIdx map[schema.QualifiedName][]*schema.Index
	// indexesOn are the indexes of from by table, built on first use (see
	// indexed).
	indexesOn map[schema.QualifiedName][]*schema.Index
	// names are the sorted names of tables and indexes (see sortedNames).
	names sortedNames
	// sameMemo holds the answers of sameBody (see same).
	sameMemo map[[2]*schema.Table]bool
	// droppedKids lists, for each table of from, the tables inheriting from
	// it that the plan drops, built on first use (see droppedChildren):
	// dropTables asks for every table it drops, and a scan each time made
	// the down of a first migration quadratic in its tables.
	droppedKids map[schema.QualifiedName][]schema.QualifiedName
}

// foreignKeys are the foreign keys taken down by something else.
type foreignKeys struct {
	// forcedFK are foreign keys that must be dropped and added again because
	// the key they reference is dropped or re-created.
	forcedFK map[conKey]bool
	// droppedFK are foreign keys already dropped by an earlier step.
	droppedFK map[conKey]bool
}

// recreated are the table objects dropped, or dropped and created again;
// the comments of re-created ones start from nothing.
type recreated struct {
	// Keys: constraints by conKey, columns by conKey of (table, column),
	// indexes by name.
	recreatedCon map[conKey]bool
	recreatedCol map[conKey]bool
	recreatedIdx map[schema.QualifiedName]bool
	// droppedCol are columns dropped (not re-created).
	droppedCol map[conKey]bool
	// uninherited are the columns a kept table inherits in from and not
	// in to, which a parent's ONLY drop leaves it (localizeInherited);
	// inheritedDrops the drops of those that go too, run after the
	// parents' (flushInheritedDrops).
	uninherited map[conKey]bool
	// inheritedInTo are the columns of kept tables that a parent adds
	// (inherited in to and not in from), see localizeInherited.
	inheritedInTo  map[conKey]bool
	inheritedDrops []*DropColumn
	// fromInheritors are the tables of from by the parent they inherit
	// from, built on first use.
	fromInheritors map[schema.QualifiedName][]schema.QualifiedName
	// recreatedPolicy are policies (table, policy name) dropped and
	// created again because a function they call is.
	recreatedPolicy map[conKey]bool
	// recreatedTable are the tables dropped and created again whole, with
	// their partitions (see recreateTables); nil when there are none.
	recreatedTable map[schema.QualifiedName]bool
	// recreatedView are the views dropped and created again (see
	// markRecreatedViews), which take their rules along; set by
	// diffRoutines, read by the passes of stageViews.
	recreatedView map[schema.QualifiedName]bool
}

// renamedObjects are the constraints and indexes that only change their
// name (see pairRenames), and the indexes a constraint takes over.
type renamedObjects struct {
	// conRenamed and idxRenamed map an object of to that is a renamed
	// object of from to that object.
	conRenamed map[conKey]*schema.Constraint
	idxRenamed map[schema.QualifiedName]*schema.Index
	// conRenaming and idxRenameOf are the same for the objects of from:
	// old key -> new name.
	conRenaming map[conKey]string
	idxRenameOf map[schema.QualifiedName]schema.QualifiedName
	// adoptedIdx are indexes of from that a new constraint takes over
	// (see adoptableIndex).
	adoptedIdx map[schema.QualifiedName]bool
}

// rebuilt are the types and functions dropped and created again, and what
// they take down with them.
type rebuilt struct {
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
	// rebuiltAggregate are the names of aggregates dropped (and maybe
	// created again): views that call them are re-created.
	rebuiltAggregate map[schema.QualifiedName]bool
}

func newPlanState(from, to *schema.Catalog) *planState {
	return &planState{
		from:        from,
		to:          to,
		lookups:     lookups{refsInto: map[schema.QualifiedName][]fkRef{}},
		foreignKeys: foreignKeys{forcedFK: map[conKey]bool{}, droppedFK: map[conKey]bool{}},
		recreated: recreated{
			recreatedCon:    map[conKey]bool{},
			recreatedCol:    map[conKey]bool{},
			recreatedIdx:    map[schema.QualifiedName]bool{},
			droppedCol:      map[conKey]bool{},
			uninherited:     map[conKey]bool{},
			inheritedInTo:   map[conKey]bool{},
			recreatedPolicy: map[conKey]bool{},
		},
		renamedObjects: renamedObjects{
			conRenamed:  map[conKey]*schema.Constraint{},
			idxRenamed:  map[schema.QualifiedName]*schema.Index{},
			conRenaming: map[conKey]string{},
			adoptedIdx:  map[schema.QualifiedName]bool{},
		},
		rebuilt: rebuilt{
			replacedOverload: map[string]bool{},
			rebuiltEnumCol:   map[conKey]bool{},
			enumUserDropped:  map[conKey]bool{},
		},
	}
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
	s := newPlanState(work, to)
	s.undo = opts.Undo
	s.phases[phRename] = renames
	// recreateTables may replace s.from; the rename suggestions compare
	// work itself.
	workTables := s.fromTables()
	s.indexRefs()
	// Objects outside tables that tables may use.
	s.diffSchemas()
	s.diffExtensions()
	s.diffStage(stageTypes)
	// What the table passes need marked first: renamed constraints and
	// indexes, foreign keys and function callers taken down by something
	// else, tables re-created whole.
	s.pairRenames()
	s.markForcedFKs()
	s.markFunctionUsers()
	s.recreateTables()
	// Tables and what hangs on them.
	s.diffTables()
	s.diffTableOptions()
	s.clearForeignHazards()
	s.diffIndexes()
	s.dropTables()
	s.dropSequences()
	// What reads the recreated and renamed marks of the passes above.
	s.diffComments()
	s.diffStage(stageRoutines)
	s.diffRoutines()
	s.diffStage(stageViews)
	s.diffOwners()
	s.diffPrivileges()
	s.diffUnmanaged()
	s.orderTypes()
	s.placeUsedOpaque()

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

func (s *planState) irreversible(reason string) {
	s.add(phIrreversible, &Irreversible{
		Base:   Base{Hazards: []Hazard{{Code: HazardIrreversible, Message: reason}}},
		Reason: reason,
	})
}

// stop is irreversible with a hazard code of its own, at pos.
func (s *planState) stop(code string, pos schema.Pos, reason string) {
	s.add(phIrreversible, &Irreversible{Base: hazard(code, pos, reason), Reason: reason})
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
