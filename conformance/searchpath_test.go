package conformance

import (
	"strings"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// session is how sqldef's harness runs a case with a "user" note: as that
// role, in a database where it owns schema foo, with search_path foo,
// public, so that unqualified names land in foo.
type session struct {
	role   string
	schema string   // created before the schemas load, owned by role
	path   []string // search_path
}

// sessionFor returns the session of a case run as user, or nil for "".
func sessionFor(user string) *session {
	if user == "" {
		return nil
	}
	return &session{role: user, schema: "foo", path: []string{"foo", "public"}}
}

// newCatalog is the catalog a schema file starts from: an empty database
// plus the schema the harness creates.
func (s *session) newCatalog() *schema.Catalog {
	cat := schema.New()
	if s != nil {
		cat.Schemas[s.schema] = &schema.Namespace{Name: s.schema}
	}
	return cat
}

// parse parses a schema file as the session would load it.
func (s *session) parse(name, src string) (*schema.Catalog, error) {
	cat := s.newCatalog()
	opts := parser.Options{}
	if s != nil {
		opts.SearchPath = s.path
	}
	_, err := parser.Parse(cat, name, []byte(src), opts)
	return cat, err
}

// wrap prefixes a script with the session's settings; with create, it
// also creates the session's schema (for the scripts that load a schema
// into a fresh database).
func (s *session) wrap(script string, create bool) string {
	if s == nil {
		return script
	}
	var b strings.Builder
	if create {
		b.WriteString("CREATE SCHEMA " + quoteIdent(s.schema) + " AUTHORIZATION " + quoteIdent(s.role) + ";\n")
	}
	b.WriteString("SET ROLE " + quoteIdent(s.role) + ";\n")
	quoted := make([]string, len(s.path))
	for i, p := range s.path {
		quoted[i] = quoteIdent(p)
	}
	b.WriteString("SET search_path = " + strings.Join(quoted, ", ") + ";\n")
	return b.String() + script
}
