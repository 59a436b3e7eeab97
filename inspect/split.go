package inspect

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Split reads the database as Schema does and returns its schema as files,
// keyed by a slash-separated path relative to the folder they go in: the
// objects of no schema (schemas, extensions, casts, publications, ...) in
// files at the top, each schema's objects in a folder named after it; one
// file per kind, named NN_KIND.sql with NN the rank print orders kinds by,
// so that reading the files in the lexical order of their paths
// (--schema DIR) puts each kind where print puts it, and within a file the
// objects keep print's dependency order. The fold accepts objects that use
// ones defined later (a view before its table), which covers what this
// order cannot: a schema's objects using those of a schema read after it.
func Split(ctx context.Context, conn *pgx.Conn, opts Options) (map[string]string, error) {
	var where map[*item]place
	r, err := load(ctx, conn, opts, func(r *reader, ctx context.Context) error {
		var err error
		where, err = r.places(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	sorted := r.sorted()
	nums := numbers(sorted, where)
	width := 2
	for _, n := range nums {
		width = max(width, len(strconv.Itoa(n)))
	}
	files := map[string]*strings.Builder{}
	for _, it := range sorted {
		p := where[it].path(nums[it], width, it.rank)
		b := files[p]
		if b == nil {
			b = &strings.Builder{}
			b.WriteString(r.header())
			files[p] = b
		}
		b.WriteString("\n")
		for _, s := range it.sql {
			b.WriteString(s + "\n")
		}
	}
	out := make(map[string]string, len(files))
	for p, b := range files {
		out[p] = b.String()
	}
	return out, nil
}

// place is where an item's file goes: the schema of its object ("" for
// none) and the kind of object, as pg_identify_object names them.
type place struct{ schema, kind string }

// pseudoClass maps the keys of items that are not a catalog row of their
// own to the catalog of the relation they are about.
var pseudoClass = map[string]string{
	"owned by":         "pg_class",
	"replica identity": "pg_class",
	"attstattarget":    "pg_class",
}

// pseudoKind names the kind of those items.
var pseudoKind = map[string]string{
	"owned by":         "sequence owner",
	"replica identity": "replica identity",
	"attstattarget":    "statistics target",
}

// placesSQL names the schema and kind of each object: pg_identify_object
// gives no schema for what hangs off a relation without a schema of its
// own (a trigger, a policy, a rule), which goes with its relation.
const placesSQL = `SELECT (u.i - 1)::text, COALESCE(x.type, ''), COALESCE(x.schema, (
		SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = CASE u.c
			WHEN 'pg_trigger' THEN (SELECT tgrelid FROM pg_catalog.pg_trigger WHERE oid = u.o::pg_catalog.oid)
			WHEN 'pg_policy' THEN (SELECT polrelid FROM pg_catalog.pg_policy WHERE oid = u.o::pg_catalog.oid)
			WHEN 'pg_rewrite' THEN (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = u.o::pg_catalog.oid)
		END), '')
	FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(c, o, i),
	LATERAL pg_catalog.pg_identify_object(('pg_catalog.' || u.c)::pg_catalog.regclass, u.o::pg_catalog.oid, 0) x`

// places asks the server for each item's schema and kind.
func (r *reader) places(ctx context.Context) (map[*item]place, error) {
	classes := make([]string, len(r.order))
	oids := make([]string, len(r.order))
	for i, it := range r.order {
		classes[i], oids[i] = it.key.class, it.key.oid
		if c, ok := pseudoClass[it.key.class]; ok {
			classes[i] = c
		}
	}
	out := make(map[*item]place, len(r.order))
	err := r.rows(ctx, placesSQL,
		func(c []string) {
			i, _ := strconv.Atoi(c[0])
			it := r.order[i]
			kind := c[1]
			if k, ok := pseudoKind[it.key.class]; ok {
				kind = k
			} else if it.rank == rankForeignKey {
				kind = "foreign key"
			}
			out[it] = place{schema: c[2], kind: kind}
		}, classes, oids)
	return out, err
}

// numbers gives each item the number of its file: its rank, or more, so
// that it comes after what it uses in its schema's folder: a number above
// that of each such item of another kind (a function whose BEGIN ATOMIC
// body reads a table goes in 13_functions.sql, after 12_tables.sql), the
// same as an item of its own kind in its file. sorted is in dependency
// order, so each item's number is final when it is reached.
func numbers(sorted []*item, where map[*item]place) map[*item]int {
	num := make(map[*item]int, len(sorted))
	for _, it := range sorted {
		num[it] = max(num[it], it.rank)
		for _, u := range it.users {
			if where[u].schema != where[it].schema {
				continue
			}
			next := num[it]
			if where[u].kind != where[it].kind {
				next++
			}
			num[u] = max(num[u], next)
		}
	}
	return num
}

// path is the file of an item at p, numbered num (in width digits). The
// objects of no schema go at the top, read before the schemas' folders, but
// for default privileges, which apply to what is created after them: they
// go in a file whose name begins with ~, which sorts after every folder's
// (folder escapes ~).
func (p place) path(num, width, rank int) string {
	kind := p.kind
	if kind == "" {
		kind = "object"
	}
	file := fmt.Sprintf("%0*d_%s.sql", width, num, strings.ReplaceAll(plural(kind), " ", "_"))
	switch {
	case p.schema != "":
		return folder(p.schema) + "/" + file
	case rank == rankDefaultPrivileges:
		return "~" + file
	}
	return file
}

// plural is the English plural of a kind of object.
func plural(s string) string {
	if s == "default acl" {
		return "default privileges"
	}
	switch {
	case strings.HasSuffix(s, "x"), strings.HasSuffix(s, "s"):
		return s + "es"
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

// folder is a schema's name as a folder name, escaped as a URL path
// segment (a/b is a%2Fb, bytes beyond ASCII are %XX), so that any name
// PostgreSQL accepts gives one folder; a leading dot is escaped too, so
// that no schema's folder is hidden or names a parent. Schemas whose names
// differ only in case share a folder on a case-insensitive file system.
// ~ is escaped so that no folder sorts after the top-level files that
// begin with it.
func folder(schema string) string {
	s := strings.ReplaceAll(url.PathEscape(schema), "~", "%7E")
	if strings.HasPrefix(s, ".") {
		s = "%2E" + s[1:]
	}
	return s
}
