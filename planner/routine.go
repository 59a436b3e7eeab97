package planner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// Hazard codes of views, functions and triggers. An object dropped only to
// be created again in the same migration raises none: the migration runs
// in one transaction, so nobody sees it missing.
const (
	// HazardDropView: DROP VIEW of a view that schema.sql no longer has;
	// queries that read it fail from then on.
	HazardDropView = "drop-view"
	// HazardDropFunction: DROP FUNCTION or PROCEDURE; callers fail from
	// then on.
	HazardDropFunction = "drop-function"
	// HazardDropTrigger: DROP TRIGGER; what it did on each write (an
	// audit row, a timestamp, a check) silently stops.
	HazardDropTrigger = "drop-trigger"
	// HazardRecreateMatview: a materialized view dropped and created
	// again runs its whole query while readers of it wait.
	HazardRecreateMatview = "recreate-materialized-view"
)

func init() {
	Codes = append(Codes,
		HazardInfo{HazardDropView, Locks, false, "DROP VIEW or DROP MATERIALIZED VIEW of a view schema.sql no longer has: queries that read it fail from then on. (A view dropped to be created again in the same migration is not flagged.)", "Drop the view in a release after the code stops reading it."},
		HazardInfo{HazardDropFunction, Locks, false, "DROP FUNCTION or DROP PROCEDURE of a routine schema.sql no longer has: callers fail from then on.", "Drop the function in a release after the code stops calling it."},
		HazardInfo{HazardDropTrigger, LosesData, false, "DROP TRIGGER of a trigger schema.sql no longer has: what it did on each write (an audit row, a timestamp) silently stops.", ""},
		HazardInfo{HazardRecreateMatview, Locks, false, "A materialized view dropped and created again (its query, or what it reads, changed): the query runs in full inside the migration, and readers of the view wait for it.", "Create the new materialized view under another name, REFRESH it, then swap the names."},
	)
	for _, c := range Codes[len(Codes)-4:] {
		codeIndex[c.Code] = c
	}
}

// CreateView creates a view or materialized view, or replaces a view in
// place (CREATE OR REPLACE VIEW) when Replace is set.
type CreateView struct {
	Base
	View    *schema.View
	Replace bool
}

// DropView drops a view or materialized view.
type DropView struct {
	Base
	Name         schema.QualifiedName
	Materialized bool
}

func (c *DropView) dropped() schema.Object {
	return schema.Object{Kind: schema.KindTable, Name: c.Name}
}

// CreateFunction creates a function or procedure, or replaces one whose
// signature and result stay the same (its Def is CREATE OR REPLACE).
type CreateFunction struct {
	Base
	Function *schema.Function
}

// DropFunction drops a function or procedure.
type DropFunction struct {
	Base
	Function *schema.Function
}

func (c *DropFunction) dropped() schema.Object { return c.Function.Object() }

// CreateTrigger creates a trigger.
type CreateTrigger struct {
	Base
	Trigger *schema.Trigger
}

// DropTrigger drops a trigger.
type DropTrigger struct {
	Base
	Name schema.TriggerName
}

// SetTriggerEnabled enables or disables a trigger (ALTER TABLE ...
// ENABLE/DISABLE TRIGGER); Enabled is as in schema.TriggerDef.
type SetTriggerEnabled struct {
	Base
	Name    schema.TriggerName
	Enabled string
}

// routineState is what the routine diff decided, shared by its steps.
type routineState struct {
	recreatedFunc map[string]bool
	newTrigger    map[schema.TriggerName]bool
}

// diffRoutines plans views, functions and triggers. Their order follows
// the references found in their parsed definitions: functions before the
// tables whose defaults, checks and indexes may call them (and dropped
// after those tables), views after everything they read, re-created when
// what they read changes shape, triggers last.
func (s *planState) diffRoutines() {
	s.recreatedView = map[schema.QualifiedName]bool{}
	rs := &routineState{
		recreatedFunc: map[string]bool{},
		newTrigger:    map[schema.TriggerName]bool{},
	}
	lateFuncs, lateDrops := s.diffFunctions(rs)
	s.markRecreatedViews(rs)
	s.diffViews(rs, lateFuncs, lateDrops)
	s.diffTriggers(rs)
	s.routineComments(rs)
}

// diffFunctions creates, replaces and drops functions and procedures,
// each after the functions it calls and dropped before them. It returns
// the functions that must be created after the relations they name (see
// lateFunction), and those that must be dropped before the views they
// name, which diffViews places in order with the views.
func (s *planState) diffFunctions(rs *routineState) (late, lateDrops []string) {
	from, to := s.from, s.to
	toByName := funcsByName(to)
	toOrder := funcOrder(to, toByName)
	creates := s.createPhases(toOrder, toByName)
	fromByName := funcsByName(from)
	fromCallersFirst := callersFirst(from, fromByName)
	s.markRecreatedFunctions(rs, fromCallersFirst)
	for _, k := range toOrder {
		tf, ff := to.Functions[k], from.Functions[k]
		if ff != nil && !rs.recreatedFunc[k] && ff.Def == tf.Def {
			continue
		}
		if ph := creates[k]; ph == phCreateView {
			late = append(late, k)
		} else {
			s.add(ph, &CreateFunction{Function: tf})
		}
	}
	drops := s.dropPhases(funcOrder(from, fromByName), fromByName, rs.recreatedFunc)
	for _, k := range fromCallersFirst {
		ph, ok := drops[k]
		switch {
		case !ok:
			continue
		case rs.recreatedFunc[k]:
			s.add(ph, &DropFunction{Function: from.Functions[k]})
			continue
		}
		if ph == phDropView {
			lateDrops = append(lateDrops, k)
			continue
		}
		ff := from.Functions[k]
		s.add(ph, s.dropFunction(ff))
	}
	return late, lateDrops
}

// markRecreatedFunctions finds the functions of both catalogs dropped and
// created again: those CREATE OR REPLACE cannot change (recreatedFunction),
// and the kept ones whose SQL-standard body calls one of them, which
// PostgreSQL refuses to drop under them. callersFirst is the order of
// from's functions, callers before callees.
func (s *planState) markRecreatedFunctions(rs *routineState, callersFirst []string) {
	gone := map[schema.QualifiedName]bool{}
	for _, k := range callersFirst {
		if ff, tf := s.from.Functions[k], s.to.Functions[k]; s.recreatedFunction(ff, tf) {
			rs.recreatedFunc[k] = true
			gone[ff.Name] = true
		}
	}
	for progress := len(gone) > 0; progress; {
		progress = false
		for _, k := range slices.Backward(callersFirst) {
			ff := s.from.Functions[k]
			if rs.recreatedFunc[k] || s.to.Functions[k] == nil || !sqlStandardBody(ff) {
				continue
			}
			if slices.ContainsFunc(ff.Calls, func(c schema.QualifiedName) bool { return gone[c] }) {
				rs.recreatedFunc[k] = true
				gone[ff.Name] = true
				progress = true
			}
		}
	}
}

// sqlStandardBody reports whether f has a SQL-standard body (RETURN or
// BEGIN ATOMIC), whose dependencies on what it calls PostgreSQL records; a
// quoted body (AS $$...$$) is only checked when created.
func sqlStandardBody(f *schema.Function) bool {
	return len(f.Calls) > 0 && standardBody(f)
}

// standardBody reports whether f's body is SQL-standard (RETURN, BEGIN
// ATOMIC) rather than a string (AS $$...$$, AS 'symbol').
func standardBody(f *schema.Function) bool {
	return !strings.Contains(f.Def, " AS $") && !strings.Contains(f.Def, " AS '")
}

// dropFunction is the drop of a function schema.sql no longer has.
func (s *planState) dropFunction(ff *schema.Function) *DropFunction {
	return &DropFunction{Base: hazard(HazardDropFunction, ff.Pos, "drops "+routineName(ff)+"; callers fail from then on"), Function: ff}
}

// markRecreatedViews finds the views that must be dropped and created
// again, to a fixed point: a view whose definition cannot be replaced, or
// that reads a view, a reshaped table or a function that goes or is
// re-created.
func (s *planState) markRecreatedViews(rs *routineState) {
	from, to := s.from, s.to
	changed := func(v *schema.View) bool {
		if s.namesRebuiltEnum(v.Def) {
			return true
		}
		for _, r := range v.Refs {
			if s.recreatedView[r] || s.tableReshaped(r, v.Columns) {
				return true
			}
			if fv := from.Views[r]; fv != nil && to.Views[r] == nil {
				return true
			}
		}
		for _, fn := range v.Funcs {
			if s.callDropped(fn) {
				return true
			}
			for k := range rs.recreatedFunc {
				if from.Functions[k].Name == fn {
					return true
				}
			}
			for k, f := range from.Functions {
				if f.Name == fn && to.Functions[k] == nil {
					return true
				}
			}
		}
		return false
	}
	for _, n := range schema.SortedNames(to.Views) {
		tv, fv := to.Views[n], from.Views[n]
		if fv != nil && (fv.Materialized != tv.Materialized || fv.Def != tv.Def && !replaceable(fv, tv)) {
			s.recreatedView[n] = true
		}
	}
	for progress := true; progress; {
		progress = false
		for _, n := range schema.SortedNames(to.Views) {
			if fv := from.Views[n]; fv != nil && !s.recreatedView[n] && changed(fv) {
				s.recreatedView[n] = true
				progress = true
			}
		}
	}
}

// diffViews drops the views that go or are re-created, dependents first,
// with the functions that name them (lateDrops), then creates and replaces
// views in dependency order, with the functions that read them
// (lateFuncs).
func (s *planState) diffViews(rs *routineState, lateFuncs, lateDrops []string) {
	from, to := s.from, s.to
	// Drop, dependents first.
	for _, it := range slices.Backward(routineOrder(from, lateDrops)) {
		if it.Func != "" {
			s.add(phDropView, s.dropFunction(from.Functions[it.Func]))
			continue
		}
		n := it.View
		fv := from.Views[n]
		var b Base
		switch {
		case to.Views[n] == nil:
			b = hazard(HazardDropView, fv.Pos, fmt.Sprintf("drops %s %s; queries that read it fail from then on", strings.ToLower(fv.Kind().String()), n))
		case s.recreatedView[n] && fv.Materialized:
			b = hazard(HazardRecreateMatview, to.Views[n].Pos, fmt.Sprintf("drops materialized view %s and creates it again, running its whole query while readers of it wait", n))
		case !s.recreatedView[n]:
			continue
		}
		s.add(phDropView, &DropView{Base: b, Name: n, Materialized: fv.Materialized})
	}
	// Create and replace, in dependency order with the late functions.
	for _, it := range routineOrder(to, lateFuncs) {
		if it.Func != "" {
			s.add(phCreateView, &CreateFunction{Function: to.Functions[it.Func]})
			continue
		}
		n := it.View
		tv, fv := to.Views[n], from.Views[n]
		switch {
		case fv == nil || s.recreatedView[n]:
			s.add(phCreateView, &CreateView{View: tv})
			for _, in := range schema.SortedNames(tv.Indexes) {
				s.add(phCreateView, &CreateIndex{Index: tv.Indexes[in]})
			}
			s.diffViewStatistics(n, "", tv.Statistics)
		default:
			if fv.Def != tv.Def {
				s.add(phCreateView, &CreateView{View: tv, Replace: true})
			}
			s.diffMatviewIndexes(fv, tv)
			s.diffViewStatistics(n, fv.Statistics, tv.Statistics)
		}
	}
}

// diffTriggers drops the triggers that go or change (or whose table, view
// or function is re-created) and creates the new ones.
func (s *planState) diffTriggers(rs *routineState) {
	from, to := s.from, s.to
	for _, tn := range schema.SortedTriggers(from.Triggers) {
		ft, tt := from.Triggers[tn], to.Triggers[tn]
		if s.recreatedTable[tn.Table] {
			// Dropped with its table; created again on the new one.
			rs.newTrigger[tn] = tt != nil
			continue
		}
		if tt != nil && ft.Def == tt.Def && !s.recreatedView[tn.Table] && !s.funcRecreated(rs, ft.Function) &&
			!s.mentionsReshapedColumn(tn.Table, triggerColumnsText(ft.Def)) {
			continue
		}
		if s.relationGone(tn.Table) && !s.recreatedView[tn.Table] {
			continue // dropped with its table
		}
		switch {
		case s.recreatedView[tn.Table] && from.Views[tn.Table] != nil:
			// Dropped with the view.
		case tt == nil:
			s.add(phDropTrigger, &DropTrigger{Base: hazard(HazardDropTrigger, ft.Pos, fmt.Sprintf("drops trigger %s on %s; what it did on each write stops", schema.QuoteIdent(tn.Name), tn.Table)), Name: tn})
		default:
			s.add(phDropTrigger, &DropTrigger{Name: tn})
		}
		if tt != nil {
			rs.newTrigger[tn] = true
		}
	}
	for _, tn := range schema.SortedTriggers(to.Triggers) {
		tt, ft := to.Triggers[tn], from.Triggers[tn]
		if ft == nil || rs.newTrigger[tn] {
			rs.newTrigger[tn] = true
			s.add(phCreateTrigger, &CreateTrigger{Trigger: tt})
			if tt.Enabled != "" {
				s.add(phCreateTrigger, &SetTriggerEnabled{Name: tn, Enabled: tt.Enabled})
			}
			continue
		}
		if ft.Enabled != tt.Enabled {
			s.add(phCreateTrigger, &SetTriggerEnabled{Name: tn, Enabled: tt.Enabled})
		}
	}
}

// lateFunction reports whether a function must be created after the
// relations it names: a row type in its signature or a table a LANGUAGE
// sql body reads (PostgreSQL checks the body when it creates it).
func (s *planState) lateFunction(fn *schema.Function) bool {
	for _, r := range fn.Refs {
		if s.to.Tables[r] != nil || s.to.Views[r] != nil {
			return true
		}
	}
	return false
}

// takesDomain reports whether a function's signature uses a type created
// in phCreateTypeLate (a domain, composite type...): it is created after them,
// the others before them (a domain's check may call a function).
func (s *planState) takesDomain(fn *schema.Function) bool {
	for _, t := range fn.Types {
		if createdLate(s.to, t) {
			return true
		}
	}
	return false
}

// usesDomain is takesDomain for a function of from.
func (s *planState) usesDomain(fn *schema.Function) bool {
	for _, t := range fn.Types {
		if createdLate(s.from, t) {
			return true
		}
	}
	return false
}

func (s *planState) funcRecreated(rs *routineState, name schema.QualifiedName) bool {
	for k := range rs.recreatedFunc {
		if s.from.Functions[k].Name == name {
			return true
		}
	}
	return false
}

// relationGone reports whether a table or view of from is dropped.
func (s *planState) relationGone(q schema.QualifiedName) bool {
	if s.from.Tables[q] != nil {
		return s.to.Tables[q] == nil
	}
	return s.to.Views[q] == nil
}

// tableReshaped reports whether a table a view reads is dropped or loses,
// retypes or rebuilds one of the columns the view mentions (cols, "*" for
// all), or converts one to a rebuilt enum: PostgreSQL refuses those changes
// while a view depends on the column, so the view is dropped before and
// created again after. A view that selects * is also re-created when the
// table gains a column, which it would not show otherwise.
func (s *planState) tableReshaped(q schema.QualifiedName, cols []string) bool {
	if s.recreatedTable[q] {
		return true
	}
	ft, tt := s.from.Tables[q], s.to.Tables[q]
	if ft == nil {
		return false
	}
	if tt == nil {
		return true
	}
	star := slices.Contains(cols, "*")
	if star && len(tt.Columns) > len(ft.Columns) {
		// PostgreSQL expands * when it creates the view: a column added
		// since is not in it, but is in the view loaded from schema.sql.
		return true
	}
	if len(s.rebuiltEnumCol) == 0 && s.same(ft, tt) {
		return false // only an enum rebuild reshapes a table whose body stays
	}
	for _, fc := range ft.Columns {
		if (star || slices.Contains(cols, fc.Name)) && s.columnReshaped(q, fc.Name) {
			return true
		}
	}
	return false
}

// replaceable reports whether CREATE OR REPLACE VIEW turns from into to:
// PostgreSQL accepts it when the old output columns come first, unchanged
// (same names, same types), which holds when their expressions and what
// they read are the same text.
func replaceable(from, to *schema.View) bool {
	if from.Materialized || to.Materialized || from.From == "" || from.From != to.From || len(from.Targets) > len(to.Targets) {
		return false
	}
	for i, t := range from.Targets {
		if t == "*" || to.Targets[i] != t {
			return false
		}
	}
	return true
}

func (s *planState) diffMatviewIndexes(fv, tv *schema.View) {
	for _, n := range schema.SortedNames(fv.Indexes) {
		fi, ti := fv.Indexes[n], tv.Indexes[n]
		if ti == nil || !sameIndex(fi, ti) {
			s.add(phDropIndex, &DropIndex{Name: n})
		}
	}
	for _, n := range schema.SortedNames(tv.Indexes) {
		fi, ti := fv.Indexes[n], tv.Indexes[n]
		if fi == nil || !sameIndex(fi, ti) {
			s.add(phCreateView, &CreateIndex{Base: createIndexHazard(ti), Index: ti})
		}
	}
}

func (s *planState) routineComments(rs *routineState) {
	for _, n := range schema.SortedNames(s.to.Views) {
		tv, fv := s.to.Views[n], s.from.Views[n]
		from := ""
		if fv != nil && !s.recreatedView[n] {
			from = fv.Comment
		}
		if from != tv.Comment {
			s.add(phComment, &SetComment{Kind: tv.Kind(), Name: n, Comment: tv.Comment})
		}
		s.viewColumnComments(n, fv, tv)
		for _, in := range schema.SortedNames(tv.Indexes) {
			from := ""
			if fv != nil && !s.recreatedView[n] && fv.Indexes[in] != nil && sameIndex(fv.Indexes[in], tv.Indexes[in]) {
				from = fv.Indexes[in].Comment
			}
			if c := tv.Indexes[in].Comment; c != from {
				s.add(phComment, &SetComment{Kind: schema.KindIndex, Name: in, Comment: c})
			}
		}
	}
	for _, k := range schema.SortedKeys(s.to.Functions) {
		tf, ff := s.to.Functions[k], s.from.Functions[k]
		from := ""
		if ff != nil && !rs.recreatedFunc[k] {
			from = ff.Comment
		}
		if from != tf.Comment {
			s.add(phComment, &SetComment{Kind: tf.Kind, Name: tf.Object().Name, Comment: tf.Comment})
		}
	}
	for _, tn := range schema.SortedTriggers(s.to.Triggers) {
		tt, ft := s.to.Triggers[tn], s.from.Triggers[tn]
		from := ""
		if ft != nil && !rs.newTrigger[tn] {
			from = ft.Comment
		}
		if from != tt.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindTrigger, Name: tn.Table, Sub: tn.Name, Comment: tt.Comment})
		}
	}
}

// viewColumnComments sets the comments of view n's columns that differ
// from those it has after the earlier steps: a view created or re-created
// starts without any; CREATE OR REPLACE keeps them.
func (s *planState) viewColumnComments(n schema.QualifiedName, fv, tv *schema.View) {
	from := map[string]string{}
	if fv != nil && !s.recreatedView[n] {
		from = fv.ColumnCommentMap()
	}
	to := tv.ColumnCommentMap()
	cols := slices.Collect(maps.Keys(to))
	for c := range from {
		if _, ok := to[c]; !ok {
			cols = append(cols, c)
		}
	}
	slices.Sort(cols)
	for _, c := range cols {
		if from[c] != to[c] {
			s.add(phComment, &SetComment{Kind: schema.KindColumn, Name: n, Sub: c, Comment: to[c]})
		}
	}
}

// routineName names a routine change's object for messages.
func routineName(fn *schema.Function) string {
	return strings.ToLower(fn.Kind.String()) + " " + fn.Signature()
}

// recreatedFunction reports whether a function of both catalogs is dropped
// and created again: PostgreSQL's CREATE OR REPLACE cannot change a
// routine's kind, parameters or result; nor can a function outlive the
// old type of an enum that is rebuilt, or a BEGIN ATOMIC body the retyping
// of a column it reads.
func (s *planState) recreatedFunction(ff, tf *schema.Function) bool {
	return ff != nil && tf != nil && (ff.Kind != tf.Kind || ff.Params != tf.Params || s.takesRebuiltEnum(ff) || s.atomicReadsReshaped(ff) || s.needsRecreatedTable(ff))
}

// needsRecreatedTable reports whether f depends on a table that is dropped
// and created again: through a row type of its signature, or a
// SQL-standard body that reads it. It goes before the table, and comes
// back after.
func (s *planState) needsRecreatedTable(f *schema.Function) bool {
	for _, r := range f.Refs {
		if s.recreatedTable[r] && (slices.Contains(f.Types, r) || standardBody(f)) {
			return true
		}
	}
	return false
}

// atomicReadsReshaped reports whether f has a BEGIN ATOMIC body (whose
// dependencies PostgreSQL records, unlike a quoted body's) that names a
// column of a table it reads which changes type: PostgreSQL refuses the
// change while the function exists.
func (s *planState) atomicReadsReshaped(f *schema.Function) bool {
	if len(f.Refs) == 0 || !strings.Contains(f.Def, "BEGIN ATOMIC") {
		return false
	}
	for _, r := range f.Refs {
		if s.mentionsReshapedColumn(r, f.Def) {
			return true
		}
	}
	return false
}

// takesRebuiltEnum reports whether f's arguments or result are of an enum
// being rebuilt: the function depends on the old type, which the rebuild
// drops, so it is dropped before and created again after.
func (s *planState) takesRebuiltEnum(f *schema.Function) bool {
	for _, t := range f.Types {
		if slices.Contains(s.rebuiltEnums, t) {
			return true
		}
	}
	return false
}

// markFunctionUsers takes down, before a function is dropped to be created
// again (or replaced by an overload of other argument types), the defaults,
// checks, indexes and policies that call it, and puts them back after. It runs before the table diff, which rebuilds the checks it marks
// (as it does for foreign keys whose key is rebuilt).
func (s *planState) markFunctionUsers() {
	var replaced map[schema.QualifiedName]bool // names the new schema still has
	for _, k := range schema.SortedKeys(s.from.Functions) {
		ff, tf := s.from.Functions[k], s.to.Functions[k]
		if tf == nil && len(ff.Users) > 0 {
			// An overload whose argument types change is another function:
			// the old one is dropped, and what calls it by name calls the
			// new one once created again.
			if replaced == nil {
				replaced = map[schema.QualifiedName]bool{}
				for _, fn := range s.to.Functions {
					replaced[fn.Name] = true
				}
			}
			if !replaced[ff.Name] {
				continue
			}
			s.replacedOverload[k] = true
		} else if !s.recreatedFunction(ff, tf) {
			continue
		}
		for _, u := range ff.Users {
			ft, tt := s.from.Tables[u.Table], s.to.Tables[u.Table]
			if ft == nil {
				continue
			}
			switch u.Kind {
			case "default":
				fc := ft.Column(u.Name)
				if fc == nil {
					continue
				}
				s.add(phDropConstraint, &DropDefault{Table: u.Table, Column: u.Name})
				if tt == nil {
					continue
				}
				if tc := tt.Column(u.Name); tc != nil && tc.Default != "" && tc.Default == fc.Default && !needsRecreate(fc, tc) {
					s.add(phColumns, &SetDefault{Table: u.Table, Column: u.Name, Default: tc.DefaultSQL()})
				}
			case "generated":
				s.irreversible(fmt.Sprintf("%s changes its parameters or result, and generated column %s.%s calls it", routineName(ff), u.Table, schema.QuoteIdent(u.Name)))
			case "check":
				s.forcedFK[conKey{u.Table, u.Name}] = true
			case "policy":
				s.recreatedPolicy[conKey{u.Table, u.Name}] = true
			case "index":
				n := schema.QualifiedName{Schema: u.Table.Schema, Name: u.Name}
				fi, ti := s.from.Indexes[n], s.to.Indexes[n]
				switch {
				case fi == nil:
				case tt == nil:
					s.add(phDropIndex, &DropIndex{Name: n})
				case ti != nil && sameIndex(fi, ti) && !s.indexOnRecreatedColumn(fi):
					s.add(phDropIndex, &DropIndex{Name: n})
					s.recreatedIdx[n] = true
					s.add(phCreateIndex, &CreateIndex{Base: createIndexHazard(ti), Index: ti})
				}
			}
		}
	}
}

// triggerColumnsText is the part of a trigger's definition that can name
// columns of its table: the event list (UPDATE OF a, b) and the WHEN
// clause, without the trigger, table and function names.
func triggerColumnsText(def string) string {
	var parts []string
	if _, rest, ok := strings.Cut(def, " UPDATE OF "); ok {
		cols, _, _ := strings.Cut(rest, " ON ")
		parts = append(parts, cols)
	}
	if _, rest, ok := strings.Cut(def, " WHEN "); ok {
		when, _, _ := strings.Cut(rest, " EXECUTE ")
		parts = append(parts, when)
	}
	return strings.Join(parts, " ")
}

// Views, functions and triggers are planned together by diffRoutines,
// which runs after every pass whose drops take views down.
func init() {
	registerKind("view", kindPlanner{kept: func(s *planState, o schema.Object) bool {
		// GRANT names a view TABLE; no privilege names it VIEW.
		return o.Kind != schema.KindTable || s.to.Views[o.Name] != nil && s.from.Views[o.Name] != nil
	}})
	registerKind("function", kindPlanner{kept: func(s *planState, o schema.Object) bool {
		return s.to.Functions[o.Name.Name] != nil
	}, opaqueUses: func(c *schema.Catalog) []string {
		var out []string
		for _, f := range c.Functions {
			out = append(out, "LANGUAGE "+schema.QuoteIdent(f.Language))
		}
		return out
	}})
	registerKind("trigger", kindPlanner{})
}
