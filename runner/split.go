package runner

import (
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// statement is one SQL statement of a file and where it starts.
type statement struct {
	SQL string // the statement's text, without the terminating semicolon
	Off int    // byte offset of its first token in the file
	End int    // byte offset just past its text
}

// split cuts a file into statements with PostgreSQL's own grammar (so
// dollar quotes and BEGIN ATOMIC bodies are handled) and keeps each
// statement's offset for line numbers. When the grammar rejects the file the
// error is returned and ok is false.
func split(text string) (stmts []statement, err error) {
	parts, err := pg_query.SplitWithParser(text, false)
	if err != nil {
		return nil, err
	}
	return locate(text, parts), nil
}

// splitLoose is split for checks that must not depend on pg_query's grammar
// version: it falls back to the scanner, which any file passes.
func splitLoose(text string) []statement {
	if st, err := split(text); err == nil {
		return st
	}
	parts, err := pg_query.SplitWithScanner(text, false)
	if err != nil {
		return nil
	}
	return locate(text, parts)
}

// locate finds each part (a substring of text, in order) in text.
func locate(text string, parts []string) []statement {
	var out []statement
	cur := 0
	for _, p := range parts {
		i := strings.Index(text[cur:], p)
		if i < 0 {
			continue
		}
		start := cur + i
		cur = start + len(p)
		lead := skipSpaceAndComments(p)
		if lead == len(p) {
			continue
		}
		out = append(out, statement{SQL: p, Off: start + lead, End: cur})
	}
	return out
}

// skipSpaceAndComments returns the offset of the first token in s.
func skipSpaceAndComments(s string) int {
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

// words returns the statement's first n keywords, upper-cased.
func words(s string, n int) []string {
	var out []string
	for len(out) < n {
		s = s[skipSpaceAndComments(s):]
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

// endsTransaction reports whether a statement would start, end or hand off
// the runner's transaction from inside a file, which would break the
// guarantee that a migration and its bookkeeping row commit together.
// SAVEPOINT, RELEASE and ROLLBACK TO stay inside the transaction and are
// allowed.
func endsTransaction(stmt string) bool {
	w := words(stmt, 3)
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "BEGIN", "START", "COMMIT", "END", "ABORT":
		return true
	case "ROLLBACK":
		return !(len(w) > 1 && (w[1] == "TO" || len(w) > 2 && (w[1] == "WORK" || w[1] == "TRANSACTION") && w[2] == "TO"))
	case "PREPARE":
		return len(w) > 1 && w[1] == "TRANSACTION"
	}
	return false
}

var fromStdin = regexp.MustCompile(`(?i)\bfrom\s+stdin\b`)

// copyFromStdin reports a COPY that would wait for data from the client:
// the runner has none to send, and the protocol would stall.
func copyFromStdin(stmt string) bool {
	w := words(stmt, 1)
	return len(w) == 1 && w[0] == "COPY" && fromStdin.MatchString(stmt)
}
