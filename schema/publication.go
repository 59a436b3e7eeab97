package schema

import (
	"slices"
	"strings"
)

// Publication is a set of tables whose changes logical replication sends,
// created with CREATE PUBLICATION. Its name is unqualified;
// Catalog.Publications keys it by that name.
type Publication struct {
	Name string
	PublicationDef
	// Stmt is the user's CREATE PUBLICATION, deparsed from its own parse
	// tree with table names qualified: what a migration runs when the
	// statement names everything the publication holds. Not compared.
	Stmt string
	Pos  Pos
}

// PublicationDef is what is compared about a publication.
type PublicationDef struct {
	// AllTables is FOR ALL TABLES, which PostgreSQL cannot alter.
	AllTables bool
	// Tables are the tables it publishes, in name order; Schemas the
	// schemas of FOR TABLES IN SCHEMA, sorted.
	Tables  []PublishedTable
	Schemas []string
	// Options is the canonical WITH list with every option spelled out,
	// defaults included: what ALTER PUBLICATION ... SET (...) takes.
	Options string
	Comment string
}

// PublishedTable is one table of a publication.
type PublishedTable struct {
	Table QualifiedName
	// SQL is the table as FOR TABLE and SET TABLE take it, deparsed from
	// the user's tree: name qualified, then its column list and row filter.
	SQL string
}

// SameObjects reports whether p and q publish the same tables (with the
// same columns and filters) and schemas.
func (p *PublicationDef) SameObjects(q *PublicationDef) bool {
	return p.AllTables == q.AllTables && slices.Equal(p.Tables, q.Tables) && slices.Equal(p.Schemas, q.Schemas)
}

// Object is the publication as owners and comments name it.
func (p *Publication) Object() Object {
	return Object{Kind: KindPublication, Name: QualifiedName{Name: p.Name}}
}

func init() {
	Register(KindInfo{
		Noun:  "publication",
		Kinds: []Kind{KindPublication},
		Init:  func(c *Catalog) { c.Publications = map[string]*Publication{} },
		Has:   func(c *Catalog, o Object) bool { return c.Publications[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if p := c.Publications[o.Name.Name]; p != nil {
				return &p.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Publications, o.Name.Name) },
	})
}

// PublicationObjects is what FOR and SET take after them for p's tables
// and schemas: "TABLE public.a, TABLE public.b (x) WHERE (x > 0), TABLES
// IN SCHEMA s"; "" when it has none.
func PublicationObjects(p *PublicationDef) string {
	var parts []string
	for _, t := range p.Tables {
		parts = append(parts, "TABLE "+t.SQL)
	}
	for _, s := range p.Schemas {
		parts = append(parts, "TABLES IN SCHEMA "+QuoteIdent(s))
	}
	return strings.Join(parts, ", ")
}
