package sqltext

import "strings"

// MetaCommand is a psql backslash command in a script: psql reads one
// wherever a backslash stands outside a string, a quoted identifier, a
// comment or a dollar-quoted body, and takes the rest of the line as its
// arguments.
type MetaCommand struct {
	// Start is the offset of the backslash, End that of the end of the
	// line (the newline, or the end of the text).
	Start, End int
	// Name is the command without its backslash ("i", "restrict").
	Name string
	// Args is the rest of the line, trimmed.
	Args string
}

// Script is what Scan finds in a script.
type Script struct {
	Meta []MetaCommand
	// Open is the offset where a string, quoted identifier, comment or
	// dollar-quoted body starts that the text does not close, or -1; Unclosed
	// says which ("quoted string").
	Open     int
	Unclosed string
}

// Scan finds the psql meta-commands of a script and whether it ends inside
// a quoted string or a comment, reading quotes as PostgreSQL's scanner does
// with standard_conforming_strings on (backslash escapes only in E'...').
func Scan(s string) Script {
	out := Script{Open: -1}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			i = lineEnd(s, i)
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := SkipBlockComment(s, i)
			if end < 0 {
				return unclosed(out, i, "comment")
			}
			i = end
		case c == '\'':
			escapes := i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i < 2 || !IsIdentByte(s[i-2]))
			end := skipQuoted(s, i, '\'', escapes)
			if end < 0 {
				return unclosed(out, i, "quoted string")
			}
			i = end
		case c == '"':
			end := skipQuoted(s, i, '"', false)
			if end < 0 {
				return unclosed(out, i, "quoted identifier")
			}
			i = end
		case c == '$' && (i == 0 || !IsIdentByte(s[i-1])):
			tag, ok := DollarTag(s[i:])
			if !ok {
				i++
				continue
			}
			end := strings.Index(s[i+len(tag):], tag)
			if end < 0 {
				return unclosed(out, i, "dollar-quoted string")
			}
			i += len(tag) + end + len(tag)
		case c == '\\':
			end := lineEnd(s, i)
			name, args := splitMeta(s[i+1 : end])
			out.Meta = append(out.Meta, MetaCommand{Start: i, End: end, Name: name, Args: args})
			i = end
		case IsIdentByte(c):
			// A whole word at once, so that a $ inside it starts nothing.
			for i < len(s) && IsIdentByte(s[i]) {
				i++
			}
		default:
			i++
		}
	}
	return out
}

func unclosed(s Script, at int, what string) Script {
	s.Open, s.Unclosed = at, what
	return s
}

// lineEnd returns the offset of the newline that ends the line holding
// s[i], or len(s).
func lineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

// skipQuoted returns the offset after the quoted text starting at s[i]
// (q doubled stands for itself; with escapes, a backslash escapes the next
// byte), or -1 if it is not closed.
func skipQuoted(s string, i int, q byte, escapes bool) int {
	for j := i + 1; j < len(s); j++ {
		switch {
		case escapes && s[j] == '\\':
			j++
		case s[j] == q && j+1 < len(s) && s[j+1] == q:
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return -1
}

// splitMeta splits a meta-command line after its backslash into the
// command's name (letters, or a second backslash) and the rest.
func splitMeta(line string) (name, args string) {
	n := 0
	for n < len(line) && (line[n] == '_' || ('a' <= line[n] && line[n] <= 'z') || ('A' <= line[n] && line[n] <= 'Z')) {
		n++
	}
	if n == 0 && line != "" && !isSpace(line[0]) {
		n = 1 // \\, \!, \?
	}
	return line[:n], strings.TrimSpace(strings.TrimRight(line[n:], "\r"))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

// BlankMetaCommands replaces psql meta-commands (pg_dump writes \restrict
// and \unrestrict around its output since PostgreSQL 17.6) with spaces, so
// that the server accepts the rest and every byte offset and line stays
// where it was. A backslash inside a string or a function body is kept.
func BlankMetaCommands(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	return Blank(s, Scan(s).Meta)
}

// Blank replaces the given meta-commands of s with spaces.
func Blank(s string, meta []MetaCommand) string {
	if len(meta) == 0 {
		return s
	}
	b := []byte(s)
	for _, m := range meta {
		for j := m.Start; j < m.End; j++ {
			if b[j] != '\r' {
				b[j] = ' '
			}
		}
	}
	return string(b)
}
