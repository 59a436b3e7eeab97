package parser

import (
	"runtime"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/internal/sqltext"
)

// Parsing a large file in pieces.
//
// pg_query.Parse of a whole 5 MB schema.sql turns it into one protobuf
// message and unmarshals it in one go; the same file parsed as pieces takes
// less time on one core, and the pieces can be parsed on every core while
// the folder folds the ones before them (issue 7). Only the tree of the
// pieces in flight is alive at a time, so the peak memory of a fold drops
// too.
//
// A piece boundary must be a top-level statement boundary: PostgreSQL's
// grammar parses the statements of a file independently of one another, so
// the pieces then parse to the whole file's statements, with locations
// counted from the piece's start (stmt.base adds it back). cutPoints finds
// such boundaries with a small lexer of its own (strings, quoted names,
// dollar quotes, comments, parentheses). A body written as BEGIN ATOMIC ...
// END holds semicolons at the top level; a file with the word ATOMIC outside
// strings and comments is never cut. Should a piece fail to parse anyway,
// Parse parses the whole file again, so a syntax error is reported exactly
// as before.

// chunkSize is the target size of a piece in bytes. Parser tests set it to
// 1, so that every statement is a piece of its own and the pieces path is
// the one they test.
//
// 64 kB: with libpg_query's freed memory kept for the next parse
// (pgdecode.TuneMalloc), pieces of 16 kB to 256 kB parse in about the same
// time, and the smaller the piece, the less C memory each parse in flight
// holds. A cold `ddlmig diff` of the 5,000-table schema peaked at 233 MiB
// with 64 kB pieces and 309 MiB with 256 kB (1.7 and 1.8 s); 1 MB pieces
// took a third longer than 256 kB and twice the memory; 32 kB and 16 kB
// saved little more memory.
var chunkSize = 64 << 10

// cutPoints returns the offsets at which src is cut into pieces of at least
// size bytes each, every one just after a top-level semicolon, starting with
// 0 and ending with len(src). It returns nil when src is not to be cut: it
// is smaller than two pieces, it uses BEGIN ATOMIC, it holds a NUL byte, or
// its quoting is not closed (pg_query reports those).
func cutPoints(src string, size int) []int {
	if len(src) < 2*size || strings.IndexByte(src, 0) >= 0 {
		return nil
	}
	cuts := []int{0}
	depth := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\'' || c == '"':
			// A string, E'...' with backslash escapes, or a quoted name.
			escapes := c == '\'' && i > 0 && (src[i-1] == 'e' || src[i-1] == 'E') && (i < 2 || !sqltext.IsIdentByte(src[i-2]))
			end := closeQuote(src, i, escapes)
			if end < 0 {
				return nil
			}
			i = end
		case c == '$' && (i == 0 || !sqltext.IsIdentByte(src[i-1])):
			tag, ok := sqltext.DollarTag(src[i:])
			if !ok {
				i++
				continue
			}
			end := strings.Index(src[i+len(tag):], tag)
			if end < 0 {
				return nil
			}
			i += 2*len(tag) + end
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				i = len(src)
			} else {
				i += end + 1
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := sqltext.SkipBlockComment(src, i)
			if end < 0 {
				return nil
			}
			i = end
		case c == '(':
			depth++
			i++
		case c == ')':
			depth--
			i++
		case c == ';':
			i++
			if depth == 0 && i-cuts[len(cuts)-1] >= size && len(src)-i >= size {
				cuts = append(cuts, i)
			}
		case sqltext.IsIdentByte(c):
			j := i + 1
			for j < len(src) && sqltext.IsIdentByte(src[j]) {
				j++
			}
			if j-i == 6 && strings.EqualFold(src[i:j], "atomic") {
				return nil
			}
			i = j
		default:
			i++
		}
	}
	if len(cuts) < 2 {
		return nil
	}
	return append(cuts, len(src))
}

// closeQuote returns the offset after the quote that closes the one at
// src[i] (a doubled quote stands for itself; with escapes, a backslash
// escapes the next byte), or -1 if none does.
func closeQuote(src string, i int, escapes bool) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case escapes && src[j] == '\\':
			j++
		case src[j] == q && j+1 < len(src) && src[j+1] == q:
			j++
		case src[j] == q:
			return j + 1
		}
	}
	return -1
}

// piece is one parsed piece of a file.
type piece struct {
	base int // offset of the piece in the file
	end  int // offset of its end
	tree *pg_query.ParseResult
	err  error
}

// parsePieces parses the pieces text[cuts[i]:cuts[i+1]] on up to
// GOMAXPROCS goroutines, a bounded number ahead of the caller, and returns
// them in order through next. stop must be called when the caller is done,
// early or not; pieces in flight then finish and are dropped.
func parsePieces(text string, cuts []int) (next func() piece, stop func()) {
	n := len(cuts) - 1
	workers := runtime.GOMAXPROCS(0)
	out := make([]chan piece, n)
	for i := range out {
		out[i] = make(chan piece, 1)
	}
	ahead := make(chan struct{}, workers+1) // parsed or parsing, not yet taken
	done := make(chan struct{})
	go func() {
		busy := make(chan struct{}, workers)
		for i := 0; i < n; i++ {
			select {
			case ahead <- struct{}{}:
			case <-done:
				return
			}
			busy <- struct{}{}
			go func(i int) {
				tree, err := pgdecode.Parse(text[cuts[i]:cuts[i+1]])
				<-busy
				out[i] <- piece{base: cuts[i], end: cuts[i+1], tree: tree, err: err}
			}(i)
		}
	}()
	i := 0
	next = func() piece {
		if i > 0 {
			<-ahead // the previous piece is folded
		}
		p := <-out[i]
		i++
		return p
	}
	return next, func() { close(done) }
}
