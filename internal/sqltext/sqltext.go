// Package sqltext holds the mechanics of SQL text that ddlmig's packages
// share: turning PostgreSQL's character positions and byte offsets into
// line:col, blanking psql meta-commands, identifier bytes, dollar quotes and
// comments, and a count with its noun.
//
// It is a leaf: it imports only the standard library and knows nothing of
// ddlmig's model, so that every package (the parser, the planner, the
// runner, the CLI) can use the one copy. Lines count from 1; columns count
// characters from 1, as editors and PostgreSQL do.
package sqltext

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Lines indexes the line starts of a text, so that many offsets of one
// file convert to line:col without scanning it each time.
type Lines struct {
	text   string
	starts []int // byte offset of the start of each line
}

// NewLines indexes text.
func NewLines(text string) *Lines {
	l := &Lines{text: text, starts: make([]int, 1, strings.Count(text, "\n")+1)}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// LineCol converts a 0-based byte offset into a 1-based line and a 1-based
// column counted in characters. An offset past the end is the end.
func (l *Lines) LineCol(off int) (line, col int) {
	off = min(max(off, 0), len(l.text))
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(l.text[l.starts[i]:off]) + 1
}

// LineCol is Lines.LineCol for a text converted once.
func LineCol(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return 1 + strings.Count(text[:off], "\n"), utf8.RuneCountInString(text[start:off]) + 1
}

// Offset converts a 1-based line and character column of text back into a
// byte offset (LineCol's inverse); past a line's end is its end.
func Offset(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(text) && text[off] != '\n'; c++ {
		_, n := utf8.DecodeRuneInString(text[off:])
		off += n
	}
	return off
}

// CharOffset converts PostgreSQL's 1-based character position in text (a
// syntax error's cursor position, pgconn.PgError.Position) into a 0-based
// byte offset. Positions before the text are its start; past it, its end.
func CharOffset(text string, pos int) int {
	off := 0
	for n := 1; n < pos && off < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}

// Position converts PostgreSQL's 1-based character position into a line
// and column. text must be the text PostgreSQL was sent (after
// BlankMetaCommands, say), not the file it was read from.
func Position(text string, pos int) (line, col int) {
	return LineCol(text, CharOffset(text, pos))
}

// IsIdentByte reports whether c can continue an identifier (or a number):
// PostgreSQL's ident_cont, with every byte of a multibyte character.
func IsIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// DollarTag returns the opening $tag$ (or $$) that s starts with.
func DollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if c == '_' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (j > 1 && '0' <= c && c <= '9') {
			continue
		}
		return "", false
	}
	return "", false
}

// SkipBlockComment returns the offset after the /* ... */ comment, nested
// ones included, that starts at s[i], or -1 if it is not closed.
func SkipBlockComment(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch {
		case i+1 < len(s) && s[i] == '/' && s[i+1] == '*':
			depth++
			i += 2
		case i+1 < len(s) && s[i] == '*' && s[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return -1
}

// Plural returns n and word in the number n takes: "1 batch", "3 batches",
// "2 migrations".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ch") || strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
