package planner

import "github.com/ddlmig/ddlmig/schema"

// diffComments sets the comment of every object of to whose comment differs
// from the one it has after the earlier steps: an object that is created or
// re-created starts without one.
func (s *planState) diffComments() {
	set := func(kind schema.Kind, name schema.QualifiedName, sub, from, to string) {
		if from != to {
			s.add(phComment, &SetComment{Kind: kind, Name: name, Sub: sub, Comment: to})
		}
	}
	for _, n := range schema.SortedKeys(s.to.Schemas) {
		from := ""
		if f := s.from.Schemas[n]; f != nil {
			from = f.Comment
		}
		set(schema.KindSchema, schema.QualifiedName{Name: n}, "", from, s.to.Schemas[n].Comment)
	}
	for _, n := range schema.SortedKeys(s.to.Extensions) {
		// CREATE EXTENSION gives it its control file's comment.
		from := schema.DefaultExtensionComment(n)
		if f := s.from.Extensions[n]; f != nil {
			from = f.Comment
		}
		set(schema.KindExtension, schema.QualifiedName{Name: n}, "", from, s.to.Extensions[n].Comment)
	}
	for _, n := range schema.SortedNames(s.to.Enums) {
		from := ""
		if f := s.from.Enums[n]; f != nil {
			from = f.Comment
		}
		set(schema.KindType, n, "", from, s.to.Enums[n].Comment)
	}
	for _, n := range schema.SortedNames(s.to.Sequences) {
		from := ""
		if f := s.from.Sequences[n]; f != nil {
			from = f.Comment
		}
		set(schema.KindSequence, n, "", from, s.to.Sequences[n].Comment)
	}
	for _, n := range s.toTables() {
		tt, ft := s.to.Tables[n], s.from.Tables[n]
		// The column and the constraint of ft named like those of tt. An
		// unchanged table (sameBody) pairs them by position, without maps.
		fcol := func(int, string) *schema.Column { return nil }
		fcon := func(int, string) *schema.Constraint { return nil }
		from := ""
		switch {
		case ft == nil:
		case s.same(ft, tt):
			from = ft.Comment
			fcol = func(i int, _ string) *schema.Column { return ft.Columns[i] }
			fcon = func(i int, _ string) *schema.Constraint { return ft.Constraints[i] }
		default:
			from = ft.Comment
			fcols, fcons := columnMap(ft), constraintMap(ft)
			fcol = func(_ int, name string) *schema.Column { return fcols[name] }
			fcon = func(_ int, name string) *schema.Constraint { return fcons[name] }
		}
		set(tt.Kind(), n, "", from, tt.Comment)
		for i, c := range tt.Columns {
			from := ""
			if f := fcol(i, c.Name); f != nil && !s.recreatedCol[conKey{n, c.Name}] {
				from = f.Comment
			}
			set(schema.KindColumn, n, c.Name, from, c.Comment)
		}
		for i, c := range tt.Constraints {
			from := ""
			if k := (conKey{n, c.Name}); !s.recreatedCon[k] {
				if f := fcon(i, c.Name); f != nil {
					from = f.Comment
				} else if f := s.conRenamed[k]; f != nil {
					from = f.Comment
				}
			}
			set(schema.KindConstraint, n, c.Name, from, c.Comment)
		}
	}
	for _, n := range s.toIndexes() {
		from := ""
		if f := s.from.Indexes[n]; f != nil && !s.recreatedIdx[n] {
			from = f.Comment
		} else if f := s.idxRenamed[n]; f != nil {
			from = f.Comment
		}
		set(schema.KindIndex, n, "", from, s.to.Indexes[n].Comment)
	}
}
