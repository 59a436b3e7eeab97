package planner

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// CreateDomain creates a domain with its default, NOT NULL and the
// constraints that are valid; constraints kept NOT VALID follow as
// AddDomainConstraint.
type CreateDomain struct {
	Base
	Domain *schema.Domain
	// Constraints are the constraints declared inline.
	Constraints []*schema.DomainConstraint
}

// DropDomain drops a domain; the columns of its type were dropped or
// converted by earlier steps.
type DropDomain struct {
	Base
	Name schema.QualifiedName
}

func (c *DropDomain) dropped() schema.Object {
	return schema.Object{Kind: schema.KindDomain, Name: c.Name}
}

// SetDomainDefault sets a domain's default; an empty Default drops it.
type SetDomainDefault struct {
	Base
	Name    schema.QualifiedName
	Default string
}

// SetDomainNotNull sets or drops a domain's NOT NULL.
type SetDomainNotNull struct {
	Base
	Name    schema.QualifiedName
	NotNull bool
}

// AddDomainConstraint adds a CHECK constraint to an existing domain.
type AddDomainConstraint struct {
	Base
	Name       schema.QualifiedName
	Constraint *schema.DomainConstraint
}

// DropDomainConstraint drops a constraint of a domain.
type DropDomainConstraint struct {
	Base
	Name       schema.QualifiedName
	Constraint string
}

// ValidateDomainConstraint validates a domain constraint added NOT VALID.
type ValidateDomainConstraint struct {
	Base
	Name       schema.QualifiedName
	Constraint string
}

// RenameDomainConstraint renames a domain constraint: a constraint that
// disappears while one with the same definition appears is renamed rather
// than checked again against every column of the domain type.
type RenameDomainConstraint struct {
	Base
	Name     schema.QualifiedName
	From, To string
}

// domainOrder returns the names of m so that a domain over another domain
// of m comes after it.
func domainOrder(m map[schema.QualifiedName]*schema.Domain) []schema.QualifiedName {
	var out []schema.QualifiedName
	seen := map[schema.QualifiedName]bool{}
	var visit func(n schema.QualifiedName)
	visit = func(n schema.QualifiedName) {
		if seen[n] {
			return
		}
		seen[n] = true
		d := m[n]
		if base := (schema.QualifiedName{Schema: d.Type.Schema, Name: d.Type.Name}); d.Type.Schema != "" && m[base] != nil {
			visit(base)
		}
		out = append(out, n)
	}
	for _, n := range schema.SortedNames(m) {
		visit(n)
	}
	return out
}

func (s *planState) diffDomains() {
	for _, n := range domainOrder(s.to.Domains) {
		td, fd := s.to.Domains[n], s.from.Domains[n]
		if fd == nil {
			s.createDomain(td)
			continue
		}
		if fd.Type != td.Type || fd.Collation != td.Collation {
			s.irreversible(fmt.Sprintf("domain %s: its base type or collation changes, and PostgreSQL cannot alter either in place", n))
			continue
		}
		s.alterDomain(fd, td)
	}
	for _, n := range schema.SortedNames(s.to.Domains) {
		var from string
		if fd := s.from.Domains[n]; fd != nil {
			from = fd.Comment
		}
		if to := s.to.Domains[n].Comment; to != from {
			s.add(phComment, &SetComment{Kind: schema.KindDomain, Name: n, Comment: to})
		}
	}
	order := domainOrder(s.from.Domains)
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		if s.to.Domains[n] == nil {
			s.add(phDropType, &DropDomain{
				Base: hazard(HazardDropType, s.from.Domains[n].Pos, fmt.Sprintf("drops domain %s", n)),
				Name: n,
			})
		}
	}
}

func (s *planState) createDomain(d *schema.Domain) {
	c := &CreateDomain{Domain: d}
	if strings.Contains(d.Default, "nextval(") {
		// Domains come before sequences (phCreateSequence), so a
		// default that calls nextval is set once they exist.
		bare := *d
		bare.Default, bare.DefaultSrc = "", ""
		c.Domain = &bare
		s.add(phCreateFunction, &SetDomainDefault{Name: d.Name, Default: d.DefaultSQL()})
	}
	var later []Change
	for _, con := range d.Constraints {
		if con.NotValid {
			// Only a separate ADD keeps a constraint NOT VALID.
			later = append(later, &AddDomainConstraint{Name: d.Name, Constraint: con})
			continue
		}
		c.Constraints = append(c.Constraints, con)
	}
	s.add(phCreateTypeLate, c)
	for _, l := range later {
		s.add(phCreateTypeLate, l)
	}
}

// alterDomain turns domain f into t (same base type and collation).
func (s *planState) alterDomain(f, t *schema.Domain) {
	n := t.Name
	if f.Default != t.Default {
		s.add(phCreateTypeLate, &SetDomainDefault{Name: n, Default: t.DefaultSQL()})
	}
	switch {
	case t.NotNull && !f.NotNull:
		s.add(phCreateTypeLate, &SetDomainNotNull{
			Base: hazard(HazardSetNotNull, t.Pos, fmt.Sprintf("sets NOT NULL on domain %s, which scans every column of the domain type and fails if one holds NULL", n)),
			Name: n, NotNull: true,
		})
	case !t.NotNull && f.NotNull:
		s.add(phCreateTypeLate, &SetDomainNotNull{Name: n})
	}
	tcons := map[string]*schema.DomainConstraint{}
	for _, c := range t.Constraints {
		tcons[c.Name] = c
	}
	fcons := map[string]*schema.DomainConstraint{}
	for _, c := range f.Constraints {
		fcons[c.Name] = c
	}
	// A constraint that only changed its name is renamed.
	gone := map[string][]*schema.DomainConstraint{}
	for _, c := range f.Constraints {
		if tcons[c.Name] == nil {
			k := fmt.Sprintf("%t %s", c.NotValid, c.Def)
			gone[k] = append(gone[k], c)
		}
	}
	renamedTo := map[string]bool{}
	renamedFrom := map[string]bool{}
	for _, c := range t.Constraints {
		if fcons[c.Name] != nil {
			continue
		}
		k := fmt.Sprintf("%t %s", c.NotValid, c.Def)
		if cands := gone[k]; len(cands) > 0 {
			gone[k] = cands[1:]
			renamedTo[c.Name], renamedFrom[cands[0].Name] = true, true
			s.add(phRename, &RenameDomainConstraint{Name: n, From: cands[0].Name, To: c.Name})
		}
	}
	for _, fc := range f.Constraints {
		tc := tcons[fc.Name]
		switch {
		case renamedFrom[fc.Name]:
		case tc == nil:
			s.add(phCreateTypeLate, &DropDomainConstraint{Name: n, Constraint: fc.Name})
		case tc.Def == fc.Def && tc.NotValid == fc.NotValid:
		case tc.Def == fc.Def && fc.NotValid:
			s.add(phCreateTypeLate, &ValidateDomainConstraint{Name: n, Constraint: fc.Name})
		default:
			s.add(phCreateTypeLate, &DropDomainConstraint{Name: n, Constraint: fc.Name})
			s.add(phCreateTypeLate, &AddDomainConstraint{Base: domainCheckHazard(n, tc), Name: n, Constraint: tc})
		}
	}
	for _, tc := range t.Constraints {
		if fcons[tc.Name] == nil && !renamedTo[tc.Name] {
			s.add(phCreateTypeLate, &AddDomainConstraint{Base: domainCheckHazard(n, tc), Name: n, Constraint: tc})
		}
	}
}

// domainCheckHazard is the hazard of adding check c to the existing domain
// n: unless it is NOT VALID, every column of the domain type is checked.
func domainCheckHazard(n schema.QualifiedName, c *schema.DomainConstraint) Base {
	if c.NotValid {
		return Base{}
	}
	return lockHazard(HazardAddCheckConstraint, c.Pos, fmt.Sprintf("adds check constraint %s on domain %s without NOT VALID, which checks every column of the domain type and fails on values that violate it", schema.QuoteIdent(c.Name), n))
}

func init() {
	registerKind("domain", kindPlanner{diff: (*planState).diffDomains, stage: stageTypes, order: 20, createdLate: true})
}
