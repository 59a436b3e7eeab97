package schema

// Opaque is an object of a kind ddlmig does not model (CREATE CONVERSION,
// ACCESS METHOD, LANGUAGE, TRANSFORM, TEXT SEARCH PARSER or TEMPLATE,
// ...), carried as its statement so that such a statement neither blocks a
// schema file nor is lost: it is created when it appears, dropped when it
// disappears and dropped and created again when its statement changes,
// each flagged for review. Catalog.Opaque keys it by Key.
type Opaque struct {
	// Key is its identity as DROP and COMMENT ON name it, derived from the
	// parse tree with its own name qualified: "CONVERSION public.c",
	// "LANGUAGE plx", "TRANSFORM FOR public.t LANGUAGE plx".
	Key string
	// Schema is the schema it lives in; "" for an object outside schemas
	// (a language, an access method).
	Schema string
	// Kind names its statement for messages ("CREATE CONVERSION").
	Kind string
	// Stmt is the user's CREATE statement deparsed from its own parse
	// tree, its own name qualified: what a migration runs. Not compared.
	Stmt string
	OpaqueDef
	// Seq is its place among the opaque statements folded into the
	// catalog: they are created in file order and dropped in reverse.
	// Not compared.
	Seq int
	// Funcs are the functions its statement names (a language's handler,
	// a template's lexize...) as written, Schema "" when unqualified, so
	// that the user's ones are created before it and dropped after it.
	// Derived; not compared.
	Funcs []QualifiedName
	Pos   Pos
}

// OpaqueDef is what is compared about an opaque object.
type OpaqueDef struct {
	// Norm is Stmt normalized for comparing, so that the same object
	// written differently is no change: the functions it names without
	// the schema that the search path finds them in, the options of a
	// text search parser or template sorted. Any other change re-creates
	// the object.
	Norm    string
	Comment string
	// Owner is the role ALTER ... OWNER TO gave it; "" when none did.
	Owner string
}

// Object is the opaque object as DROP SCHEMA finds it: its Key as the name.
func (o *Opaque) Object() Object {
	return Object{Kind: KindOpaque, Name: QualifiedName{Schema: o.Schema, Name: o.Key}}
}

func init() {
	Register(KindInfo{
		Noun:  "opaque object",
		Kinds: []Kind{KindOpaque},
		Init:  func(c *Catalog) { c.Opaque = map[string]*Opaque{} },
		InSchema: func(c *Catalog, ns string) []Object {
			var out []Object
			for _, k := range SortedKeys(c.Opaque) {
				if o := c.Opaque[k]; o.Schema == ns {
					out = append(out, o.Object())
				}
			}
			return out
		},
		Has: func(c *Catalog, o Object) bool { return c.Opaque[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if op := c.Opaque[o.Name.Name]; op != nil {
				return &op.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Opaque, o.Name.Name) },
	})
}
