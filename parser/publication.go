package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// publishActions are the values of the publish option in canonical order.
var publishActions = []string{"insert", "update", "delete", "truncate"}

// defaultPublicationOptions is the canonical WITH list of a publication
// that sets none.
const defaultPublicationOptions = "publish = 'insert, update, delete, truncate', publish_via_partition_root = false"

// createPublication folds CREATE PUBLICATION. Its tables, schemas and
// options are kept canonical (tables qualified, in name order, ONLY left
// out: ddlmig models no inheritance) so that pg_dump's CREATE then ALTER
// PUBLICATION ... ADD TABLE ONLY compares equal to one statement.
func (f *folder) createPublication(st *stmt, cs *pg_query.CreatePublicationStmt) error {
	if f.cat.Publications[cs.Pubname] != nil {
		return f.errorf(st.pos, "publication %s already exists", schema.QuoteIdent(cs.Pubname))
	}
	p := &schema.Publication{Name: cs.Pubname, Pos: st.pos}
	p.AllTables = cs.ForAllTables
	p.Options = defaultPublicationOptions
	if err := f.publicationOptions(st, p, cs.Options); err != nil {
		return err
	}
	if err := f.publicationObjects(st, p, cs.Pubobjects, pg_query.AlterPublicationAction_AP_AddObjects); err != nil {
		return err
	}
	f.cat.Publications[cs.Pubname] = p
	return f.publicationStmt(st, p)
}

// publicationStmt sets p.Stmt: CREATE PUBLICATION with what p holds, its
// tables as the user's trees deparse.
func (f *folder) publicationStmt(st *stmt, p *schema.Publication) error {
	s := "CREATE PUBLICATION " + schema.QuoteIdent(p.Name)
	if objs := schema.PublicationObjects(&p.PublicationDef); objs != "" {
		s += " FOR " + objs
	} else if p.AllTables {
		s += " FOR ALL TABLES"
	}
	if p.Options != defaultPublicationOptions {
		s += " WITH (" + p.Options + ")"
	}
	p.Stmt = s
	return nil
}

// publicationOptions folds a WITH list into p.Options.
func (f *folder) publicationOptions(st *stmt, p *schema.Publication, opts []*pg_query.Node) error {
	publish, root := "insert, update, delete, truncate", "false"
	if cur := strings.SplitN(p.Options, ", publish_via_partition_root = ", 2); len(cur) == 2 {
		publish, root = strings.TrimSuffix(strings.TrimPrefix(cur[0], "publish = '"), "'"), cur[1]
	}
	for _, n := range opts {
		d := n.GetDefElem()
		switch strings.ToLower(d.GetDefname()) {
		case "publish":
			var acts []string
			for _, a := range strings.Split(d.Arg.GetString_().GetSval(), ",") {
				a = strings.ToLower(strings.TrimSpace(a))
				if a == "" {
					continue
				}
				if !slices.Contains(publishActions, a) {
					return f.errorf(f.at(st, d.Location), "unrecognized value for publication option \"publish\": %s", schema.QuoteLiteral(a))
				}
				acts = append(acts, a)
			}
			var canon []string
			for _, a := range publishActions {
				if slices.Contains(acts, a) {
					canon = append(canon, a)
				}
			}
			publish = strings.Join(canon, ", ")
		case "publish_via_partition_root":
			root = "true"
			if d.Arg != nil && !defTrue(d.Arg) {
				root = "false"
			}
		default:
			return f.errorf(f.at(st, d.GetLocation()), "unrecognized publication parameter: %s", schema.QuoteIdent(d.GetDefname()))
		}
	}
	p.Options = "publish = '" + publish + "', publish_via_partition_root = " + root
	return nil
}

// defTrue reports whether a boolean option's argument is true.
func defTrue(n *pg_query.Node) bool {
	switch x := n.Node.(type) {
	case *pg_query.Node_Boolean:
		return x.Boolean.Boolval
	case *pg_query.Node_String_:
		v := strings.ToLower(x.String_.Sval)
		return v == "true" || v == "on" || v == "1"
	case *pg_query.Node_Integer:
		return x.Integer.Ival != 0
	}
	return false
}

// publicationObjects adds, drops or sets the tables and schemas of p.
func (f *folder) publicationObjects(st *stmt, p *schema.Publication, objs []*pg_query.Node, action pg_query.AlterPublicationAction) error {
	if action == pg_query.AlterPublicationAction_AP_SetObjects {
		p.Tables, p.Schemas = nil, nil
	}
	for _, n := range objs {
		o := n.GetPublicationObjSpec()
		switch o.GetPubobjtype() {
		case pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLE:
			q := rangeVarName(o.Pubtable.Relation)
			if action == pg_query.AlterPublicationAction_AP_DropObjects {
				p.Tables = slices.DeleteFunc(p.Tables, func(t schema.PublishedTable) bool { return t.Table == q })
				continue
			}
			if f.cat.Tables[q] == nil {
				return f.missingf(f.at(st, o.Location), "relation %s does not exist", q)
			}
			t, err := f.publishedTable(st, q, o.Pubtable)
			if err != nil {
				return err
			}
			p.Tables = slices.DeleteFunc(p.Tables, func(x schema.PublishedTable) bool { return x.Table == q })
			p.Tables = append(p.Tables, t)
		case pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_SCHEMA, pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA:
			ns := o.Name
			if o.Pubobjtype == pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA {
				ns = f.creationSchema()
			}
			p.Schemas = slices.DeleteFunc(p.Schemas, func(s string) bool { return s == ns })
			if action == pg_query.AlterPublicationAction_AP_DropObjects {
				continue
			}
			if f.cat.Schemas[ns] == nil {
				return f.missingf(f.at(st, o.Location), "schema %s does not exist", schema.QuoteIdent(ns))
			}
			p.Schemas = append(p.Schemas, ns)
		default:
			return f.errorf(st.pos, "unsupported publication object")
		}
	}
	slices.SortFunc(p.Tables, func(a, b schema.PublishedTable) int { return strings.Compare(a.Table.String(), b.Table.String()) })
	slices.Sort(p.Schemas)
	return nil
}

// publishedTable deparses one table of FOR TABLE as SET TABLE takes it:
// the name qualified, ONLY left out, the column list and row filter as
// the user wrote them.
func (f *folder) publishedTable(st *stmt, q schema.QualifiedName, pt *pg_query.PublicationTable) (schema.PublishedTable, error) {
	rv := rangeVar(q)
	rv.Inh = true
	normalizeExpr(pt.WhereClause, tableTypes(f.cat.Tables[q]))
	tree := &pg_query.CreatePublicationStmt{Pubname: "p", Pubobjects: []*pg_query.Node{{Node: &pg_query.Node_PublicationObjSpec{PublicationObjSpec: &pg_query.PublicationObjSpec{
		Pubobjtype: pg_query.PublicationObjSpecType_PUBLICATIONOBJ_TABLE,
		Pubtable:   &pg_query.PublicationTable{Relation: rv, WhereClause: pt.WhereClause, Columns: pt.Columns}, Location: -1}}}}}
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreatePublicationStmt{CreatePublicationStmt: tree}})
	if err != nil {
		return schema.PublishedTable{}, f.errorf(st.pos, "publication: %v", err)
	}
	return schema.PublishedTable{Table: q, SQL: strings.TrimPrefix(s, "CREATE PUBLICATION p FOR TABLE ")}, nil
}

// alterPublication folds ALTER PUBLICATION ... ADD/DROP/SET objects and
// SET (options).
func (f *folder) alterPublication(st *stmt, as *pg_query.AlterPublicationStmt) error {
	p, err := f.publication(st, as.Pubname)
	if err != nil {
		return err
	}
	if as.ForAllTables || p.AllTables && len(as.Pubobjects) > 0 {
		return f.errorf(st.pos, "publication %s is defined as FOR ALL TABLES", schema.QuoteIdent(p.Name))
	}
	if len(as.Options) > 0 {
		if err := f.publicationOptions(st, p, as.Options); err != nil {
			return err
		}
	}
	if len(as.Pubobjects) > 0 || as.Action == pg_query.AlterPublicationAction_AP_SetObjects {
		if err := f.publicationObjects(st, p, as.Pubobjects, as.Action); err != nil {
			return err
		}
	}
	return f.publicationStmt(st, p)
}

// publication returns the publication named name, or an error at st.
func (f *folder) publication(st *stmt, name string) (*schema.Publication, error) {
	if p := f.cat.Publications[name]; p != nil {
		return p, nil
	}
	return nil, f.missingf(st.pos, "publication %s does not exist", schema.QuoteIdent(name))
}

// unpublish removes a dropped table from the publications, as PostgreSQL
// does.
func (f *folder) unpublish(q schema.QualifiedName) {
	for _, p := range f.cat.Publications {
		n := len(p.Tables)
		p.Tables = slices.DeleteFunc(p.Tables, func(t schema.PublishedTable) bool { return t.Table == q })
		if len(p.Tables) != n {
			_ = f.publicationStmt(nil, p)
		}
	}
}

func init() {
	registerKind("publication", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreatePublicationStmt](): func(f *folder, st *stmt) error {
				return f.createPublication(st, st.node.GetCreatePublicationStmt())
			},
			node[*pg_query.Node_AlterPublicationStmt](): func(f *folder, st *stmt) error {
				return f.alterPublication(st, st.node.GetAlterPublicationStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_PUBLICATION): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					p, err := f.publication(st, obj.GetString_().GetSval())
					if err != nil {
						if missingOK {
							return nil
						}
						return err
					}
					delete(f.cat.Owners, p.Object())
					delete(f.cat.Publications, p.Name)
					return nil
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_PUBLICATION): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				p, err := f.publication(st, cs.Object.GetString_().GetSval())
				if err != nil {
					return err
				}
				p.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](pg_query.ObjectType_OBJECT_PUBLICATION): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					p, err := f.publication(st, as.Object.GetString_().GetSval())
					if err != nil {
						return schema.Object{}, err
					}
					return p.Object(), nil
				})
			},
		},
	})
}
