package schema

import (
	"slices"
	"strings"
)

// ForeignData holds the objects that let a database read another: foreign
// data wrappers (CREATE FOREIGN DATA WRAPPER; those an extension creates,
// such as postgres_fdw's, belong to it), servers (CREATE SERVER) and user
// mappings (CREATE USER MAPPING). None lives in a schema.
type ForeignData struct {
	Wrappers map[string]*ForeignDataWrapper
	Servers  map[string]*ForeignServer
	// Mappings are keyed by UserMapping.Key.
	Mappings map[string]*UserMapping
}

// ForeignOption is one OPTIONS (name 'value') item; Value is the quoted
// literal.
type ForeignOption struct {
	Name, Value string
}

// ForeignOptions are an object's OPTIONS, kept in name order: PostgreSQL
// keeps them in the order they were added, which says nothing about the
// object, so the order is not compared.
type ForeignOptions []ForeignOption

// Set sets (or adds) option name; Drop removes it.
func (o *ForeignOptions) Set(name, value string) {
	o.Drop(name)
	*o = append(*o, ForeignOption{name, value})
	slices.SortFunc(*o, func(a, b ForeignOption) int { return strings.Compare(a.Name, b.Name) })
}

// Drop removes option name.
func (o *ForeignOptions) Drop(name string) {
	*o = slices.DeleteFunc(*o, func(x ForeignOption) bool { return x.Name == name })
}

// Get returns the value of option name.
func (o ForeignOptions) Get(name string) (string, bool) {
	for _, x := range o {
		if x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

// SQL is the list as OPTIONS (...) takes it: "host 'db', port '5432'".
// It is for migrations only, never for messages: a user mapping's
// options hold passwords.
func (o ForeignOptions) SQL() string {
	parts := make([]string, len(o))
	for i, x := range o {
		parts[i] = QuoteIdent(x.Name) + " " + x.Value
	}
	return strings.Join(parts, ", ")
}

// ForeignDataWrapper is CREATE FOREIGN DATA WRAPPER's wrapper.
type ForeignDataWrapper struct {
	Name string
	// Handler and Validator are the functions' qualified names; "" for
	// none.
	Handler, Validator QualifiedName
	Options            ForeignOptions
	Comment            string
	Pos                Pos
}

// Object is the wrapper as owners and comments name it.
func (w *ForeignDataWrapper) Object() Object {
	return Object{Kind: KindForeignDataWrapper, Name: QualifiedName{Name: w.Name}}
}

// ForeignServer is CREATE SERVER's server.
type ForeignServer struct {
	Name string
	// Wrapper is its foreign data wrapper; Type and Version are the
	// quoted literals of TYPE and VERSION, "" for none.
	Wrapper, Type, Version string
	Options                ForeignOptions
	Comment                string
	Pos                    Pos
}

// Object is the server as owners and comments name it.
func (s *ForeignServer) Object() Object {
	return Object{Kind: KindServer, Name: QualifiedName{Name: s.Name}}
}

// UserMapping is CREATE USER MAPPING's mapping of a role (or PUBLIC) to
// a server. Its options often hold a password: messages name the mapping
// (Name), never its options.
type UserMapping struct {
	// User is the role name, or PUBLIC.
	User    string
	Server  string
	Options ForeignOptions
	Pos     Pos
}

// Key is what ForeignData.Mappings keys m by: "user@server".
func (m *UserMapping) Key() string { return m.User + "@" + m.Server }

// Name is the mapping as SQL names it: FOR user SERVER server.
func (m *UserMapping) Name() string {
	u := m.User
	if u != PublicGrantee {
		u = QuoteIdent(u)
	}
	return "FOR " + u + " SERVER " + QuoteIdent(m.Server)
}

func init() {
	Register(KindInfo{
		Noun:  "foreign data wrapper",
		Kinds: []Kind{KindForeignDataWrapper},
		Init: func(c *Catalog) {
			c.Foreign = ForeignData{Wrappers: map[string]*ForeignDataWrapper{}, Servers: map[string]*ForeignServer{}, Mappings: map[string]*UserMapping{}}
		},
		Has: func(c *Catalog, o Object) bool { return c.Foreign.Wrappers[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if w := c.Foreign.Wrappers[o.Name.Name]; w != nil {
				return &w.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Foreign.Wrappers, o.Name.Name) },
	})
	Register(KindInfo{
		Noun:  "foreign server",
		Kinds: []Kind{KindServer},
		Has:   func(c *Catalog, o Object) bool { return c.Foreign.Servers[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if s := c.Foreign.Servers[o.Name.Name]; s != nil {
				return &s.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Foreign.Servers, o.Name.Name) },
	})
}
