package schema

import (
	"slices"
	"strings"
)

// TextSearch holds the text search dictionaries and configurations that
// CREATE TEXT SEARCH DICTIONARY and CONFIGURATION made. They are kept in
// one field so that the Catalog struct grows by one line per feature.
type TextSearch struct {
	Dicts   map[QualifiedName]*TSDictionary
	Configs map[QualifiedName]*TSConfiguration
}

// TSDictionary is a text search dictionary: a template and its options.
type TSDictionary struct {
	Name QualifiedName
	// Template is the template's qualified name ("pg_catalog.snowball").
	// PostgreSQL cannot change it in place.
	Template string
	// Options are the options as name = 'value' in name order, values
	// quoted as literals (pg_dump's dictinitoption spelling): ALTER TEXT
	// SEARCH DICTIONARY changes them in place.
	Options []string
	// BaseOptions are the options Stmt gives: a migration runs Stmt, then
	// changes them into Options (ALTER TEXT SEARCH DICTIONARY folded in).
	// Not compared.
	BaseOptions []string
	Comment     string
	// Stmt is the user's CREATE statement with the name qualified. Not
	// compared.
	Stmt string
	Pos  Pos
}

// TSConfiguration is a text search configuration: a parser and, for each
// of its token types, the dictionaries tried in order.
type TSConfiguration struct {
	Name QualifiedName
	// Parser is the parser's qualified name ("pg_catalog.default").
	Parser string
	// Mappings are the dictionaries (qualified names) by token type
	// alias: ALTER TEXT SEARCH CONFIGURATION ... MAPPING changes them in
	// place.
	Mappings map[string][]string
	// Base are the mappings that Stmt gives by itself (those of the
	// configuration COPY = names, none for PARSER =): a migration runs
	// Stmt, then changes Base into Mappings. Not compared.
	Base    map[string][]string
	Comment string
	// Stmt is the user's CREATE statement with the names qualified. Not
	// compared.
	Stmt string
	Pos  Pos
}

// Dicts returns the user dictionaries the configuration maps to: created
// before it, dropped after it.
func (c *TSConfiguration) Dicts() []QualifiedName {
	var out []QualifiedName
	for _, ds := range c.Mappings {
		for _, d := range ds {
			if q := ParseQualified(d); q.Schema != "pg_catalog" && !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	slices.SortFunc(out, func(a, b QualifiedName) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// ParseQualified splits a qualified name as QualifiedName.String writes
// it (quoted parts unquoted).
func ParseQualified(s string) QualifiedName {
	parts := splitQuoted(s)
	if len(parts) == 2 {
		return QualifiedName{Schema: parts[0], Name: parts[1]}
	}
	return QualifiedName{Name: s}
}

// splitQuoted splits s at the dots outside double quotes and unquotes
// each part.
func splitQuoted(s string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '"' && quoted && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case ch == '"':
			quoted = !quoted
		case ch == '.' && !quoted:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(ch)
		}
	}
	return append(out, b.String())
}

func init() {
	d := qualifiedSet("text search dictionary", KindTSDictionary, func(c *Catalog) map[QualifiedName]*TSDictionary { return c.TextSearch.Dicts },
		func(d *TSDictionary) *string { return &d.Comment }, false)
	d.Init = func(c *Catalog) {
		c.TextSearch = TextSearch{Dicts: map[QualifiedName]*TSDictionary{}, Configs: map[QualifiedName]*TSConfiguration{}}
	}
	Register(d)
	Register(qualifiedSet("text search configuration", KindTSConfiguration, func(c *Catalog) map[QualifiedName]*TSConfiguration { return c.TextSearch.Configs },
		func(t *TSConfiguration) *string { return &t.Comment }, false))
}
