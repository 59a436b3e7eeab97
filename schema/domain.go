package schema

// Domain is a type created with CREATE DOMAIN: a base type with a default,
// NOT NULL and named CHECK constraints that every column of the domain
// type obeys. Columns of a domain type carry it as a user type (TypeName
// with Schema set).
type Domain struct {
	Name QualifiedName
	DomainDef
	// Constraints are the domain's CHECK constraints in name order (the
	// parser names unnamed ones as PostgreSQL does: domain_check,
	// domain_check1, ...).
	Constraints []*DomainConstraint
	// DefaultSrc is the default as the user wrote it, which migrations
	// write, when Default, compared, is normalized; "" when Default is
	// both. Not compared (see Column.DefaultSrc).
	DefaultSrc string
	Comment    string
	Pos        Pos
}

// DefaultSQL is the text migrations write for the domain's default.
func (d *Domain) DefaultSQL() string {
	if d.DefaultSrc != "" {
		return d.DefaultSrc
	}
	return d.Default
}

// DomainDef is what is compared about a domain apart from its constraints
// and comment.
type DomainDef struct {
	Type TypeName
	// Collation is the explicit COLLATE clause as SQL ("" for the base
	// type's).
	Collation string
	// Default is the DEFAULT expression as canonical SQL text; "" for none.
	Default string
	NotNull bool
}

// Constraint returns the constraint named name, or nil.
func (d *Domain) Constraint(name string) *DomainConstraint {
	for _, c := range d.Constraints {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// DomainConstraint is a CHECK constraint of a domain.
type DomainConstraint struct {
	Name string
	// Def is the canonical definition that follows "CONSTRAINT name", e.g.
	// "CHECK (VALUE > 0)".
	Def string
	// NotValid is true for a constraint added NOT VALID and not validated
	// since.
	NotValid bool
	// Src is the definition as the user wrote it, which migrations write,
	// when Def is normalized; "" when Def is both (see Constraint.Src).
	Src string
	Pos Pos
}

// SQL is the text migrations write after "CONSTRAINT name".
func (c *DomainConstraint) SQL() string {
	if c.Src != "" {
		return c.Src
	}
	return c.Def
}

func init() {
	k := qualifiedSet("domain", KindDomain, func(c *Catalog) map[QualifiedName]*Domain { return c.Domains },
		func(d *Domain) *string { return &d.Comment }, true)
	k.Init = func(c *Catalog) { c.Domains = map[QualifiedName]*Domain{} }
	Register(k)
}
