package parser

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ddlmig/ddlmig/schema"
)

// source is one file being folded: its name, bytes and line starts, so that
// byte offsets from pg_query turn into file:line:col positions in one place.
type source struct {
	name  string
	text  string
	lines []int // byte offset of the start of each line
}

func newSource(name string, text string) *source {
	s := &source{name: name, text: text, lines: make([]int, 1, strings.Count(text, "\n")+1)}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// pos converts a 0-based byte offset into a position whose column counts
// runes. A negative offset (pg_query's "unknown") gives the file only.
func (s *source) pos(off int) schema.Pos {
	if off < 0 {
		return schema.Pos{File: s.name}
	}
	if off > len(s.text) {
		off = len(s.text)
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	col := utf8.RuneCountInString(s.text[s.lines[line]:off]) + 1
	return schema.Pos{File: s.name, Line: line + 1, Col: col}
}

// cursorPos converts pg_query's syntax error Cursorpos, which is 1-based
// and counts characters (PostgreSQL's scanner reports character positions
// for UTF-8 input), into a position.
func (s *source) cursorPos(cursor int) schema.Pos {
	if cursor <= 0 {
		return schema.Pos{File: s.name, Line: 1, Col: 1}
	}
	off := 0
	for n := 1; n < cursor && off < len(s.text); n++ {
		_, size := utf8.DecodeRuneInString(s.text[off:])
		off += size
	}
	return s.pos(off)
}

// stmtStart returns the offset of the first token at or after off, skipping
// the whitespace and comments that pg_query counts into a statement.
func (s *source) stmtStart(off int) int {
	t := s.text
	for off < len(t) {
		switch {
		case t[off] == ' ' || t[off] == '\t' || t[off] == '\n' || t[off] == '\r' || t[off] == '\f':
			off++
		case off+1 < len(t) && t[off] == '-' && t[off+1] == '-':
			for off < len(t) && t[off] != '\n' {
				off++
			}
		case off+1 < len(t) && t[off] == '/' && t[off+1] == '*':
			if off = skipBlockComment(t, off); off < 0 {
				return len(t)
			}
		default:
			return off
		}
	}
	return off
}
