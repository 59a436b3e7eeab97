package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// createRule folds CREATE [OR REPLACE] RULE on a table or view. Def is the
// rule normalized as view queries are, compared; Stmt the user's own
// statement with its relation qualified, run. The _RETURN rule that turns
// a table into a view (old pg_dumps) is refused: write the view.
func (f *folder) createRule(st *stmt, rs *pg_query.RuleStmt) error {
	q := rangeVarName(rs.Relation)
	if rs.Rulename == "_RETURN" {
		return f.unsupportedf(st.pos, "CREATE RULE \"_RETURN\" (a view written as a table and its rule: write CREATE VIEW)")
	}
	if !f.relationExists(q) {
		return f.missingf(st.pos, "relation %s does not exist", q)
	}
	key := schema.TriggerName{Table: q, Name: rs.Rulename}
	old := f.cat.Rules[key]
	if old != nil && !rs.Replace {
		return f.errorf(st.pos, "rule %s for relation %s already exists", schema.QuoteIdent(rs.Rulename), q)
	}
	user := proto.Clone(rs).(*pg_query.RuleStmt)
	user.Replace = false
	user.Relation.Schemaname = q.Schema
	stmtText, err := deparse(&pg_query.Node{Node: &pg_query.Node_RuleStmt{RuleStmt: user}})
	if err != nil {
		return f.errorf(st.pos, "rule: %v", err)
	}
	norm := proto.Clone(user).(*pg_query.RuleStmt)
	norm.Relation = &pg_query.RangeVar{Relname: "t", Inh: true, Relpersistence: "p", Location: -1}
	unqualifyPublic(norm.ProtoReflect())
	normalizeExpr(norm.WhereClause, nil)
	for _, a := range norm.Actions {
		normalizeExpr(a, nil)
	}
	def, err := deparse(&pg_query.Node{Node: &pg_query.Node_RuleStmt{RuleStmt: norm}})
	if err != nil {
		return f.errorf(st.pos, "rule: %v", err)
	}
	r := &schema.Rule{Name: key, Stmt: stmtText, Pos: st.pos,
		RuleDef: schema.RuleDef{Def: strings.TrimPrefix(def, "CREATE RULE "+schema.QuoteIdent(rs.Rulename)+" AS ")}}
	if old != nil {
		r.Comment = old.Comment
	}
	f.cat.Rules[key] = r
	return nil
}

// rule returns the rule a DROP or COMMENT ON names with the list
// relation..., name, or reports it missing.
func (f *folder) rule(st *stmt, obj *pg_query.Node) (*schema.Rule, error) {
	items := obj.GetList().GetItems()
	if len(items) < 2 {
		return nil, f.errorf(st.pos, "rule: want a name and a relation")
	}
	q := listName(items[:len(items)-1])
	name := items[len(items)-1].GetString_().GetSval()
	if !f.relationExists(q) {
		return nil, f.missingf(st.pos, "relation %s does not exist", q)
	}
	if r := f.cat.Rules[schema.TriggerName{Table: q, Name: name}]; r != nil {
		return r, nil
	}
	return nil, f.missingf(st.pos, "rule %s for relation %s does not exist", schema.QuoteIdent(name), q)
}

// dropRulesOf forgets the rules of relation q, which is dropped or
// renamed away.
func (f *folder) dropRulesOf(q schema.QualifiedName) {
	for k := range f.cat.Rules {
		if k.Table == q {
			delete(f.cat.Rules, k)
		}
	}
}

// renameRulesOf moves the rules of relation old to its new name nq, their
// statements too.
func (f *folder) renameRulesOf(old, nq schema.QualifiedName) {
	for _, k := range schema.SortedTriggers(f.cat.Rules) {
		if k.Table != old {
			continue
		}
		r := f.cat.Rules[k]
		delete(f.cat.Rules, k)
		r.Name.Table = nq
		if tree, err := pg_query.Parse(r.Stmt); err == nil && len(tree.Stmts) == 1 {
			if rs := tree.Stmts[0].Stmt.GetRuleStmt(); rs != nil {
				rs.Relation.Schemaname, rs.Relation.Relname = nq.Schema, nq.Name
				if s, err := deparse(tree.Stmts[0].Stmt); err == nil {
					r.Stmt = s
				}
			}
		}
		f.cat.Rules[r.Name] = r
	}
}

// renameRule folds ALTER RULE ... ON ... RENAME TO.
func (f *folder) renameRule(st *stmt, rs *pg_query.RenameStmt) error {
	q := rangeVarName(rs.Relation)
	r, err := f.rule(st, &pg_query.Node{Node: &pg_query.Node_List{List: &pg_query.List{Items: []*pg_query.Node{
		pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name), pg_query.MakeStrNode(rs.Subname)}}}})
	if err != nil {
		return err
	}
	nk := schema.TriggerName{Table: q, Name: rs.Newname}
	if f.cat.Rules[nk] != nil {
		return f.errorf(st.pos, "rule %s for relation %s already exists", schema.QuoteIdent(rs.Newname), q)
	}
	if tree, err := pg_query.Parse(r.Stmt); err == nil && len(tree.Stmts) == 1 && tree.Stmts[0].Stmt.GetRuleStmt() != nil {
		tree.Stmts[0].Stmt.GetRuleStmt().Rulename = rs.Newname
		if s, err := deparse(tree.Stmts[0].Stmt); err == nil {
			r.Stmt = s
		}
	}
	delete(f.cat.Rules, r.Name)
	r.Name = nk
	f.cat.Rules[nk] = r
	return nil
}

func init() {
	registerKind("rule", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_RuleStmt](): func(f *folder, st *stmt) error {
				return f.createRule(st, st.node.GetRuleStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_RULE): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					r, err := f.rule(st, obj)
					if err != nil {
						if missingOK {
							return nil
						}
						return err
					}
					delete(f.cat.Rules, r.Name)
					return nil
				})
			},
			on[*pg_query.Node_RenameStmt](pg_query.ObjectType_OBJECT_RULE): func(f *folder, st *stmt) error {
				return f.renameRule(st, st.node.GetRenameStmt())
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_RULE): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				r, err := f.rule(st, cs.Object)
				if err != nil {
					return err
				}
				r.Comment = cs.Comment
				return nil
			},
		},
	})
}
