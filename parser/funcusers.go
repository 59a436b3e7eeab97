package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// findFunctionUsers records on each function the defaults, generated
// columns, checks and indexes that call it, from their parse trees. Texts
// that do not mention a function name followed by "(" are not parsed, so
// a catalog without functions costs nothing.
func (f *folder) findFunctionUsers() {
	if len(f.cat.Functions) == 0 {
		return
	}
	byName := map[schema.QualifiedName][]*schema.Function{}
	for _, fn := range f.cat.Functions {
		fn.Users = nil
		byName[fn.Name] = append(byName[fn.Name], fn)
	}
	mentions := f.functionMentions()
	record := func(m protoreflect.Message, u schema.FunctionUser) {
		seen := map[schema.QualifiedName]bool{}
		walk(m, func(m protoreflect.Message) {
			fc, ok := m.Interface().(*pg_query.FuncCall)
			if !ok {
				return
			}
			q := listName(fc.Funcname)
			if seen[q] {
				return
			}
			seen[q] = true
			for _, fn := range byName[q] {
				fn.Users = append(fn.Users, u)
			}
		})
	}
	for _, tn := range schema.SortedNames(f.cat.Tables) {
		t := f.cat.Tables[tn]
		for _, c := range t.Columns {
			for _, x := range []struct{ kind, text string }{{"default", c.Default}, {"generated", c.Generated}} {
				if x.text == "" || !mentions(x.text) {
					continue
				}
				if e, err := parseExpr(x.text); err == nil {
					record(e.ProtoReflect(), schema.FunctionUser{Kind: x.kind, Table: tn, Name: c.Name})
				}
			}
		}
		for _, c := range t.Constraints {
			if c.Kind != schema.Check || !mentions(c.Def) {
				continue
			}
			if tree, err := pgdecode.Parse("ALTER TABLE t ADD " + c.Def); err == nil {
				record(tree.ProtoReflect(), schema.FunctionUser{Kind: "check", Table: tn, Name: c.Name})
			}
		}
		for _, p := range t.Policies {
			for _, text := range []string{p.Using, p.WithCheck} {
				if text == "" || !mentions(text) {
					continue
				}
				if e, err := parseExpr(text); err == nil {
					record(e.ProtoReflect(), schema.FunctionUser{Kind: "policy", Table: tn, Name: p.Name})
				}
			}
		}
	}
	for _, in := range schema.SortedNames(f.cat.Indexes) {
		ix := f.cat.Indexes[in]
		if !mentions(ix.Def) {
			continue
		}
		if n, err := parseIndexDef(ix.Def); err == nil {
			record(n.ProtoReflect(), schema.FunctionUser{Kind: "index", Table: ix.Table, Name: in.Name})
		}
	}
}

// functionMentions returns a test of whether a text mentions the name of
// one of the schema's functions followed by "(", which a text that calls
// one does; nil when there are no functions.
func (f *folder) functionMentions() func(string) bool {
	if len(f.cat.Functions) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var names []string
	for _, fn := range f.cat.Functions {
		if n := fn.Name.Name + "("; !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return func(s string) bool {
		for _, n := range names {
			if strings.Contains(s, n) {
				return true
			}
		}
		return false
	}
}
