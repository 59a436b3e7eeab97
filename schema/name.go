package schema

import "strings"

// QualifiedName names a schema-level object. Both parts are stored unquoted
// and exactly as in the catalog. The parser always fills Schema (an
// unqualified name resolves to "public"), so "t" and "public.t" are equal.
type QualifiedName struct {
	Schema string
	Name   string
}

// String returns the name quoted as needed for SQL, e.g. public."User".
func (q QualifiedName) String() string {
	if q.Schema == "" {
		return QuoteIdent(q.Name)
	}
	return QuoteIdent(q.Schema) + "." + QuoteIdent(q.Name)
}

// Less orders names by schema, then name; it gives plans a stable order.
func (q QualifiedName) Less(o QualifiedName) bool {
	if q.Schema != o.Schema {
		return q.Schema < o.Schema
	}
	return q.Name < o.Name
}

// QuoteIdent quotes an identifier as PostgreSQL's quote_identifier does
// (and so pg_dump and the deparser): when it is not all lower-case
// letters, digits and underscores starting with a letter or underscore,
// or when it is a keyword that is not unreserved. A dollar sign, though
// legal in an unquoted name after its first letter, is quoted, as the
// server quotes it.
func QuoteIdent(s string) string {
	if s != "" && !quotedKeywords[s] && isSimpleIdent(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func isSimpleIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case c >= '0' && c <= '9':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// QuoteLiteral quotes s as a standard SQL string literal, doubling quotes.
// Backslashes need no escaping with standard_conforming_strings on (the
// default since PostgreSQL 9.1); an E” literal is used when s contains one
// so the text is right whatever that setting is.
func QuoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}
