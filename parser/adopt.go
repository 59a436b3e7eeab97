package parser

import (
	"bytes"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// Adopt folds into cat, as an object ddlmig models, the statement marked
// -- ddlmig:unmanaged that made the object key names (its identity, as
// schema.Unmanaged.Key spells it): the migrations ran it, so the object
// exists, and once schema.sql writes it unmarked the next migration must
// change it, not create it again. The statement is folded as written, at
// its own file and line, and leaves cat.Unmanaged.
func Adopt(cat *schema.Catalog, key string) error {
	u := cat.Unmanaged[key]
	if u == nil {
		return fmt.Errorf("no statement marked -- ddlmig:unmanaged made %s", key)
	}
	delete(cat.Unmanaged, key)
	// Blank lines put the statement at its own line in positions.
	src := strings.Repeat("\n", max(u.Pos.Line-1, 0)) + u.Text + ";\n"
	_, err := Parse(cat, u.Pos.File, []byte(src), Options{Migration: true})
	return err
}

// adoptMarked folds the schema.AdoptMarker lines of a migration, before
// its statements: each adopts (Adopt) the unmanaged statement it names.
// Comments are found by PostgreSQL's own scanner, so the words inside a
// string are no marker.
func (f *folder) adoptMarked() {
	text := f.src.text
	if !strings.Contains(text, schema.AdoptMarker) {
		return
	}
	res, err := pg_query.Scan(text)
	if err != nil {
		return // the parse that follows reports it
	}
	src := []byte(text)
	for _, tok := range res.Tokens {
		if tok.Token != pg_query.Token_SQL_COMMENT {
			continue
		}
		c := bytes.TrimSpace(src[tok.Start:tok.End])
		key, ok := bytes.CutPrefix(c, []byte(schema.AdoptMarker+" "))
		if !ok {
			continue
		}
		pos := f.src.pos(int(tok.Start))
		k := string(bytes.TrimSpace(key))
		if f.cat.Unmanaged[k] == nil {
			f.report(schema.Errorf(pos, "%s names %s, which no statement marked -- ddlmig:unmanaged made in an earlier migration", schema.AdoptMarker, k))
			continue
		}
		// Adopt folds on the side, with a folder of its own: what it
		// names and touches is not in this folder's index nor known to
		// be finished.
		f.taken, f.touchedAll = nil, true
		if err := Adopt(f.cat, k); err != nil {
			f.report(schema.Errorf(pos, "%s: the statement that made it does not fold: %v", strings.TrimSpace(string(c)), err))
		}
	}
}
