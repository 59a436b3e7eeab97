package oracle

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
)

// Compare reports every difference between two catalogs, one line each,
// sorted; no lines means the schemas are equal. Lines look like
//
//	column public.users.email: type text vs character varying(255)
//	table public.foo: only in A
//
// where the first value is a's and the second b's. An object missing on one
// side is reported once: its columns, constraints and other children are not
// listed again.
func Compare(a, b *Catalog) []string {
	var out []string
	only := func(from, to *Catalog, side string) {
		for id, o := range from.Objects {
			if _, ok := to.Objects[id]; ok {
				continue
			}
			if o.Parent != (ObjectID{}) {
				_, inFrom := from.Objects[o.Parent]
				_, inTo := to.Objects[o.Parent]
				if inFrom && !inTo {
					continue
				}
			}
			out = append(out, fmt.Sprintf("%s: only in %s", id, side))
		}
	}
	only(a, b, "A")
	only(b, a, "B")
	for id, oa := range a.Objects {
		ob, ok := b.Objects[id]
		if !ok {
			continue
		}
		for _, k := range propKeys(oa, ob) {
			if va, vb := oa.Props[k], ob.Props[k]; va != vb {
				out = append(out, fmt.Sprintf("%s: %s %s vs %s", id, k, oneLine(va), oneLine(vb)))
			}
		}
	}
	sort.Strings(out)
	return out
}

func propKeys(a, b *Object) []string {
	seen := map[string]bool{}
	var keys []string
	for _, o := range []*Object{a, b} {
		for k := range o.Props {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// CompareDatabases reads both databases' catalogs with the default options
// and compares them; A is urlA's database.
func CompareDatabases(ctx context.Context, urlA, urlB string) ([]string, error) {
	a, err := pgx.ParseConfig(urlA)
	if err != nil {
		return nil, err
	}
	b, err := pgx.ParseConfig(urlB)
	if err != nil {
		return nil, err
	}
	return CompareConfigs(ctx, a, b)
}

// CompareConfigs is CompareDatabases for parsed configs (a scratch
// database's, say).
func CompareConfigs(ctx context.Context, a, b *pgx.ConnConfig) ([]string, error) {
	ca, err := readCatalog(ctx, a, ReadOptions{})
	if err != nil {
		return nil, err
	}
	cb, err := readCatalog(ctx, b, ReadOptions{})
	if err != nil {
		return nil, err
	}
	return Compare(ca, cb), nil
}

// Lines lists every object and property of the catalog, one per line and
// sorted, in the same format as Compare: useful to see what the oracle
// compares, and pinned by a golden test.
func (c *Catalog) Lines() []string {
	var out []string
	for id, o := range c.Objects {
		out = append(out, id.String())
		for k, v := range o.Props {
			out = append(out, fmt.Sprintf("%s: %s %s", id, k, oneLine(v)))
		}
	}
	sort.Strings(out)
	return out
}
