package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// usingDirective is the comment that says how a column's values convert
// when its type changes and PostgreSQL has no cast (or the cast is not the
// conversion wanted), on the column's line in CREATE TABLE:
//
//	created bigint, -- ddlmig:using to_timestamp(created)
//
// The planner writes ALTER COLUMN ... TYPE ... USING with the expression.
const usingDirective = "ddlmig:using"

// downUsingDirective is the comment that says how the down migration
// converts the values back, on the same line, where PostgreSQL has no cast
// for that either:
//
//	created timestamp, /* ddlmig:using to_timestamp(created) */ -- ddlmig:down-using extract(epoch FROM created)::bigint
const downUsingDirective = "ddlmig:down-using"

// usingKey finds a line's using or down-using comment.
type usingKey struct {
	line int
	down bool
}

// usingComment is one ddlmig:using comment of the file.
type usingComment struct {
	expr string // canonical; "" when it does not parse (err is set)
	err  error
	pos  schema.Pos
	used bool
	down bool // ddlmig:down-using
}

// directive is the comment's directive, for messages.
func (c *usingComment) directive() string {
	if c.down {
		return downUsingDirective
	}
	return usingDirective
}

// usingComments returns the file's ddlmig:using and down-using comments by line, found
// once by PostgreSQL's own scanner (the same words in a literal are not a
// comment). Most files have none and are not scanned.
func (f *folder) usingComments() map[usingKey]*usingComment {
	if f.using != nil || f.opts.Migration {
		return f.using
	}
	f.using = map[usingKey]*usingComment{}
	text := f.src.text
	if !strings.Contains(text, usingDirective) && !strings.Contains(text, downUsingDirective) {
		return f.using
	}
	res, err := pg_query.Scan(text)
	if err != nil {
		return f.using // a file that does not scan fails to parse anyway
	}
	for _, tok := range res.Tokens {
		if tok.Token != pg_query.Token_SQL_COMMENT && tok.Token != pg_query.Token_C_COMMENT {
			continue
		}
		body, down, ok := usingBody(text[tok.Start:tok.End])
		if !ok {
			continue
		}
		c := &usingComment{pos: f.src.pos(int(tok.Start)), down: down}
		if e, err := parseExpr(body); err != nil || strings.TrimSpace(body) == "" {
			c.err = f.errorf(c.pos, "-- %s: want an expression after it (%s), e.g. -- %s to_timestamp(created)", c.directive(), strings.TrimSpace(body), c.directive())
		} else if c.expr, err = deparseExpr(e); err != nil {
			c.err = f.errorf(c.pos, "-- %s: %v", c.directive(), err)
		}
		f.using[usingKey{c.pos.Line, down}] = c
	}
	return f.using
}

// usingBody returns the expression of a ddlmig:using or (down set)
// ddlmig:down-using comment; ok is false for any other comment.
func usingBody(comment string) (body string, down, ok bool) {
	var c string
	switch {
	case strings.HasPrefix(comment, "--"):
		c = comment[2:]
	case strings.HasPrefix(comment, "/*"):
		c = strings.TrimSuffix(comment[2:], "*/")
	default:
		return "", false, false
	}
	c = strings.TrimSpace(c)
	rest, ok := strings.CutPrefix(c, usingDirective)
	if !ok {
		rest, down = strings.CutPrefix(c, downUsingDirective)
	}
	if !ok && !down || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false, false
	}
	return strings.TrimSpace(rest), down, true
}

// attachUsing gives each column of a new table the ddlmig:using
// expression written on its line; a line with two columns is ambiguous.
func (f *folder) attachUsing(t *schema.Table) error {
	comments := f.usingComments()
	if len(comments) == 0 {
		return nil
	}
	var errs schema.ErrorList
	for i, col := range t.Columns {
		if i > 0 && t.Columns[i-1].Pos.Line == col.Pos.Line {
			continue // reported with the line's first column
		}
		alone := i+1 == len(t.Columns) || t.Columns[i+1].Pos.Line != col.Pos.Line
		for _, down := range []bool{false, true} {
			c := comments[usingKey{col.Pos.Line, down}]
			if c == nil || col.Pos.File != c.pos.File {
				continue
			}
			c.used = true
			switch {
			case c.err != nil:
				addErr(&errs, c.err)
			case !alone:
				errs.Add(c.pos, "-- %s: the line holds more than one column; put the column it is for on a line of its own", c.directive())
			case down:
				col.DownUsing = c.expr
			default:
				col.Using = c.expr
			}
		}
	}
	return errs.Err()
}

// unusedUsing reports the ddlmig:using comments on no column's line: they
// would be ignored.
func (f *folder) unusedUsing() {
	for _, c := range f.using {
		if !c.used {
			f.errs.Add(c.pos, "-- %s is not on the line of a column in CREATE TABLE; put it after the column whose values it converts", c.directive())
		}
	}
}
