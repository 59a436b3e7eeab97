package parser

import (
	"strings"
	"unicode/utf8"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// source is one file being folded: its name, text and line starts, so
// that byte offsets from pg_query turn into file:line:col positions in one
// place.
type source struct {
	name  string
	text  string
	lines *sqltext.Lines
	// splice, when set, is the text's map back to the files it was made
	// of (a schema in several files): name is then the first file.
	splice *sqltext.Spliced
}

func newSource(name string, text string) *source {
	return &source{name: name, text: text, lines: sqltext.NewLines(text)}
}

// pos converts a 0-based byte offset into a position whose column counts
// runes. A negative offset (pg_query's "unknown") gives the file only.
func (s *source) pos(off int) schema.Pos {
	if off < 0 {
		return schema.Pos{File: s.name}
	}
	if s.splice != nil {
		file, line, col := s.splice.Locate(off)
		return schema.Pos{File: file, Line: line, Col: col}
	}
	line, col := s.lines.LineCol(off)
	return schema.Pos{File: s.name, Line: line, Col: col}
}

// cursorPos converts pg_query's syntax error Cursorpos, which is 1-based
// and counts characters (PostgreSQL's scanner reports character positions
// for UTF-8 input), into a position.
func (s *source) cursorPos(cursor int) schema.Pos {
	if cursor <= 0 {
		return schema.Pos{File: s.name, Line: 1, Col: 1}
	}
	return s.pos(sqltext.CharOffset(s.text, cursor))
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
			if off = sqltext.SkipBlockComment(t, off); off < 0 {
				return len(t)
			}
		default:
			return off
		}
	}
	return off
}

// owns reports whether file is (one of) the file(s) being folded.
func (s *source) owns(file string) bool {
	if s.splice == nil {
		return file == s.name
	}
	_, ok := s.splice.FileText(file)
	return ok
}

// offset converts a position of the file(s) being folded back into an
// offset of the text; ok is false for a position elsewhere.
func (s *source) offset(p schema.Pos) (int, bool) {
	if s.splice != nil {
		return s.splice.Offset(p.File, p.Line, p.Col)
	}
	if p.File != s.name || p.Line < 1 {
		return 0, false
	}
	off := 0
	for line := 1; line < p.Line; line++ {
		i := strings.IndexByte(s.text[off:], '\n')
		if i < 0 {
			return 0, false
		}
		off += i + 1
	}
	for range p.Col - 1 {
		if off >= len(s.text) || s.text[off] == '\n' {
			break
		}
		_, size := utf8.DecodeRuneInString(s.text[off:])
		off += size
	}
	return off, true
}
