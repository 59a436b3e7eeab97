package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// checkForeignKeys makes the checks PostgreSQL makes when it adds a
// foreign key and that need the whole file (the referenced table may come
// later): the referenced columns exist, a primary key, unique constraint
// or plain unique index covers exactly them, and both sides have as many
// columns. Only this file's constraints are checked, once (finish runs
// again for the next file on the same catalog). Where the fold does not
// model the referenced side fully (a partition, whose constraints come
// from its parent), nothing is refused. names are the tables to look at,
// in order: the catalog's, or those the file touched (finishTouched).
func (f *folder) checkForeignKeys(names []schema.QualifiedName) {
	for _, tn := range names {
		for _, c := range f.cat.Tables[tn].Constraints {
			if c.Kind != schema.ForeignKey || !f.src.owns(c.Pos.File) {
				continue
			}
			ref := f.cat.Tables[c.RefTable]
			if ref == nil || len(c.RefColumns) == 0 {
				continue // reported by finish
			}
			missing := false
			for _, col := range c.RefColumns {
				if ref.Column(col) == nil {
					f.errs.Add(f.refColumnPos(c.Pos, col), "foreign key %s: column %s referenced in foreign key constraint does not exist", schema.QuoteIdent(c.Name), schema.QuoteIdent(col))
					missing = true
				}
			}
			if missing {
				continue
			}
			if !ref.Options.IsPartition() && !f.uniqueOver(ref, c.RefColumns) {
				f.errs.Add(c.Pos, "foreign key %s: there is no unique constraint matching given keys for referenced table %s", schema.QuoteIdent(c.Name), schema.QuoteIdent(ref.Name.Name))
				continue
			}
			if len(c.Columns) != len(c.RefColumns) {
				f.errs.Add(c.Pos, "foreign key %s: number of referencing and referenced columns for foreign key disagree", schema.QuoteIdent(c.Name))
			}
		}
	}
}

// uniqueOver reports whether a primary key, a unique constraint or a unique
// index without predicate or expressions of t has exactly cols as its key
// columns, in any order, as PostgreSQL requires of a foreign key's target.
// An index ddlmig cannot read counts as a match.
func (f *folder) uniqueOver(t *schema.Table, cols []string) bool {
	for _, c := range t.Constraints {
		if (c.Kind == schema.PrimaryKey || c.Kind == schema.Unique) && sameSet(c.Columns, cols) {
			return true
		}
	}
	for _, ix := range f.cat.Indexes {
		if ix.Table != t.Name || !ix.Unique {
			continue
		}
		n, err := parseIndexDef(ix.Def)
		if err != nil {
			return true
		}
		if n.WhereClause != nil || len(n.IndexParams) != len(cols) {
			continue
		}
		var keys []string
		for _, p := range n.IndexParams {
			if ie := p.GetIndexElem(); ie.GetExpr() == nil {
				keys = append(keys, ie.GetName())
			}
		}
		if sameSet(keys, cols) {
			return true
		}
	}
	return false
}

// refColumnPos returns where col is named in the REFERENCES list of the
// foreign key written at pos, or pos when it cannot be found there.
func (f *folder) refColumnPos(pos schema.Pos, col string) schema.Pos {
	text := f.src.text
	off, ok := f.src.offset(pos)
	if !ok {
		return pos
	}
	// The constraint ends by the end of its statement at the latest; a
	// semicolon inside it (in a string) only cuts the search short.
	end := len(text)
	if i := strings.IndexByte(text[off:], ';'); i >= 0 {
		end = off + i
	}
	res, err := pg_query.Scan(text[off:end])
	if err != nil {
		return pos
	}
	seen, inList := false, false
	for _, tok := range res.Tokens {
		word := text[off+int(tok.Start) : off+int(tok.End)]
		switch {
		case !seen:
			seen = strings.EqualFold(word, "references")
		case !inList:
			inList = word == "("
		case word == ")":
			return pos
		case identName(word) == col:
			return f.src.pos(off + int(tok.Start))
		}
	}
	return pos
}

// identName is the name an identifier token stands for: folded to lower
// case, or unquoted.
func identName(word string) string {
	if len(word) >= 2 && word[0] == '"' {
		return strings.ReplaceAll(word[1:len(word)-1], `""`, `"`)
	}
	return strings.ToLower(word)
}
