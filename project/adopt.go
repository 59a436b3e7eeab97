package project

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// adoptUnmanaged folds into current (the migrations' catalog) the
// statements that migrations ran marked -- ddlmig:unmanaged and that
// desired (the schema file) now writes unmarked, as objects ddlmig models
// (parser.Adopt): the object exists on every database the migrations ran
// on, so the next migration must change it from what the statement made,
// not create it again, which PostgreSQL refuses. It returns their keys,
// which the next migration records (render.Header.Adopt) so that its own
// statements fold. A statement that desired no longer holds at all stays
// unmanaged, and nothing drops its object, as before.
//
// A statement is adopted when desired holds, managed, the object it names:
// when a DROP of its identity folds into a copy of desired. The copy costs
// about a sixth of the schema file's parse, so it is only made when the
// schema file's text (src) holds every name of the identity: a statement
// merely removed from the schema file, the usual candidate, costs a scan.
func adoptUnmanaged(current, desired *schema.Catalog, src string) ([]string, error) {
	var cands []*schema.Unmanaged
	for k, u := range current.Unmanaged {
		if !strings.HasPrefix(k, schema.UnmanagedStatementKey) && desired.Unmanaged[k] == nil {
			cands = append(cands, u)
		}
	}
	slices.SortFunc(cands, func(a, b *schema.Unmanaged) int { return a.Seq - b.Seq })
	var adopted []string
	lower := ""
	for _, u := range cands {
		if lower == "" {
			lower = strings.ToLower(src)
		}
		if !mentionsNames(lower, u.Key) || !managedIn(desired, u.Key) {
			continue
		}
		if err := parser.Adopt(current, u.Key); err != nil {
			return nil, fmt.Errorf("%s is managed in the schema file now, but the statement marked -- ddlmig:unmanaged that made it does not fold: %w\n"+
				"way out: keep it marked in the schema file, or drop it and create it again in a migration of your own (generate --empty)", u.Key, err)
		}
		adopted = append(adopted, u.Key)
	}
	return adopted, nil
}

// managedIn reports whether c holds, as an object ddlmig models, the
// object key (an unmanaged statement's identity, as DROP names it) names:
// whether DROP of it folds into a copy of c.
func managedIn(c *schema.Catalog, key string) bool {
	probe, err := cloneCatalog(c)
	if err != nil {
		return false
	}
	_, err = parser.Parse(probe, "probe", []byte("DROP "+key+" CASCADE;"), parser.Options{Migration: true})
	return err == nil
}

// mentionsNames reports whether text (lower case) holds the object's own
// name in an identity: the first field that is not an upper-case keyword,
// without its schema ("RULE r ON t": r; "TABLE public.t": t, which the
// schema file may write unqualified). A false yes costs a copy; a false no
// would miss an adoption, so only that name is required.
func mentionsNames(text, key string) bool {
	for _, field := range strings.Fields(key) {
		if field == strings.ToUpper(field) {
			continue
		}
		name := field[strings.LastIndexByte(field, '.')+1:]
		name = strings.Trim(name, `"(),`)
		return strings.Contains(text, strings.ToLower(name))
	}
	return true
}
