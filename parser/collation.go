package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// collationOptions are the options of CREATE COLLATION in the order the
// canonical text lists them.
var collationOptions = []string{"provider", "locale", "lc_collate", "lc_ctype", "deterministic"}

// createCollation folds CREATE COLLATION name (options). The options are
// made canonical as pg_dump writes them: the provider spelled out (libc by
// default), one locale when lc_collate and lc_ctype agree, deterministic
// only when false. CREATE COLLATION ... FROM is not supported (what it
// copies depends on the server).
func (f *folder) createCollation(st *stmt, ds *pg_query.DefineStmt) error {
	q := listName(ds.Defnames)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	opts := map[string]string{}
	for _, n := range ds.Definition {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		var v string
		switch {
		case d.Defname == "from":
			return f.unsupportedf(st.pos, "CREATE COLLATION ... FROM: spell out provider and locale")
		case d.Defname == "version":
			continue // the library's version, not part of the definition
		case d.Arg.GetTypeName() != nil:
			v = strings.Join(strs(d.Arg.GetTypeName().Names), ".")
		case d.Arg.GetString_() != nil:
			v = d.Arg.GetString_().GetSval()
		case d.Arg.GetBoolean() != nil:
			v = "false"
			if d.Arg.GetBoolean().Boolval {
				v = "true"
			}
		default:
			return f.errorf(st.pos, "unsupported CREATE COLLATION option %s", d.Defname)
		}
		opts[strings.ToLower(d.Defname)] = v
	}
	if opts["provider"] == "" {
		opts["provider"] = "libc"
	}
	if opts["locale"] == "" && opts["lc_collate"] != "" && opts["lc_collate"] == opts["lc_ctype"] {
		opts["locale"] = opts["lc_collate"]
	}
	if opts["locale"] != "" {
		delete(opts, "lc_collate")
		delete(opts, "lc_ctype")
	}
	if d := strings.ToLower(opts["deterministic"]); d == "true" || d == "on" || d == "yes" || d == "1" {
		delete(opts, "deterministic")
	} else if d != "" {
		opts["deterministic"] = "false"
	}
	var parts []string
	for _, k := range collationOptions {
		v, ok := opts[k]
		if !ok {
			continue
		}
		if k != "provider" && k != "deterministic" {
			v = schema.QuoteLiteral(v)
		}
		parts = append(parts, k+" = "+v)
	}
	if f.cat.Collations[q] != nil {
		if ds.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "collation %s already exists", q)
	}
	f.cat.Collations[q] = &schema.Collation{Name: q, Def: strings.Join(parts, ", "), Pos: st.pos}
	return nil
}

// qualifyCollations writes the user collations that columns, domains and
// attributes name without a schema as pg_dump does, qualified
// (public.ci), so that both spellings compare equal.
func (f *folder) qualifyCollations() {
	fix := f.collationFix()
	if fix == nil {
		return
	}
	qualifyColumnCollations(f.cat.Tables, fix)
	for _, d := range f.cat.Domains {
		d.Collation = fix(d.Collation)
	}
	for _, ct := range f.cat.Composites {
		for i := range ct.Attributes {
			ct.Attributes[i].Collation = fix(ct.Attributes[i].Collation)
		}
	}
}

// collationFix returns the function that qualifies a collation name as
// qualifyCollations does, or nil when the catalog has no user collation.
func (f *folder) collationFix() func(string) string {
	if len(f.cat.Collations) == 0 {
		return nil
	}
	return func(c string) string {
		if c == "" || strings.Contains(c, ".") {
			return c
		}
		name := strings.Trim(c, `"`)
		if q := (schema.QualifiedName{Schema: schema.DefaultSchema, Name: name}); f.cat.Collations[q] != nil {
			return q.String()
		}
		return c
	}
}

// qualifyColumnCollations applies fix to the collations of the columns of
// tables.
func qualifyColumnCollations(tables map[schema.QualifiedName]*schema.Table, fix func(string) string) {
	for _, t := range tables {
		for _, c := range t.Columns {
			c.Collation = fix(c.Collation)
		}
	}
}

// dropCollation folds DROP COLLATION.
func (f *folder) dropCollation(st *stmt, q schema.QualifiedName, missingOK bool) error {
	if f.cat.Collations[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "collation %s does not exist", q)
	}
	delete(f.cat.Collations, q)
	return nil
}

func init() {
	registerKind("collation", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			define(pg_query.ObjectType_OBJECT_COLLATION): func(f *folder, st *stmt) error {
				return f.createCollation(st, st.node.GetDefineStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_COLLATION): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					return f.dropCollation(st, listName(obj.GetList().GetItems()), missingOK)
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_COLLATION): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				q := listName(cs.Object.GetList().GetItems())
				return f.setComment(st, schema.Object{Kind: schema.KindCollation, Name: q}, cs.Comment, "collation %s does not exist", q)
			},
			on[*pg_query.Node_AlterOwnerStmt](pg_query.ObjectType_OBJECT_COLLATION): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					q := listName(as.Object.GetList().GetItems())
					if f.cat.Collations[q] == nil {
						return schema.Object{}, f.missingf(st.pos, "collation %s does not exist", q)
					}
					return schema.Object{Kind: schema.KindCollation, Name: q}, nil
				})
			},
		},
		objType:  pg_query.ObjectType_OBJECT_COLLATION,
		schemaOf: (*folder).collationSchema,
	})
}
