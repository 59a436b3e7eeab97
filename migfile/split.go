package migfile

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/sqltext"
)

// Statement is one SQL statement of a file and where it starts.
type Statement struct {
	SQL string // the statement's text, without the terminating semicolon
	Off int    // byte offset of its first token in the file
	End int    // byte offset just past its text
}

// Split cuts a file into statements with PostgreSQL's own grammar (so
// dollar quotes and BEGIN ATOMIC bodies are handled) and keeps each
// statement's offset for line numbers. When the grammar rejects the file
// the error is returned.
func Split(text string) ([]Statement, error) {
	parts, err := pg_query.SplitWithParser(text, false)
	if err != nil {
		return nil, err
	}
	return locate(text, parts), nil
}

// SplitLoose is Split for checks that must not depend on pg_query's grammar
// version: it falls back to the scanner, which any file passes.
func SplitLoose(text string) []Statement {
	if st, err := Split(text); err == nil {
		return st
	}
	parts, err := pg_query.SplitWithScanner(text, false)
	if err != nil {
		return nil
	}
	return locate(text, parts)
}

// locate finds each part (a substring of text, in order) in text.
func locate(text string, parts []string) []Statement {
	var out []Statement
	cur := 0
	for _, p := range parts {
		i := strings.Index(text[cur:], p)
		if i < 0 {
			continue
		}
		start := cur + i
		cur = start + len(p)
		lead := TokenStart(p)
		if lead == len(p) {
			continue
		}
		out = append(out, Statement{SQL: p, Off: start + lead, End: cur})
	}
	return out
}

// TokenStart returns the offset of the first token in s, after white space
// and comments.
func TokenStart(s string) int {
	i := 0
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v':
			i++
		case strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return len(s)
			}
			i += j + 1
		case strings.HasPrefix(s[i:], "/*"):
			// Block comments nest in PostgreSQL.
			depth := 0
			j := i
			for j < len(s) {
				if strings.HasPrefix(s[j:], "/*") {
					depth++
					j += 2
				} else if strings.HasPrefix(s[j:], "*/") {
					depth--
					j += 2
					if depth == 0 {
						break
					}
				} else {
					j++
				}
			}
			i = j
		default:
			return i
		}
	}
	return i
}

// Keywords returns the statement's first n keywords, upper-cased.
func Keywords(s string, n int) []string {
	var out []string
	for len(out) < n {
		s = s[TokenStart(s):]
		end := strings.IndexFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
		})
		if end < 0 {
			end = len(s)
		}
		if end == 0 {
			break
		}
		out = append(out, strings.ToUpper(s[:end]))
		s = s[end:]
	}
	return out
}

// LineCol converts a byte offset in text to a 1-based line and a 1-based
// column counted in characters (sqltext.LineCol).
func LineCol(text string, off int) (line, col int) { return sqltext.LineCol(text, off) }
