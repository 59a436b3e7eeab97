package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Observer sees each statement of a migration around its fold. Package lint
// uses it to judge a statement by the schema it runs on (is the table new,
// what type does the column have now, how big is this type change) from
// the same parse and the same positions as the fold, instead of parsing the
// file a second time without knowing the schema.
//
// Before is called with the catalog as it is before the statement, After
// with the catalog the statement left and the error folding it gave. An
// observer must not change the catalog or the node. Statements carried as
// written (-- ddlmig:unmanaged) are observed too; SET search_path and
// statements on temporary tables are not. In a declarative file
// (Options.Migration false) a statement retried is observed each time.
type Observer interface {
	Before(st Statement, cat *schema.Catalog)
	After(st Statement, cat *schema.Catalog, err error)
}

// Statement is one top-level statement as the fold sees it.
type Statement struct {
	// Node is the statement's tree. Its relation and type names are
	// qualified with the schema the search path gives when that is not the
	// default, so an unqualified name is in schema.DefaultSchema.
	Node *pg_query.Node
	// Pos is the statement's first token.
	Pos schema.Pos
	// Text is the statement with the comments before it (where review
	// markers are) and without the semicolon that ends it.
	Text string
}

// observe calls the observer's Before and returns the function that calls
// its After, or nil when there is no observer.
func (f *folder) observe(st *stmt) func(error) {
	o := f.opts.Observer
	if o == nil {
		return nil
	}
	s := Statement{Node: st.node, Pos: st.pos, Text: f.src.text[st.start:st.end]}
	o.Before(s, f.cat)
	return func(err error) { o.After(s, f.cat, err) }
}
