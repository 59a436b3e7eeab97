package parser

import (
	"bytes"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// RenameDirective is a rename written into a schema file as a comment next
// to the new name: ddlmig's own
//
//	full_name text, -- ddlmig:renamed-from name
//
// or sqldef's "-- @renamed from=name" and "/* @renamed from=name */", which
// users coming from sqldef already have in their files. The comment sits on
// the line of the column definition, of the CREATE TABLE for a table, or of
// the CREATE INDEX for an index; package project decides which object that
// is and whether the rename still has to happen.
type RenameDirective struct {
	// FromSchema and From are the old name as PostgreSQL reads it:
	// unquoted parts folded to lower case, quoted parts exact. FromSchema
	// is "" unless the old name was qualified.
	FromSchema string
	From       string
	// Pos is where the comment starts.
	Pos schema.Pos
	// Text is the comment as written, for messages.
	Text string
}

// Comment prefixes that carry a rename.
const (
	renamedFromDirective = "ddlmig:renamed-from"
	sqldefRenamed        = "@renamed"
)

// RenameDirectives returns the rename comments of a schema file in file
// order. Comments are found by PostgreSQL's own scanner, so the same words
// inside a string literal or a quoted identifier are not directives. A
// directive without a usable old name is an error at its position.
func RenameDirectives(file string, src []byte) ([]RenameDirective, error) {
	// Most files have none: skip the scan (a cgo call over the whole file).
	if !bytes.Contains(src, []byte(renamedFromDirective)) && !bytes.Contains(src, []byte(sqldefRenamed)) {
		return nil, nil
	}
	res, err := pg_query.Scan(string(src))
	if err != nil {
		return nil, schema.Errorf(schema.Pos{File: file}, "scanning for rename comments: %v", err)
	}
	s := newSource(file, string(src))
	var out []RenameDirective
	var errs schema.ErrorList
	for _, tok := range res.Tokens {
		if tok.Token != pg_query.Token_SQL_COMMENT && tok.Token != pg_query.Token_C_COMMENT {
			continue
		}
		text := string(src[tok.Start:tok.End])
		body, ok := directiveBody(text)
		if !ok {
			continue
		}
		pos := s.pos(int(tok.Start))
		sch, name, ok := splitOldName(body)
		if !ok {
			errs.Add(pos, "rename comment %q: want -- ddlmig:renamed-from OLD_NAME or -- @renamed from=OLD_NAME", strings.TrimSpace(text))
			continue
		}
		out = append(out, RenameDirective{FromSchema: sch, From: name, Pos: pos, Text: strings.TrimSpace(text)})
	}
	return out, errs.Err()
}

// directiveBody returns what follows the directive word in a comment:
// "old" for "-- ddlmig:renamed-from old" and "from=old" for sqldef's
// form, with the "from=" removed. ok is false for an ordinary comment.
func directiveBody(comment string) (string, bool) {
	var c string
	switch {
	case strings.HasPrefix(comment, "--"):
		c = comment[2:]
	case strings.HasPrefix(comment, "/*"):
		c = strings.TrimSuffix(comment[2:], "*/")
	default:
		return "", false
	}
	c = strings.TrimSpace(c)
	if rest, ok := strings.CutPrefix(c, renamedFromDirective); ok {
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '=' {
			return "", false // a longer word
		}
		return strings.TrimLeft(rest, " \t="), true
	}
	if rest, ok := strings.CutPrefix(c, sqldefRenamed); ok {
		rest = strings.TrimSpace(rest)
		if after, ok := strings.CutPrefix(rest, "from="); ok {
			return after, true
		}
		return "", true // @renamed without from=: malformed
	}
	return "", false
}

// splitOldName reads an identifier, possibly qualified and possibly
// quoted, at the start of s, as PostgreSQL reads identifiers.
func splitOldName(s string) (sch, name string, ok bool) {
	var parts []string
	i := 0
	for {
		if i >= len(s) {
			return "", "", false
		}
		var part string
		if s[i] == '"' {
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(s) {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					closed = true
					j++
					break
				}
				b.WriteByte(s[j])
				j++
			}
			if !closed || b.Len() == 0 {
				return "", "", false
			}
			part, i = b.String(), j
		} else {
			j := i
			for j < len(s) && s[j] != '.' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != ',' && s[j] != ';' && s[j] != '*' {
				j++
			}
			if j == i {
				return "", "", false
			}
			part, i = foldIdent(s[i:j]), j
		}
		parts = append(parts, part)
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		break
	}
	switch len(parts) {
	case 1:
		return "", parts[0], true
	case 2:
		return parts[0], parts[1], true
	}
	return "", "", false
}

// foldIdent folds an unquoted identifier as PostgreSQL does for UTF-8
// input: ASCII letters to lower case, everything else kept.
func foldIdent(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
