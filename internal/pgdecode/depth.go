package pgdecode

import (
	"fmt"
	"strings"

	"github.com/ddlmig/ddlmig/internal/sqltext"
)

// Deeply nested input.
//
// libpg_query's parser is a bison automaton with a stack of its own, but
// everything after it recurses on the C stack, once per level of the tree:
// the conversion of the tree to protobuf and its packing (about 180 bytes a
// level), and in a deparse the unpacking, reading and printing of it (about
// 950 bytes a level, the unpacking worst). An expression chain of 4,400
// `+` terms overflowed the 8 MB stack of a deparse and killed the process
// with SIGSEGV (issue 12); PostgreSQL itself loads about 6,500 (it refuses
// more with "stack depth limit exceeded" at its default max_stack_depth of
// 2 MB), libpg_query has no such check.
//
// So Parse measures the nesting of its input before handing it to C (Depth,
// a scan of the tokens: about 20 ms for 5 MB, 2% of parsing it), refuses input deeper
// than MaxDepth with a *DepthError, and runs the parse of input deeper than
// what the calling thread's stack surely holds on a thread of its own with
// a stack sized for it (stack.go). Deparse does the same with the depth of
// the tree it is given.

// MaxDepth is the deepest nesting Parse accepts, in Depth's levels (one per
// operator, bracket and nesting keyword on the way from the statement to
// the innermost term). It is above what PostgreSQL accepts at its default
// max_stack_depth (about 6,500 terms of a + chain), so a file that loads
// into a stock server is read; TestDepthLimit proves the parse and deparse
// of every kind of nesting safe at the limit.
const MaxDepth = 10000

// DepthError is Parse's error for input nested deeper than MaxDepth.
type DepthError struct {
	Offset int // byte offset in the parsed text where the limit is passed
	Depth  int // Depth's measure of the whole statement
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("expression too deeply nested: %d levels, ddlmig reads at most %d "+
		"(PostgreSQL may accept it, ddlmig does not; split the expression, for example into a function or a view)",
		e.Depth, MaxDepth)
}

// Depth returns an upper bound of the nesting of sql's parse tree in
// levels, and the byte offset where the deepest level starts. It scans
// tokens as PostgreSQL's lexer does (strings, quoted names, dollar quotes,
// comments, operators) and counts on each bracket level (parentheses,
// square brackets, CASE ... END):
//
//   - brackets and the keywords that start a nested query (SELECT, VALUES)
//     or join one (JOIN, UNION, INTERSECT, EXCEPT), for good;
//   - operators (each token PostgreSQL's lexer makes of them, :: included)
//     and the keywords that make an operator node (NOT, IS, LIKE, IN, AT,
//     COLLATE, ...), until the next comma, AND, OR, WHEN, THEN or ELSE on
//     that level: what comes after one of those is a sibling of what came
//     before it (AND and OR bind more loosely than any operator, and their
//     chains are flat in the tree).
//
// Levels add up across enclosing brackets. Identifiers and constants count
// nothing. TestDepthBound and FuzzDepth check that the parse tree is never
// deeper than msgsPerLevel messages a level.
func Depth(sql string) (depth, offset int) {
	depth, offset, _ = scanDepth(sql, MaxDepth)
	return depth, offset
}

// scanDepth is Depth, and also returns the offset where the depth first
// passes limit (-1 if it never does).
func scanDepth(sql string, limit int) (depth, offset, over int) {
	s := &depthScan{limit: limit, over: -1, stack: []depthFrame{{}}}
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				return s.depth, s.offset, s.over
			}
			i += end + 1
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			if i = sqltext.SkipBlockComment(sql, i); i < 0 {
				i = len(sql)
			}
		case c == '\'' || c == '"':
			escapes := c == '\'' && i > 0 && (sql[i-1] == 'e' || sql[i-1] == 'E') && (i < 2 || !wordByte(sql[i-2]))
			i = quoteEnd(sql, i, escapes)
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			i = wordEnd(sql, i+1) // a parameter, $1
		case c == '$':
			tag, ok := sqltext.DollarTag(sql[i:])
			if !ok {
				i++
				continue
			}
			end := strings.Index(sql[i+len(tag):], tag)
			if end < 0 {
				return s.depth, s.offset, s.over
			}
			i += 2*len(tag) + end
		case c == '(' || c == '[':
			s.open(i, false)
			i++
		case c == ')' || c == ']':
			for s.top().isCase && len(s.stack) > 1 {
				s.close() // a CASE never closed inside the bracket
			}
			s.close()
			i++
		case c == ',':
			s.top().run = 0
			i++
		case c == ';':
			s.stack = append(s.stack[:0], depthFrame{})
			i++
		case c == ':' && i+1 < len(sql) && sql[i+1] == ':':
			s.top().run++
			s.note(i)
			i += 2
		case opByte(c):
			n, end := operator(sql, i)
			s.top().run += n
			s.note(i)
			i = end
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			i = numberEnd(sql, i)
		case wordByte(c):
			i = s.word(sql, i)
		default:
			i++ // . : and anything the lexer would refuse
		}
	}
	return s.depth, s.offset, s.over
}

// depthFrame is one bracket or CASE that scanDepth is inside.
type depthFrame struct {
	base    int  // levels of the enclosing frames and the bracket itself
	fixed   int  // levels that hold until the frame ends
	run     int  // levels that hold until the next separator
	isCase  bool // CASE ... END rather than a bracket
	between bool // after BETWEEN: its AND separates nothing
}

// depthScan is scanDepth's state: the open frames and the deepest level
// seen, where, and where the limit was first passed (-1 if not).
type depthScan struct {
	stack                      []depthFrame
	limit, depth, offset, over int
}

func (s *depthScan) top() *depthFrame { return &s.stack[len(s.stack)-1] }

// note records the current level, found at offset at.
func (s *depthScan) note(at int) {
	t := s.top()
	if d := t.base + t.fixed + t.run; d > s.depth {
		s.depth, s.offset = d, at
		if d > s.limit && s.over < 0 {
			s.over = at
		}
	}
}

// open enters a bracket or, with isCase, a CASE (which counts its WHEN
// clause too).
func (s *depthScan) open(at int, isCase bool) {
	t := s.top()
	d := t.base + t.fixed + t.run + 1
	if isCase {
		d++
	}
	s.stack = append(s.stack, depthFrame{base: d, isCase: isCase})
	s.note(at)
}

// close leaves the innermost frame; the statement's own frame stays.
func (s *depthScan) close() {
	if len(s.stack) > 1 {
		s.stack = s.stack[:len(s.stack)-1]
	}
}

// word counts the word at sql[i:] if it is a keyword Depth counts, and
// returns where it ends.
func (s *depthScan) word(sql string, i int) int {
	end := wordEnd(sql, i)
	if end-i > 9 {
		return end // longer than any keyword counted
	}
	var buf [9]byte
	for j := i; j < end; j++ {
		b := sql[j]
		if 'a' <= b && b <= 'z' {
			b -= 'a' - 'A'
		}
		buf[j-i] = b
	}
	kw := kwNone
	if kwShape[end-i][buf[0]] {
		kw = keywords[string(buf[:end-i])]
	}
	t := s.top()
	switch {
	case kw == kwCase:
		s.open(i, true)
	case kw == kwEnd && t.isCase:
		s.close()
	case kw == kwAnd && t.between:
		t.between = false
	case kw == kwAnd || kw == kwSeparator:
		t.run = 0
	case kw >= kwStructural:
		t.fixed += int(kw - kwStructural + 1)
		s.note(i)
	case kw == kwOperator || kw == kwBetween:
		t.run++
		t.between = t.between || kw == kwBetween
		s.note(i)
	}
	return end
}

// keyword is what a keyword does to Depth's count.
type keyword uint8

const (
	kwNone       keyword = iota
	kwCase               // opens a frame, closed by END
	kwEnd                // closes a CASE
	kwAnd                // separates, but not after BETWEEN
	kwSeparator          // OR, WHEN, THEN, ELSE: what follows is a sibling
	kwOperator           // makes an operator-like node of what follows
	kwBetween            // an operator whose AND separates nothing
	kwStructural         // nests a query (this and above: weight kw-kwStructural+1)
)

// keywords are the words Depth counts, upper case. SELECT, VALUES, WITH,
// JOIN, UNION, INTERSECT and EXCEPT start or join a query and nest what
// follows them for good (WITH nests the query inside its brackets); a
// query in brackets is a few messages deep before its first expression, so
// SELECT and VALUES count two levels. The operator words make an
// operator-like node of what follows them (and often of what came before).
var keywords = map[string]keyword{
	"CASE": kwCase, "END": kwEnd, "AND": kwAnd,
	"OR": kwSeparator, "WHEN": kwSeparator, "THEN": kwSeparator, "ELSE": kwSeparator,
	"SELECT": kwStructural + 1, "VALUES": kwStructural + 1,
	"WITH": kwStructural, "JOIN": kwStructural, "UNION": kwStructural, "INTERSECT": kwStructural, "EXCEPT": kwStructural,
	"BETWEEN": kwBetween,
	"NOT":     kwOperator, "IS": kwOperator, "ISNULL": kwOperator, "NOTNULL": kwOperator, "LIKE": kwOperator,
	"ILIKE": kwOperator, "SIMILAR": kwOperator, "IN": kwOperator, "COLLATE": kwOperator, "AT": kwOperator,
	"OVERLAPS": kwOperator, "OPERATOR": kwOperator, "ANY": kwOperator, "ALL": kwOperator, "SOME": kwOperator,
	"EXISTS": kwOperator, "ARRAY": kwOperator, "ROW": kwOperator, "ESCAPE": kwOperator, "DISTINCT": kwOperator,
	"UNIQUE": kwOperator,
}

// kwShape holds the lengths and first letters of keywords, to skip the
// map for most words.
var kwShape = func() (shape [10][256]bool) {
	for k := range keywords {
		shape[len(k)][k[0]] = true
	}
	return shape
}()

// wordBytes holds the bytes that continue an identifier or a number.
var wordBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '_' || c == '$' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
	}
	return t
}()

// opByte reports whether c can be part of an operator.
func opByte(c byte) bool {
	return strings.IndexByte("+-*/<>=~!@#%^&|`?", c) >= 0
}

// operator returns the number of operator tokens PostgreSQL's lexer makes
// of the operator characters at sql[i], and where they end. As the lexer
// does, it stops before -- or /* and strips trailing + and - off an
// operator of several characters unless it holds one of ~!@#%^&|`? (so
// 1*-2 is * and -, both nodes).
func operator(sql string, i int) (n, end int) {
	end = i
	for end < len(sql) && opByte(sql[end]) {
		if end > i && (sql[end-1] == '-' && sql[end] == '-' || sql[end-1] == '/' && sql[end] == '*') {
			end--
			break
		}
		end++
	}
	if end == i {
		return 1, i + 1 // "-" of "--" alone cannot happen; keep moving
	}
	op := sql[i:end]
	if len(op) > 1 && !strings.ContainsAny(op, "~!@#%^&|`?") {
		trimmed := strings.TrimRight(op, "+-")
		if trimmed == "" {
			trimmed = op[:1]
		}
		return 1 + len(op) - len(trimmed), end
	}
	return 1, end
}

// wordByte reports whether c can continue an identifier or a number.
func wordByte(c byte) bool { return wordBytes[c] }

// wordEnd returns the end of the identifier or number at sql[i].
func wordEnd(sql string, i int) int {
	for i < len(sql) && wordByte(sql[i]) {
		i++
	}
	return i
}

// numberEnd returns the end of the number at sql[i], its exponent's sign
// included (1e-3 is one token, not 1e, - and 3).
func numberEnd(sql string, i int) int {
	for i < len(sql) {
		c := sql[i]
		switch {
		case (c == 'e' || c == 'E') && i+2 < len(sql) && (sql[i+1] == '-' || sql[i+1] == '+') && sql[i+2] >= '0' && sql[i+2] <= '9':
			i += 2
		case wordByte(c) || c == '.' && i+1 < len(sql) && sql[i+1] != '.':
			i++
		default:
			return i
		}
	}
	return i
}

// quoteEnd returns the offset after the quote that closes the one at sql[i]
// (a doubled quote stands for itself; with escapes, a backslash escapes the
// next byte), or len(sql).
func quoteEnd(sql string, i int, escapes bool) int {
	q := sql[i]
	for j := i + 1; j < len(sql); j++ {
		switch {
		case escapes && sql[j] == '\\':
			j++
		case sql[j] == q && j+1 < len(sql) && sql[j+1] == q:
			j++
		case sql[j] == q:
			return j + 1
		}
	}
	return len(sql)
}
