package schema

// Cast is a cast between two types made with CREATE CAST. Catalog.Casts
// keys it by Key.
type Cast struct {
	// Key names it as DROP CAST and COMMENT ON CAST do, its types
	// resolved and qualified as ddlmig spells them: "(text AS public.t)".
	Key string
	CastDef
	// Func is the signature of the function it converts with, as
	// Catalog.Functions keys it ("" for WITHOUT FUNCTION, WITH INOUT, or
	// a built-in function): created before it, dropped after it.
	Func string
	Pos  Pos
}

// CastDef is what is compared about a cast.
type CastDef struct {
	// Stmt is the user's CREATE CAST deparsed from its own parse tree,
	// its types and function qualified: how it converts and in which
	// contexts (AS IMPLICIT, AS ASSIGNMENT), which PostgreSQL cannot
	// alter. What a migration runs.
	Stmt    string
	Comment string
}

// Object is the cast as comments name it.
func (c *Cast) Object() Object {
	return Object{Kind: KindCast, Name: QualifiedName{Name: c.Key}}
}

func init() {
	Register(KindInfo{
		Noun:  "cast",
		Kinds: []Kind{KindCast},
		Init:  func(c *Catalog) { c.Casts = map[string]*Cast{} },
		Has:   func(c *Catalog, o Object) bool { return c.Casts[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if ca := c.Casts[o.Name.Name]; ca != nil {
				return &ca.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Casts, o.Name.Name) },
	})
}
