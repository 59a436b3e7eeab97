package schema

// Collation is a collation created with CREATE COLLATION.
type Collation struct {
	Name QualifiedName
	// Def is the canonical option list that follows the name in CREATE
	// COLLATION, without parentheses, in a fixed order with defaults left
	// out, e.g. "provider = icu, locale = 'und-u-ks-level2', deterministic
	// = false".
	Def     string
	Comment string
	Pos     Pos
}

func init() {
	k := qualifiedSet("collation", KindCollation, func(c *Catalog) map[QualifiedName]*Collation { return c.Collations },
		func(co *Collation) *string { return &co.Comment }, false)
	k.Init = func(c *Catalog) { c.Collations = map[QualifiedName]*Collation{} }
	Register(k)
}
