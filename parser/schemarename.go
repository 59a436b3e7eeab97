package parser

import (
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// renameSchema folds ALTER SCHEMA old RENAME TO newName. Everything in the
// schema moves with it (relations, views, types, sequences, routines,
// aggregates), and what names one of those objects names it anew:
// PostgreSQL stores them by OID, so it prints the new schema in
// signatures, calls, casts, views, triggers and nextval defaults. A schema
// holding an object whose references the fold does not follow is refused
// (unfollowedInSchema) rather than folded wrongly.
func (f *folder) renameSchema(st *stmt, old, newName string) error {
	if what := f.unfollowedInSchema(old); what != "" {
		return f.errorf(st.pos, "ddlmig cannot follow ALTER SCHEMA %s RENAME TO %s: it does not name the schema anew in %s; "+
			"way out: move or drop that object before the rename and create it again after it, or create the schema under its new name",
			schema.QuoteIdent(old), schema.QuoteIdent(newName), what)
	}
	ns := f.cat.Schemas[old]
	delete(f.cat.Schemas, old)
	ns.Name = newName
	f.cat.Schemas[newName] = ns
	f.renameOwner(schema.KindSchema, schema.QualifiedName{Name: old}, schema.QualifiedName{Name: newName})
	to := func(q schema.QualifiedName) schema.QualifiedName {
		return schema.QualifiedName{Schema: newName, Name: q.Name}
	}
	for _, q := range inSchema(f.cat.Tables, old) {
		f.renameTable(q, to(q))
		if err := f.retypeRoutinesAt(st, q, to(q)); err != nil {
			return err
		}
	}
	for _, q := range inSchema(f.cat.Sequences, old) {
		f.renameSequence(q, to(q))
	}
	for _, q := range inSchema(f.cat.Views, old) {
		if err := f.moveView(st, q, to(q)); err != nil {
			return err
		}
	}
	types := append(append(inSchema(f.cat.Enums, old), inSchema(f.cat.Domains, old)...), inSchema(f.cat.Composites, old)...)
	for _, q := range types {
		f.renameType(q, to(q))
		if err := f.retypeRoutinesAt(st, q, to(q)); err != nil {
			return err
		}
	}
	var called []schema.QualifiedName
	for _, key := range schema.SortedKeys(f.cat.Functions) {
		if q := f.cat.Functions[key].Name; q.Schema == old {
			if _, err := f.moveFunction(st, key, to(q)); err != nil {
				return err
			}
			called = appendName(called, q)
		}
	}
	for _, key := range schema.SortedKeys(f.cat.Aggregates) {
		if q := f.cat.Aggregates[key].Name; q.Schema == old {
			if err := f.moveAggregate(st, key, to(q)); err != nil {
				return err
			}
			called = appendName(called, q)
		}
	}
	// Overloads and aggregates move together: each name once. A call
	// written with the old schema is one of them, whatever other schema
	// has a function of that name.
	for _, q := range called {
		f.renameCallers(q, to(q))
	}
	for _, e := range f.cat.Extensions {
		if e.Schema == old {
			e.Schema = newName
		}
	}
	return nil
}

// inSchema lists the keys of m in schema s, sorted.
func inSchema[V any](m map[schema.QualifiedName]V, s string) []schema.QualifiedName {
	var out []schema.QualifiedName
	for _, q := range schema.SortedNames(m) {
		if q.Schema == s {
			out = append(out, q)
		}
	}
	return out
}

// unfollowedInSchema describes the first object that ties to schema s in a
// way renameSchema does not follow, or returns "": objects of the kinds it
// does not move (ranges, collations, text search objects, operators and
// their classes and families, statistics, objects carried as their
// statement), aggregates and ranges built on what s holds, casts naming
// it, and SQL-standard routine bodies reading its relations (PostgreSQL
// prints those with the new name; a quoted body stays as written).
func (f *folder) unfollowedInSchema(s string) string {
	in := func(qs []schema.QualifiedName) bool {
		return slices.ContainsFunc(qs, func(q schema.QualifiedName) bool { return q.Schema == s })
	}
	for _, kind := range []struct {
		what  string
		names []schema.QualifiedName
	}{
		{"range type", schema.SortedNames(f.cat.Ranges)},
		{"collation", schema.SortedNames(f.cat.Collations)},
		{"text search dictionary", schema.SortedNames(f.cat.TextSearch.Dicts)},
		{"text search configuration", schema.SortedNames(f.cat.TextSearch.Configs)},
		{"statistics object", schema.SortedNames(f.cat.Statistics)},
	} {
		if i := slices.IndexFunc(kind.names, func(q schema.QualifiedName) bool { return q.Schema == s }); i >= 0 {
			return kind.what + " " + kind.names[i].String() + " of the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Operators.Ops) {
		if f.cat.Operators.Ops[k].Name.Schema == s {
			return "operator " + k + " of the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Operators.Classes) {
		if f.cat.Operators.Classes[k].Name.Schema == s {
			return "operator class " + k + " of the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Operators.Families) {
		if f.cat.Operators.Families[k].Name.Schema == s {
			return "operator family " + k + " of the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Opaque) {
		if f.cat.Opaque[k].Schema == s {
			return k + " of the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Aggregates) {
		if a := f.cat.Aggregates[k]; in(a.Funcs) || in(a.Types) {
			return "aggregate " + k + ", built on what the schema holds"
		}
	}
	for _, q := range schema.SortedNames(f.cat.Ranges) {
		if r := f.cat.Ranges[q]; in(r.Types) || in(r.Funcs) {
			return "range type " + q.String() + ", built on what the schema holds"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Casts) {
		if strings.Contains(f.cat.Casts[k].Stmt, schema.QuoteIdent(s)+".") {
			return "cast " + k + ", which names the schema"
		}
	}
	for _, k := range schema.SortedKeys(f.cat.Functions) {
		if fn := f.cat.Functions[k]; in(fn.Refs) && standardBody(fn) {
			return "routine " + k + ", whose SQL-standard body reads a relation of the schema"
		}
	}
	return ""
}

// standardBody reports whether fn's body is SQL-standard (RETURN, BEGIN
// ATOMIC), which PostgreSQL stores parsed, rather than a quoted text.
func standardBody(fn *schema.Function) bool {
	tree, err := pgdecode.Parse(fn.Def)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	return tree.Stmts[0].Stmt.GetCreateFunctionStmt().GetSqlBody() != nil
}
