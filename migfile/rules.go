package migfile

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// Rules returns the file-level rules that the migration file name, holding
// content, breaks: the checks the runner makes on every file before it runs
// any, which `ddlmig check` makes too. Keeping them in one function is what
// makes check and apply agree on every file: a file check passes is one
// apply (and down, for a down file) does not refuse for what it holds.
//
// The rules:
//   - the file is text PostgreSQL reads: UTF-8, without NUL bytes;
//   - the no-transaction marker is on the first line or nowhere (below, it
//     would be ignored and the file run in a transaction);
//   - a transactional file does not start, end or hand off its transaction
//     (BEGIN, COMMIT, ROLLBACK, END, ABORT, PREPARE TRANSACTION): the file
//     and its bookkeeping row must commit together;
//   - no COPY ... FROM STDIN: the runner has no data to send;
//   - a no-transaction file splits into statements, and has no batch
//     markers (it runs statement by statement anyway);
//   - batch markers sit between statements, not inside one.
//
// Unreviewed markers are not among them: they are a review, not a rule
// (see Unreviewed), and are reported apart.
func Rules(name string, content []byte) []Problem {
	if p := TextProblem(name, content); p != nil {
		return []Problem{*p}
	}
	text := string(content)
	ps := misplacedNoTransaction(name, content)
	noTx := NoTransaction(content)
	marks := BatchMarkers(content)
	var stmts []Statement
	switch {
	case noTx:
		var err error
		if stmts, err = Split(text); err != nil {
			ps = append(ps, Problem{File: name, Msg: fmt.Sprintf("cannot split into statements: %v", err)})
		}
		if len(marks) > 0 {
			l, _ := LineCol(text, marks[0])
			ps = append(ps, Problem{File: name, Line: l, Col: 1, Msg: BatchMarker + " in a no-transaction file, which runs statement by statement anyway; remove the marker lines"})
		}
	case len(marks) > 0 || mayNeedStatements(text):
		stmts = looseStatements(text)
	}
	for _, m := range marks {
		// The first statement that ends after the marker holds it, or
		// starts after it.
		i := sort.Search(len(stmts), func(i int) bool { return stmts[i].End > m })
		if i < len(stmts) && stmts[i].Off <= m {
			l, _ := LineCol(text, m)
			ps = append(ps, Problem{File: name, Line: l, Col: 1, Msg: BatchMarker + " is inside a statement; put it on a line of its own between two statements"})
		}
	}
	for _, s := range stmts {
		// Positions only for what is reported: LineCol counts from the
		// start of the text.
		switch {
		case !noTx && endsTransaction(s.SQL):
			l, c := LineCol(text, s.Off)
			ps = append(ps, Problem{File: name, Line: l, Col: c, Msg: fmt.Sprintf(
				"%s would end the migration's transaction early; remove it (each file already runs in one transaction), or put %q on the first line",
				Keywords(s.SQL, 1)[0], NoTransactionMarker)})
		case copyFromStdin(s.SQL):
			l, c := LineCol(text, s.Off)
			ps = append(ps, Problem{File: name, Line: l, Col: c, Msg: "COPY ... FROM STDIN needs data sent by a client such as psql; write INSERT statements instead"})
		}
	}
	return ps
}

// TextProblem reports a file that is not text PostgreSQL can read, at its
// first offending byte: a byte that is not UTF-8 (a file saved as Latin-1,
// say; a UTF8 database rejects it, and ddlmig would copy it into the
// migrations it writes), a NUL byte, which ends a query string early, or a
// byte order mark at the start.
// It returns nil for a good file.
func TextProblem(name string, content []byte) *Problem {
	if bytes.HasPrefix(content, []byte("\ufeff")) {
		// Invisible in an editor; PostgreSQL reads it as part of the first
		// word, and a no-transaction marker after it is not seen.
		return &Problem{File: name, Line: 1, Col: 1, Msg: "the file starts with a byte order mark (U+FEFF), which PostgreSQL does not skip: save it as UTF-8 without BOM"}
	}
	bad, msg := -1, ""
	if i := bytes.IndexByte(content, 0); i >= 0 {
		bad, msg = i, "NUL byte (\\x00): the file must be text"
	}
	if !utf8.Valid(content) {
		for i := 0; i < len(content) && (bad < 0 || i < bad); {
			r, n := utf8.DecodeRune(content[i:])
			if r == utf8.RuneError && n <= 1 {
				bad, msg = i, fmt.Sprintf("byte \\x%02x is not UTF-8: save the file as UTF-8", content[i])
				break
			}
			i += n
		}
	}
	if bad < 0 {
		return nil
	}
	l, c := LineCol(string(content), bad)
	return &Problem{File: name, Line: l, Col: c, Msg: msg}
}

// misplacedNoTransaction reports no-transaction markers the runner would
// not see, so that it would run the file in a transaction after all: a
// marker below the first line, or a line meant as one but not spelled
// exactly so ("-- ddlmig: no-transaction", "--ddlmig:no-transaction (CIC)").
func misplacedNoTransaction(name string, content []byte) []Problem {
	if !containsFold(content, "ddlmig") {
		return nil
	}
	var ps []Problem
	for line, rest := 1, content; len(rest) > 0; line++ {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\n"))
		t := strings.TrimSpace(string(l))
		if !strings.HasPrefix(t, "--") {
			continue
		}
		squeezed := strings.ToLower(strings.Join(strings.Fields(t), ""))
		meant := false
		for _, p := range []string{"--ddlmig:no-transaction", "--ddlmig:notransaction", "--ddlmig:no_transaction"} {
			meant = meant || strings.HasPrefix(squeezed, p)
		}
		switch {
		case !meant, line == 1 && t == NoTransactionMarker:
		case line > 1:
			ps = append(ps, Problem{File: name, Line: line, Col: 1, Msg: NoTransactionMarker + " takes effect only on the file's first line; move it there (or delete it)"})
		default:
			ps = append(ps, Problem{File: name, Line: line, Col: 1, Msg: fmt.Sprintf("%q is not read as the no-transaction marker, and the file would run in a transaction: write exactly %q", t, NoTransactionMarker)})
		}
	}
	return ps
}

// containsFold reports whether content holds the lower-case ASCII word w in
// any case.
func containsFold(content []byte, w string) bool {
	for i := 0; i+len(w) <= len(content); i++ {
		if content[i]|0x20 == w[0] && strings.EqualFold(string(content[i:i+len(w)]), w) {
			return true
		}
	}
	return false
}

// txWords are the first keywords of the statements Rules looks for.
var txWords = map[string]bool{"BEGIN": true, "START": true, "COMMIT": true, "END": true, "ABORT": true, "ROLLBACK": true, "PREPARE": true, "COPY": true}

// mayNeedStatements reports whether any statement of text can begin with
// one of txWords, without splitting it: a statement begins at the start of
// the text or after a semicolon, past white space and comments. Semicolons
// inside strings or bodies only make it say yes more often, never no
// wrongly, so the split that settles it is needed only for the few files
// where it says yes (check runs Rules on every file of a large folder).
func mayNeedStatements(text string) bool {
	for off := 0; ; {
		if w := Keywords(text[off:], 1); len(w) == 1 && txWords[w[0]] {
			return true
		}
		i := strings.IndexByte(text[off:], ';')
		if i < 0 {
			return false
		}
		off += i + 1
	}
}

// looseStatements returns the statements of text as SplitLoose does, and
// faster where it can: PostgreSQL's scanner alone cuts at every semicolon
// outside strings, comments and quoted names, which is where the grammar
// cuts too, except inside the two statements whose grammar holds
// semicolons: a BEGIN ATOMIC body and a CREATE RULE with several actions.
// A text without those words is cut by the scanner, in a third of the
// parser's time (check runs Rules on every file, and generate's large
// migrations hold batch markers).
func looseStatements(text string) []Statement {
	if hasWordFold(text, "atomic") || hasWordFold(text, "rule") {
		return SplitLoose(text)
	}
	parts, err := pg_query.SplitWithScanner(text, false)
	if err != nil {
		return nil
	}
	return locate(text, parts)
}

// hasWordFold reports whether text holds the lower-case ASCII word w, in
// any case, as a word of its own (atomically or rules do not count).
func hasWordFold(text, w string) bool {
	word := func(c byte) bool {
		return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
	}
	for i := 0; i+len(w) <= len(text); i++ {
		if text[i]|0x20 == w[0] && strings.EqualFold(text[i:i+len(w)], w) &&
			(i == 0 || !word(text[i-1])) && (i+len(w) == len(text) || !word(text[i+len(w)])) {
			return true
		}
	}
	return false
}

// endsTransaction reports whether a statement would start, end or hand off
// the runner's transaction from inside a file, which would break the
// guarantee that a migration and its bookkeeping row commit together.
// SAVEPOINT, RELEASE and ROLLBACK TO stay inside the transaction and are
// allowed.
func endsTransaction(stmt string) bool {
	w := Keywords(stmt, 3)
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
	w := Keywords(stmt, 1)
	return len(w) == 1 && w[0] == "COPY" && fromStdin.MatchString(stmt)
}
