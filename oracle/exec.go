package oracle

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ScriptError is a SQL script PostgreSQL rejected, with the position of the
// error in the script when PostgreSQL reported one. It unwraps to the
// *pgconn.PgError.
type ScriptError struct {
	Script string // which script: "old", "new", "up" or "down"
	Line   int    // 1-based; 0 when PostgreSQL gave no position
	Col    int    // 1-based, in characters
	Err    error
}

func (e *ScriptError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %v", e.Script, e.Line, e.Col, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Script, e.Err)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// RunScript runs a script on a fresh connection to cfg's database, each
// batch (see batchSpans) as one simple-protocol query: an implicit
// transaction, so a failing batch leaves nothing of itself behind. A batch
// with statements that refuse to run in a transaction block (CREATE INDEX
// CONCURRENTLY) is then run again one statement at a time; the first
// attempt rolled back, so nothing runs twice. A fresh connection keeps settings the script
// makes (search_path) from leaking into catalog reads. An error PostgreSQL
// reports is a *ScriptError named name, placed in the script when PostgreSQL
// gave a position.
func RunScript(ctx context.Context, cfg *pgx.ConnConfig, name, script string) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, b := range batchSpans(script) {
		text := script[b.start:b.end]
		_, err = conn.Exec(ctx, text)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "25001" {
			for _, st := range splitStatements(text) {
				if _, err = conn.Exec(ctx, text[st.start:st.end]); err != nil {
					return scriptError(name, script, b.start+st.start, err)
				}
			}
			continue
		}
		if err != nil {
			return scriptError(name, script, b.start, err)
		}
	}
	return nil
}

// batchMarker is the line that cuts a migration file into batches, each
// committed on its own (migfile.BatchMarker, spelled here because the
// oracle depends on no ddlmig package). ddlmig generate cuts a file so
// when one transaction cannot run it: too many locks, or enum values that
// later statements use.
const batchMarker = "-- ddlmig:batch"

// batchSpans cuts script at the lines that hold a batch marker (optionally
// followed by a space and a note), as ddlmig apply does.
func batchSpans(script string) []span {
	var out []span
	start := 0
	for off := 0; off < len(script); {
		end := strings.IndexByte(script[off:], '\n')
		if end < 0 {
			end = len(script) - off
		}
		line := strings.TrimSpace(script[off : off+end])
		if rest, ok := strings.CutPrefix(line, batchMarker); ok && (rest == "" || rest[0] == ' ') {
			out = append(out, span{start, off})
			start = off + end
		}
		off += end + 1
	}
	return append(out, span{start, len(script)})
}

// scriptError places err in script: PostgreSQL's Position counts characters
// from 1 in the query it was sent, which starts at byte offset base.
func scriptError(name, script string, base int, err error) error {
	e := &ScriptError{Script: name, Err: err}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Position <= 0 {
		return e
	}
	off := base
	for n := int32(1); n < pgErr.Position && off < len(script); n++ {
		_, size := utf8.DecodeRuneInString(script[off:])
		off += size
	}
	e.Line = strings.Count(script[:off], "\n") + 1
	e.Col = utf8.RuneCountInString(script[strings.LastIndexByte(script[:off], '\n')+1:off]) + 1
	return e
}

type span struct{ start, end int }

// splitStatements cuts a script at top-level semicolons, skipping those in
// quotes, dollar quotes and comments. Spans exclude the semicolon; empty
// statements are dropped.
func splitStatements(s string) []span {
	var out []span
	start := 0
	emit := func(end int) {
		if strings.TrimSpace(stripComments(s[start:end])) != "" {
			out = append(out, span{start, end})
		}
		start = end + 1
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ';':
			emit(i)
		case c == '\'' || c == '"':
			escapes := c == '\'' && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e')
			for i++; i < len(s); i++ {
				if escapes && s[i] == '\\' {
					i++
				} else if s[i] == c {
					if i+1 < len(s) && s[i+1] == c {
						i++
					} else {
						break
					}
				}
			}
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			depth := 0
			for ; i < len(s); i++ {
				if strings.HasPrefix(s[i:], "/*") {
					depth++
					i++
				} else if strings.HasPrefix(s[i:], "*/") {
					depth--
					i++
					if depth == 0 {
						break
					}
				}
			}
		case c == '$':
			if tag, ok := dollarTag(s[i:]); ok && (i == 0 || !isIdent(s[i-1])) {
				if j := strings.Index(s[i+len(tag):], tag); j >= 0 {
					i += len(tag) + j + len(tag) - 1
				} else {
					i = len(s)
				}
			}
		}
	}
	if start < len(s) {
		emit(len(s))
	}
	return out
}

// dollarTag returns the $tag$ opening s, if any.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		if s[j] == '$' {
			return s[:j+1], true
		}
		if !isIdent(s[j]) || (j == 1 && s[j] >= '0' && s[j] <= '9') {
			return "", false
		}
	}
	return "", false
}

func isIdent(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// stripComments removes -- comments, enough to tell an empty statement.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
	}
	return b.String()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
