package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// enumRenames reads the rename comments inside a CREATE TYPE ... AS ENUM
// statement of a schema file: sqldef's
//
//	'waiting' /* @renamed from=pending */,
//
// or -- ddlmig:renamed-from pending after the value. A comment belongs to
// the string constant before it. The result maps each new value to its
// old one; the planner renames the value when the old catalog has the old
// value and not the new one.
func (f *folder) enumRenames(st *stmt) map[string]string {
	if f.opts.Migration {
		return nil
	}
	rest := f.src.text[st.off:]
	end := strings.IndexByte(rest, ';')
	if end < 0 {
		end = len(rest)
	}
	// A ; inside a literal or a comment ends the scan early; the renames
	// before it are still found.
	text := rest[:end]
	if !strings.Contains(text, renamedFromDirective) && !strings.Contains(text, sqldefRenamed) {
		return nil
	}
	res, err := pg_query.Scan(text)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	last := ""
	for _, tok := range res.Tokens {
		s := text[tok.Start:tok.End]
		switch tok.Token {
		case pg_query.Token_SCONST:
			last = unquoteLiteral(s)
		case pg_query.Token_SQL_COMMENT, pg_query.Token_C_COMMENT:
			body, ok := directiveBody(s)
			if !ok || last == "" {
				continue
			}
			old := strings.TrimSpace(body)
			if i := strings.IndexAny(old, " \t\r\n*,"); i >= 0 {
				old = old[:i]
			}
			old = strings.Trim(old, `'"`)
			if old != "" {
				out[last] = old
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// unquoteLiteral decodes a standard string literal token ('it”s').
func unquoteLiteral(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}
