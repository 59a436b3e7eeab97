package schema

// CompositeType is a type created with CREATE TYPE name AS (...): a row
// of named attributes, usable as a column type.
type CompositeType struct {
	Name QualifiedName
	// Attributes in declaration order, which is the order of the row's
	// fields and is compared.
	Attributes []Attribute
	Comment    string
	Pos        Pos
}

// Attribute is one field of a composite type. It is comparable.
type Attribute struct {
	Name string
	Type TypeName
	// Collation is the explicit COLLATE clause as SQL; "" for the type's.
	Collation string
}

func init() {
	k := qualifiedSet("composite type", KindType, func(c *Catalog) map[QualifiedName]*CompositeType { return c.Composites },
		func(t *CompositeType) *string { return &t.Comment }, true)
	k.Init = func(c *Catalog) { c.Composites = map[QualifiedName]*CompositeType{} }
	Register(k)
}
