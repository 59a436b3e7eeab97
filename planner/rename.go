package planner

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// applyRenames returns a copy of from in which the renamed tables and
// columns already carry their new names (and the definitions that mention
// them are rewritten as PostgreSQL rewrites them), together with the rename
// changes. The rest of the plan then compares by name as usual. Objects of
// from are never modified: whatever changes is copied first.
func applyRenames(from, to *schema.Catalog, renames []Rename) (*schema.Catalog, []Change, error) {
	if len(renames) == 0 {
		return from, nil, nil
	}
	rm, changes, err := validateRenames(from, to, renames)
	if err != nil {
		return nil, nil, err
	}
	// Every kind of object is carried over: what is left out would look
	// created by the new schema and be created a second time.
	w := *from
	w.Sequences = maps.Clone(from.Sequences)
	w.Tables = make(map[schema.QualifiedName]*schema.Table, len(from.Tables))
	w.Indexes = maps.Clone(from.Indexes)
	rm.rewriteTables(&w, from)
	renameDependents(&w, from, rm.newName, rm.touched, rm.colTo)
	rm.rewriteIndexes(&w, from)
	rm.rewriteStatistics(&w, from)
	changes = append(changes, rm.renameSequences(&w, from, to)...)
	return &w, changes, nil
}

// renameMap is what the renames of a plan map to their new names.
type renameMap struct {
	// tableTo maps a renamed table to its new name; colTo a table (by its
	// old name) to its renamed columns, old -> new.
	tableTo map[schema.QualifiedName]schema.QualifiedName
	colTo   map[schema.QualifiedName]map[string]string
}

// newName is the name table n has after the renames.
func (rm renameMap) newName(n schema.QualifiedName) schema.QualifiedName {
	if nn, ok := rm.tableTo[n]; ok {
		return nn
	}
	return n
}

// touched reports whether table n or one of its columns is renamed.
func (rm renameMap) touched(n schema.QualifiedName) bool {
	_, a := rm.tableTo[n]
	_, b := rm.colTo[n]
	return a || b
}

// validateRenames checks renames against both catalogs and returns them as
// a renameMap, with the changes that rename the tables and then, under
// their new names, the columns.
func validateRenames(from, to *schema.Catalog, renames []Rename) (renameMap, []Change, error) {
	rm := renameMap{
		tableTo: map[schema.QualifiedName]schema.QualifiedName{},
		colTo:   map[schema.QualifiedName]map[string]string{}, // by old table name
	}
	var changes, colChanges []Change
	for _, r := range renames {
		ft := from.Tables[r.Table]
		if ft == nil {
			return renameMap{}, nil, fmt.Errorf("rename %s: no table %s in the old schema", r, r.Table)
		}
		switch r.Kind {
		case TableRename:
			nn := schema.QualifiedName{Schema: r.Table.Schema, Name: r.To}
			if r.From != r.Table.Name {
				return renameMap{}, nil, fmt.Errorf("rename %s: From %q is not the table's name", r, r.From)
			}
			if to.Tables[nn] == nil {
				return renameMap{}, nil, fmt.Errorf("rename %s: no table %s in the new schema", r, nn)
			}
			if from.Tables[nn] != nil {
				return renameMap{}, nil, fmt.Errorf("rename %s: table %s already exists", r, nn)
			}
			if _, dup := rm.tableTo[r.Table]; dup {
				return renameMap{}, nil, fmt.Errorf("rename %s: table renamed twice", r)
			}
			rm.tableTo[r.Table] = nn
			changes = append(changes, &RenameTable{Name: r.Table, To: r.To})
		case ColumnRename:
			if ft.Column(r.From) == nil {
				return renameMap{}, nil, fmt.Errorf("rename %s: no column %s in table %s", r, schema.QuoteIdent(r.From), r.Table)
			}
			m := rm.colTo[r.Table]
			if m == nil {
				m = map[string]string{}
				rm.colTo[r.Table] = m
			}
			if _, dup := m[r.From]; dup {
				return renameMap{}, nil, fmt.Errorf("rename %s: column renamed twice", r)
			}
			for f, to := range m {
				if to == r.To {
					return renameMap{}, nil, fmt.Errorf("rename %s: column %s is also renamed to %s", r, schema.QuoteIdent(f), schema.QuoteIdent(to))
				}
			}
			m[r.From] = r.To
		default:
			return renameMap{}, nil, fmt.Errorf("rename %s: invalid kind", r)
		}
	}
	// Column renames run after the table renames, under the new names, and
	// must find their column in the new schema.
	for _, tn := range schema.SortedNames(rm.colTo) {
		m := rm.colTo[tn]
		nn := tn
		if n, ok := rm.tableTo[tn]; ok {
			nn = n
		}
		tt := to.Tables[nn]
		for _, from := range slices.Sorted(maps.Keys(m)) {
			if tt == nil {
				return renameMap{}, nil, fmt.Errorf("rename %s.%s=%s: no table %s in the new schema", tn, from, m[from], nn)
			}
			if tt.Column(m[from]) == nil {
				return renameMap{}, nil, fmt.Errorf("rename %s.%s=%s: no column %s in the new schema", tn, from, m[from], schema.QuoteIdent(m[from]))
			}
		}
		steps, final := columnRenameSteps(from.Tables[tn], m)
		for _, st := range steps {
			colChanges = append(colChanges, &RenameColumn{Table: nn, From: st[0], To: st[1]})
		}
		rm.colTo[tn] = final
	}
	rm.inheritColumnRenames(from)
	return rm, append(changes, colChanges...), nil
}

// inheritColumnRenames carries the column renames of a table to the
// tables that inherit from it, down the line: PostgreSQL's RENAME COLUMN
// renames their column too (their own declaration of it included), so
// their definitions are rewritten as the table's are, with no statement
// of their own.
func (rm renameMap) inheritColumnRenames(from *schema.Catalog) {
	renamed := schema.SortedNames(rm.colTo)
	for len(renamed) > 0 {
		tn := renamed[0]
		renamed = renamed[1:]
		for _, q := range schema.SortedNames(from.Tables) {
			if !slices.Contains(inheritsNames(from.Tables[q].Options.Inherits), tn) {
				continue
			}
			m := rm.colTo[q]
			if m == nil {
				m = map[string]string{}
				rm.colTo[q] = m
			}
			for f, to := range rm.colTo[tn] {
				if _, ok := m[f]; !ok {
					m[f] = to
				}
			}
			renamed = append(renamed, q)
		}
	}
}

// rewriteTables copies into w the tables of from that a rename touches
// (renamed, with a renamed column, a partition of one or referencing one),
// under their new names and with their definitions rewritten.
func (rm renameMap) rewriteTables(w *schema.Catalog, from *schema.Catalog) {
	for name, t := range from.Tables {
		needs := rm.touched(name) || rm.touched(t.Options.PartitionOf)
		for _, c := range t.Constraints {
			if c.Kind == schema.ForeignKey && rm.touched(c.RefTable) {
				needs = true
			}
		}
		if !needs {
			w.Tables[name] = t
			continue
		}
		own := rm.colTo[name]
		nt := *t
		nt.Name = rm.newName(name)
		nt.Columns = make([]*schema.Column, len(t.Columns))
		for i, c := range t.Columns {
			nc := *c
			nc.Name = renamed(own, c.Name)
			nc.Generated = renameIdents(c.Generated, own)
			nc.GeneratedSrc = renameIdents(c.GeneratedSrc, own)
			nt.Columns[i] = &nc
		}
		nt.Constraints = make([]*schema.Constraint, len(t.Constraints))
		for i, c := range t.Constraints {
			nc := *c
			nc.Columns = renamedAll(own, c.Columns)
			if c.Kind == schema.ForeignKey {
				ref := rm.colTo[c.RefTable]
				nc.RefTable = rm.newName(c.RefTable)
				nc.RefColumns = renamedAll(ref, c.RefColumns)
				local, remote, ok := strings.Cut(c.Def, " REFERENCES ")
				if ok {
					remote = replacePrefixName(remote, c.RefTable, nc.RefTable)
					nc.Def = renameIdents(local, own) + " REFERENCES " + remoteRename(remote, ref)
				}
			} else {
				nc.Def = renameIdents(c.Def, own)
				nc.Src = renameIdents(c.Src, own)
			}
			nt.Constraints[i] = &nc
		}
		nt.Options.PartitionOf = rm.newName(t.Options.PartitionOf)
		if len(own) > 0 && len(t.Policies) > 0 {
			nt.Policies = make([]*schema.Policy, len(t.Policies))
			for i, p := range t.Policies {
				np := *p
				np.Using = renameIdents(p.Using, own)
				np.WithCheck = renameIdents(p.WithCheck, own)
				np.UsingSrc = renameIdents(p.UsingSrc, own)
				np.WithCheckSrc = renameIdents(p.WithCheckSrc, own)
				nt.Policies[i] = &np
			}
		}
		w.Tables[nt.Name] = &nt
	}
}

// rewriteIndexes copies into w the indexes of the tables a rename touches,
// with their definitions rewritten.
func (rm renameMap) rewriteIndexes(w *schema.Catalog, from *schema.Catalog) {
	for name, idx := range from.Indexes {
		if !rm.touched(idx.Table) {
			continue
		}
		own := rm.colTo[idx.Table]
		ni := *idx
		ni.Table = rm.newName(idx.Table)
		ni.Def = renameIndexText(idx.Def, idx.Table, ni.Table, own)
		if idx.Src != "" {
			ni.Src = renameIndexText(idx.Src, idx.Table, ni.Table, own)
		}
		ni.Columns = renamedAll(own, idx.Columns)
		w.Indexes[name] = &ni
	}
}

// rewriteStatistics copies into w the statistics objects of the tables a
// rename touches, on the new names: PostgreSQL's RENAME keeps them, so
// they must not look dropped with their table (nor be created a second
// time), nor re-created for a column renamed in them.
func (rm renameMap) rewriteStatistics(w *schema.Catalog, from *schema.Catalog) {
	w.Statistics = maps.Clone(from.Statistics)
	for name, st := range from.Statistics {
		if !rm.touched(st.Table) {
			continue
		}
		own := rm.colTo[st.Table]
		ns := *st
		ns.Table = rm.newName(st.Table)
		ns.Def = renameStatisticsText(st.Def, st.Table, ns.Table, own)
		ns.Src = renameStatisticsText(st.Src, st.Table, ns.Table, own)
		ns.Columns = renamedAll(own, st.Columns)
		w.Statistics[name] = &ns
	}
}

// renameStatisticsText renames table from to to, and its columns as own
// maps them, in a statistics object's text (Def, or the user's Src):
// [(kinds)] ON columns and expressions FROM table. The kinds are left
// alone (a column may be named like one).
func renameStatisticsText(text string, from, to schema.QualifiedName, own map[string]string) string {
	i := strings.LastIndex(text, " FROM ")
	j := strings.Index(text, "ON ")
	if i < 0 || j < 0 || j > i {
		return text
	}
	table := text[i+len(" FROM "):]
	if table == from.String() {
		table = to.String()
	}
	return text[:j] + renameIdents(text[j:i], own) + " FROM " + table
}

// renameIndexText renames table from to to, and its columns as own maps
// them, in an index's text: Def, or the user's Src, which start alike.
func renameIndexText(text string, from, to schema.QualifiedName, own map[string]string) string {
	text = replacePrefixName(text, from, to)
	head := to.String()
	if rest, ok := strings.CutPrefix(text, head); ok {
		text = head + renameIdents(rest, own)
	}
	return text
}

// renameSequences points the sequences owned by a renamed table or column
// at the new names, and renames a serial's sequence as the new schema
// names it; it returns the sequence renames.
func (rm renameMap) renameSequences(w *schema.Catalog, from, to *schema.Catalog) []Change {
	var changes []Change
	for _, name := range schema.SortedNames(from.Sequences) {
		seq := from.Sequences[name]
		if seq.OwnedBy.IsZero() || !rm.touched(seq.OwnedBy.Table) {
			continue
		}
		ns := *seq
		ns.OwnedBy = schema.ColumnRef{
			Table:  rm.newName(seq.OwnedBy.Table),
			Column: renamed(rm.colTo[seq.OwnedBy.Table], seq.OwnedBy.Column),
		}
		w.Sequences[name] = &ns
		// A serial column's sequence follows its table and column to the
		// name the new schema gives it; creating a new one would restart
		// the numbering.
		oldOwner := seq.OwnedBy
		nn := schema.QualifiedName{Schema: name.Schema, Name: ns.OwnedBy.Table.Name + "_" + ns.OwnedBy.Column + "_seq"}
		if name.Name != oldOwner.Table.Name+"_"+oldOwner.Column+"_seq" || nn == name ||
			to.Sequences[nn] == nil || to.Sequences[name] != nil || from.Sequences[nn] != nil {
			continue
		}
		delete(w.Sequences, name)
		ns.Name = nn
		w.Sequences[nn] = &ns
		if t := w.Tables[ns.OwnedBy.Table]; t != nil {
			old, nu := nextvalText(name), nextvalText(nn)
			for _, c := range t.Columns {
				c.Default = strings.ReplaceAll(c.Default, old, nu)
				c.DefaultSrc = strings.ReplaceAll(c.DefaultSrc, old, nu)
			}
		}
		changes = append(changes, &RenameSequence{Name: name, To: nn.Name})
	}
	return changes
}

// renameDependents carries the views, triggers and privileges of from
// that hang on a renamed table or column over to w under the names
// PostgreSQL gives them after the rename. A view keeps its text, which
// still names the old table or column: it differs from the new schema's
// text and is re-created, as a text the planner cannot rewrite must be.
// A trigger moves to its table's new name, as its text does; one whose
// text names a renamed column (UPDATE OF, WHEN) is re-created likewise.
// Privileges and owners follow their table and column exactly, as in
// PostgreSQL.
func renameDependents(w, from *schema.Catalog, newName func(schema.QualifiedName) schema.QualifiedName,
	touched func(schema.QualifiedName) bool, colTo map[schema.QualifiedName]map[string]string) {
	// readsRenamed reports whether text names a column of one of tables
	// that is renamed, by its old name or its new one.
	readsRenamed := func(tables []schema.QualifiedName, text string) bool {
		for _, t := range tables {
			for old, nu := range colTo[t] {
				if mentionsWord(text, old) || mentionsWord(text, nu) {
					return true
				}
			}
		}
		return false
	}
	w.Views = maps.Clone(from.Views)
	for name, v := range from.Views {
		if !slices.ContainsFunc(v.Refs, touched) {
			continue
		}
		nv := *v
		nv.Refs = make([]schema.QualifiedName, len(v.Refs))
		for i, r := range v.Refs {
			nv.Refs[i] = newName(r)
		}
		if readsRenamed(v.Refs, v.Def) {
			// A view reads columns by position: after RENAME COLUMN it
			// reads the same column under its new name, whatever its text
			// says, and a swap makes it read the other column. Its text may
			// even be unchanged in the new schema, so it is made to differ
			// here: the view is dropped and created from the new text.
			nv.Def += renamedColumnsMarker
			nv.From = ""
		}
		w.Views[name] = &nv
	}
	w.Triggers = make(map[schema.TriggerName]*schema.Trigger, len(from.Triggers))
	for name, tr := range from.Triggers {
		if touched(name.Table) {
			nt := *tr
			nt.Table = newName(name.Table)
			on, nton := " ON "+name.Table.String()+" ", " ON "+nt.Table.String()+" "
			nt.Def = strings.Replace(tr.Def, on, nton, 1)
			nt.Src = strings.Replace(tr.Src, on, nton, 1)
			if readsRenamed([]schema.QualifiedName{name.Table}, triggerColumnsText(tr.Def)) {
				nt.Def += renamedColumnsMarker // re-created, as a view is
			}
			tr = &nt
		}
		w.Triggers[tr.TriggerName] = tr
	}
	w.Owners = make(map[schema.PrivilegeObject]string, len(from.Owners))
	for o, role := range from.Owners {
		if o.Kind == schema.KindTable && touched(o.Name) {
			o.Name = newName(o.Name)
		}
		w.Owners[o] = role
	}
	w.Privileges = make(map[schema.Privilege]*schema.Grant, len(from.Privileges))
	for p, g := range from.Privileges {
		if p.Object.Kind == schema.KindTable && touched(p.Object.Name) {
			p.Object.Column = renamed(colTo[p.Object.Name], p.Object.Column)
			p.Object.Name = newName(p.Object.Name)
		}
		w.Privileges[p] = g
	}
}

// renamedColumnsMarker ends the working copy's text of a view or trigger
// that names a renamed column, so that it differs from any text of the new
// schema and is re-created.
const renamedColumnsMarker = " /* ddlmig: reads renamed columns */"

// columnRenameSteps orders the column renames m of table t (old name to
// new name) into RENAME COLUMN steps that never meet a taken name, and
// returns them with the final name of every column they move. A column in
// the way that no rename moves (the new schema has a new column of that
// name) is parked under a name of its own; the rest of the plan then
// drops it, as a column the new schema lacks, with its hazard. Renames
// that form a cycle (two columns swapping names) pass through such a name.
func columnRenameSteps(t *schema.Table, m map[string]string) (steps [][2]string, final map[string]string) {
	current := map[string]string{} // column name now -> original name
	for _, c := range t.Columns {
		current[c.Name] = c.Name
	}
	final = maps.Clone(m)
	park := func(now string) string {
		tmp := now
		for i := 0; current[tmp] != ""; i++ {
			tmp = tempColumnName(now, i)
		}
		steps = append(steps, [2]string{now, tmp})
		current[tmp] = current[now]
		delete(current, now)
		return tmp
	}
	pending := map[string]string{} // name now -> target, for columns still to move
	for f, to := range m {
		pending[f] = to
	}
	// Columns in the way of a target that no rename moves are parked.
	for _, f := range slices.Sorted(maps.Keys(m)) {
		to := m[f]
		if orig, taken := current[to]; taken {
			if _, moves := m[orig]; !moves {
				final[orig] = park(to)
			}
		}
	}
	for len(pending) > 0 {
		progress := false
		for _, now := range slices.Sorted(maps.Keys(pending)) {
			to := pending[now]
			if _, taken := current[to]; taken {
				continue
			}
			steps = append(steps, [2]string{now, to})
			current[to] = current[now]
			delete(current, now)
			delete(pending, now)
			progress = true
		}
		if !progress {
			// A cycle: move one of its columns out of the way.
			now := slices.Sorted(maps.Keys(pending))[0]
			to := pending[now]
			delete(pending, now)
			pending[park(now)] = to
		}
	}
	return steps, final
}

// tempColumnName is the name a column is parked under while renames move
// others; i makes it unique.
func tempColumnName(name string, i int) string {
	suffix := "__ddlmig_old"
	if i > 0 {
		suffix += strconv.Itoa(i)
	}
	if len(name)+len(suffix) > 63 {
		name = name[:63-len(suffix)]
	}
	return name + suffix
}

// nextvalText is a serial column's default as the parser canonicalizes it.
func nextvalText(seq schema.QualifiedName) string {
	return "nextval(" + schema.QuoteLiteral(seq.String()) + "::regclass)"
}

// remoteRename rewrites the referenced columns of a foreign key definition
// (the text after REFERENCES and the table name).
func remoteRename(remote string, m map[string]string) string {
	i := strings.IndexByte(remote, '(')
	if i < 0 || len(m) == 0 {
		return remote
	}
	return remote[:i] + renameIdents(remote[i:], m)
}

// replacePrefixName replaces the table name old at the start of s by nn.
func replacePrefixName(s string, old, nn schema.QualifiedName) string {
	if old == nn {
		return s
	}
	if rest, ok := strings.CutPrefix(s, old.String()); ok && (rest == "" || rest[0] == ' ' || rest[0] == '(') {
		return nn.String() + rest
	}
	return s
}

func renamed(m map[string]string, name string) string {
	if to, ok := m[name]; ok {
		return to
	}
	return name
}

func renamedAll(m map[string]string, names []string) []string {
	if len(m) == 0 {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = renamed(m, n)
	}
	return out
}

// renameIdents renames the column references in the SQL text s: every
// identifier named in m that is not a function name, a qualifier, a type
// after :: or inside a string literal. It is a lexical approximation of
// what PostgreSQL does to stored expressions on RENAME COLUMN; a miss only
// costs a needless drop and re-create of the object.
func renameIdents(s string, m map[string]string) string {
	if len(m) == 0 || s == "" {
		return s
	}
	var b strings.Builder
	prev := byte(0) // last non-space byte written
	i := 0
	emit := func(raw, ident string, end int) {
		next := byte(0)
		for j := end; j < len(s); j++ {
			if s[j] != ' ' {
				next = s[j]
				break
			}
		}
		if to, ok := m[ident]; ok && prev != '.' && prev != ':' && next != '(' && next != '.' {
			b.WriteString(schema.QuoteIdent(to))
		} else {
			b.WriteString(raw)
		}
		prev = 'a'
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\'':
			j := i + 1
			for j < len(s) {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			b.WriteString(s[i:j])
			prev, i = '\'', j
		case c == '"':
			j := i + 1
			var name strings.Builder
			for j < len(s) {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						name.WriteByte('"')
						j += 2
						continue
					}
					j++
					break
				}
				name.WriteByte(s[j])
				j++
			}
			emit(s[i:j], name.String(), j)
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (sqltext.IsIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			b.WriteString(s[i:j])
			prev, i = '0', j
		case sqltext.IsIdentByte(c) && c != '$':
			j := i
			for j < len(s) && sqltext.IsIdentByte(s[j]) {
				j++
			}
			emit(s[i:j], s[i:j], j)
			i = j
		default:
			b.WriteByte(c)
			if c != ' ' {
				prev = c
			}
			i++
		}
	}
	return b.String()
}

// suggestRenames finds drops and adds that look like renames: a column that
// disappears while one with the same definition appears in the same table,
// and a table that disappears while one with the same columns appears.
//
// fromTables and toTables are the sorted names of from's and to's tables;
// same reports whether two tables have the same body (see sameBody).
func suggestRenames(from, to *schema.Catalog, fromTables, toTables []schema.QualifiedName, same func(f, t *schema.Table) bool) []Rename {
	var out []Rename
	// Tables, keyed by a signature of their columns. Equal signatures need
	// equal column names, so a signature (which formats every column) is
	// only made for a table whose column names some table on the other
	// side has too.
	var addedTables, droppedTables []schema.QualifiedName
	for _, n := range toTables {
		if from.Tables[n] == nil {
			addedTables = append(addedTables, n)
		}
	}
	for _, n := range fromTables {
		if to.Tables[n] == nil {
			droppedTables = append(droppedTables, n)
		}
	}
	addedNames, droppedNames := map[string]bool{}, map[string]bool{}
	for _, n := range addedTables {
		addedNames[columnNames(to.Tables[n])] = true
	}
	for _, n := range droppedTables {
		droppedNames[columnNames(from.Tables[n])] = true
	}
	added := map[string][]schema.QualifiedName{}
	for _, n := range addedTables {
		if droppedNames[columnNames(to.Tables[n])] {
			sig := tableSignature(to.Tables[n])
			added[sig] = append(added[sig], n)
		}
	}
	for _, n := range droppedTables {
		if !addedNames[columnNames(from.Tables[n])] {
			continue
		}
		sig := tableSignature(from.Tables[n])
		cands := added[sig]
		for i, c := range cands {
			if c.Schema == n.Schema {
				out = append(out, Rename{Kind: TableRename, Table: n, From: n.Name, To: c.Name})
				added[sig] = slices.Delete(slices.Clone(cands), i, i+1)
				break
			}
		}
	}
	for _, n := range toTables {
		ft, tt := from.Tables[n], to.Tables[n]
		if ft == nil || same(ft, tt) {
			continue // no column gained
		}
		fcols, tcols := columnMap(ft), columnMap(tt)
		var gained []*schema.Column
		for _, c := range tt.Columns {
			if fcols[c.Name] == nil {
				gained = append(gained, c)
			}
		}
		if len(gained) == 0 {
			continue
		}
		for _, c := range ft.Columns {
			if tcols[c.Name] != nil {
				continue
			}
			for i, g := range gained {
				if g != nil && sameShape(c.ColumnDef, g.ColumnDef) {
					out = append(out, Rename{Kind: ColumnRename, Table: n, From: c.Name, To: g.Name})
					gained[i] = nil
					break
				}
			}
		}
	}
	return out
}

// sameShape compares what a rename keeps: type, nullability, default.
func sameShape(a, b schema.ColumnDef) bool {
	a.Comment, b.Comment = "", ""
	a.Statistics, b.Statistics = "", ""
	return a == b
}

// columnNames is the sorted column names of t, a key that tables with the
// same tableSignature share.
func columnNames(t *schema.Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	slices.Sort(names)
	return strings.Join(names, "\x00")
}

func tableSignature(t *schema.Table) string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		d := c.ColumnDef
		d.Comment, d.Statistics = "", ""
		// A serial column's sequence is named after its table: tables
		// that differ only by name have the same serial columns.
		if d.Default == nextvalText(schema.QualifiedName{Schema: t.Name.Schema, Name: t.Name.Name + "_" + c.Name + "_seq"}) {
			d.Default = "nextval(serial)"
		}
		cols[i] = fmt.Sprintf("%q %#v", c.Name, d)
	}
	slices.Sort(cols)
	return strings.Join(cols, "\n")
}
