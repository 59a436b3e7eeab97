package schema

// A foreign table (CREATE FOREIGN TABLE) is a Table whose Options.Server
// is set: PostgreSQL keeps it in pg_class beside the other relations,
// with columns, defaults, NOT NULL and CHECK constraints, and views,
// grants and owners treat it as one. Only its rows live elsewhere, read
// through its server's wrapper with its and its columns' OPTIONS.

// IsForeign reports whether t is a foreign table.
func (t *Table) IsForeign() bool { return t.Options.Server != "" }

// Kind is how COMMENT ON and DROP name t: TABLE or FOREIGN TABLE.
func (t *Table) Kind() Kind {
	if t.IsForeign() {
		return KindForeignTable
	}
	return KindTable
}

// foreignTable returns the foreign table o names, or nil.
func (c *Catalog) foreignTable(o Object) *Table {
	if t := c.Tables[o.Name]; t != nil && t.IsForeign() {
		return t
	}
	return nil
}

func init() {
	// The tables set holds them; this one answers for the kind COMMENT ON
	// FOREIGN TABLE names.
	Register(KindInfo{
		Noun:  "foreign table",
		Kinds: []Kind{KindForeignTable},
		Has:   func(c *Catalog, o Object) bool { return c.foreignTable(o) != nil },
		Comment: func(c *Catalog, o Object) *string {
			if t := c.foreignTable(o); t != nil {
				return &t.Comment
			}
			return nil
		},
	})
}
