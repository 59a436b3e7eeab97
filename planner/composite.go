package planner

import (
	"fmt"
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// CreateComposite creates a composite type.
type CreateComposite struct {
	Base
	Type *schema.CompositeType
}

// DropComposite drops a composite type; the columns of its type were
// dropped or converted by earlier steps.
type DropComposite struct {
	Base
	Name schema.QualifiedName
}

func (c *DropComposite) dropped() schema.Object {
	return schema.Object{Kind: schema.KindType, Name: c.Name}
}

// AddAttribute appends an attribute to a composite type. Cascade, set
// when typed tables of the type stay typed, makes it reach them (ALTER
// TYPE ... CASCADE, which PostgreSQL requires then), as for the other
// attribute changes.
type AddAttribute struct {
	Base
	Type      schema.QualifiedName
	Attribute schema.Attribute
	Cascade   bool
}

// DropAttribute drops an attribute of a composite type, and its values in
// every column of the type (and the column of its typed tables).
type DropAttribute struct {
	Base
	Type      schema.QualifiedName
	Attribute string
	Cascade   bool
}

// AlterAttributeType changes the type (and collation) of an attribute.
type AlterAttributeType struct {
	Base
	Type      schema.QualifiedName
	Attribute schema.Attribute
	Cascade   bool
}

// diffComposites creates, alters and drops composite types. They are
// created with the domains (after enums, before tables) and dropped after
// the tables and columns that used them.
func (s *planState) diffComposites() {
	// New types first, each after the types its attributes use; then the
	// kept ones change, and may take a new type as an attribute.
	for _, n := range compositeOrder(s.to.Composites) {
		if s.from.Composites[n] == nil {
			s.add(phCreateTypeLate, &CreateComposite{Type: s.to.Composites[n]})
		}
	}
	for _, n := range schema.SortedNames(s.to.Composites) {
		if fc := s.from.Composites[n]; fc != nil {
			s.alterComposite(fc, s.to.Composites[n])
		}
	}
	for _, n := range schema.SortedNames(s.to.Composites) {
		from := ""
		if fc := s.from.Composites[n]; fc != nil {
			from = fc.Comment
		}
		if to := s.to.Composites[n].Comment; to != from {
			s.add(phComment, &SetComment{Kind: schema.KindType, Name: n, Comment: to})
		}
	}
	for _, n := range slices.Backward(compositeOrder(s.from.Composites)) {
		if s.to.Composites[n] == nil {
			s.add(phDropType, &DropComposite{
				Base: hazard(HazardDropType, s.from.Composites[n].Pos, fmt.Sprintf("drops composite type %s", n)),
				Name: n,
			})
		}
	}
}

// alterComposite turns f's attributes into t's. Attributes are matched by
// name; since ADD ATTRIBUTE can only append, an attribute that moves is
// dropped and added again (its values are lost, as the hazard says), and
// so is one whose type changes while a column has the composite type.
func (s *planState) alterComposite(f, t *schema.CompositeType) {
	n := t.Name
	// kept is the longest prefix of t's attributes that appears in f in
	// the same order; the other attributes of f are dropped, and the rest
	// of t's added after the kept ones.
	kept := map[string]bool{}
	j := 0
	for _, a := range t.Attributes {
		k := j
		for k < len(f.Attributes) && f.Attributes[k].Name != a.Name {
			k++
		}
		if k == len(f.Attributes) {
			break
		}
		kept[a.Name] = true
		j = k + 1
	}
	fAttr := map[string]schema.Attribute{}
	for _, a := range f.Attributes {
		fAttr[a.Name] = a
	}
	if s.compositeUsed(n) {
		// ALTER ATTRIBUTE ... TYPE fails while a column has the type: the
		// attribute is dropped and added again instead.
		for i, a := range t.Attributes {
			if kept[a.Name] && fAttr[a.Name] != a {
				// This attribute and every one after it go to the end.
				for _, b := range t.Attributes[i:] {
					kept[b.Name] = false
				}
				break
			}
		}
	}
	cascade := s.keptTyped(n)
	tables := ""
	if cascade {
		tables = ", and the column of its typed tables"
	}
	for _, a := range f.Attributes {
		if !kept[a.Name] {
			s.add(phCreateTypeLate, &DropAttribute{
				Base: hazard(HazardDropColumn, t.Pos, fmt.Sprintf("drops attribute %s of composite type %s and its values in every column of the type%s", schema.QuoteIdent(a.Name), n, tables)),
				Type: n, Attribute: a.Name, Cascade: cascade,
			})
		}
	}
	for _, a := range t.Attributes {
		if kept[a.Name] && fAttr[a.Name] != a {
			s.add(phCreateTypeLate, &AlterAttributeType{Type: n, Attribute: a, Cascade: cascade})
		}
	}
	// The attributes after the kept prefix are appended in order.
	for _, a := range t.Attributes {
		if !kept[a.Name] {
			s.add(phCreateTypeLate, &AddAttribute{Type: n, Attribute: a, Cascade: cascade})
		}
	}
}

// keptTyped reports whether a table is a typed table of composite type n
// on both sides: its columns follow the type's changes (SetOfType
// detaches the others before them).
func (s *planState) keptTyped(n schema.QualifiedName) bool {
	for _, tn := range s.fromTables() {
		if tt := s.to.Tables[tn]; tt != nil && s.from.Tables[tn].Options.OfType == n && tt.Options.OfType == n {
			return true
		}
	}
	return false
}

// followType is f, a typed table kept typed of the same type as t, as
// the type's changes (ALTER TYPE ... CASCADE) leave it: t's columns, each
// with f's own NOT NULL, default and comment where f has it. The table's
// own steps then change only those.
func followType(f, t *schema.Table) *schema.Table {
	cp := *f
	cp.Columns = nil
	for _, c := range t.Columns {
		nc := &schema.Column{Name: c.Name, Pos: c.Pos}
		if fc := f.Column(c.Name); fc != nil {
			*nc = *fc
		}
		nc.Type, nc.Collation = c.Type, c.Collation
		cp.Columns = append(cp.Columns, nc)
	}
	return &cp
}

// compositeUsed reports whether a column of from has composite type n.
func (s *planState) compositeUsed(n schema.QualifiedName) bool {
	for _, tn := range s.fromTables() {
		for _, c := range s.from.Tables[tn].Columns {
			if c.Type.Schema == n.Schema && c.Type.Name == n.Name {
				return true
			}
		}
	}
	return false
}

// compositeOrder returns the names of m so that a type comes after the
// types of m its attributes use (PostgreSQL needs them to exist, and
// refuses to drop them while used); ties in name order.
func compositeOrder(m map[schema.QualifiedName]*schema.CompositeType) []schema.QualifiedName {
	var out []schema.QualifiedName
	seen := map[schema.QualifiedName]bool{}
	var visit func(n schema.QualifiedName)
	visit = func(n schema.QualifiedName) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, a := range m[n].Attributes {
			if at := (schema.QualifiedName{Schema: a.Type.Schema, Name: a.Type.Name}); a.Type.Schema != "" && m[at] != nil {
				visit(at)
			}
		}
		out = append(out, n)
	}
	for _, n := range schema.SortedNames(m) {
		visit(n)
	}
	return out
}

func init() {
	registerKind("composite type", kindPlanner{diff: (*planState).diffComposites, stage: stageTypes, order: 30, createdLate: true})
}
