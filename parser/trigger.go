package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// builtinTriggerFuncs are trigger functions PostgreSQL ships in pg_catalog.
var builtinTriggerFuncs = map[string]bool{
	"tsvector_update_trigger": true, "tsvector_update_trigger_column": true,
	"suppress_redundant_updates_trigger": true,
}

func (f *folder) createTrigger(st *stmt, ct *pg_query.CreateTrigStmt) error {
	tq := rangeVarName(ct.Relation)
	pos := f.at(st, ct.Relation.Location)
	if !f.relationExists(tq) {
		return f.missingf(pos, "relation %s does not exist", tq)
	}
	fq := listName(ct.Funcname)
	if len(ct.Funcname) == 2 && strs(ct.Funcname)[0] == "pg_catalog" || len(ct.Funcname) == 1 && builtinTriggerFuncs[fq.Name] {
		fq = schema.QualifiedName{Schema: "pg_catalog", Name: fq.Name}
	} else if f.cat.Functions[(&schema.Function{Name: fq}).Signature()] == nil && len(f.cat.Extensions) == 0 {
		return f.missingf(st.pos, "function %s() does not exist", fq)
	}
	key := schema.TriggerName{Table: tq, Name: ct.Trigname}
	old := f.cat.Triggers[key]
	if old != nil && !ct.Replace {
		return f.errorf(st.pos, "trigger %s for relation %s already exists", schema.QuoteIdent(ct.Trigname), tq)
	}
	n := proto.Clone(ct).(*pg_query.CreateTrigStmt)
	n.Replace = false
	n.Relation = rangeVar(tq)
	n.Funcname = []*pg_query.Node{pg_query.MakeStrNode(fq.Schema), pg_query.MakeStrNode(fq.Name)}
	if fq.Schema == "pg_catalog" {
		n.Funcname = n.Funcname[1:]
	}
	var src string
	if n.WhenClause != nil {
		s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateTrigStmt{CreateTrigStmt: n}})
		if err != nil {
			return f.errorf(st.pos, "trigger: %v", err)
		}
		src = s
	}
	normalizeExpr(n.WhenClause, f.triggerTypes(tq))
	def, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateTrigStmt{CreateTrigStmt: n}})
	if err != nil {
		return f.errorf(st.pos, "trigger: %v", err)
	}
	if src == def {
		src = ""
	}
	tr := &schema.Trigger{TriggerName: key, TriggerDef: schema.TriggerDef{Def: def}, Function: fq, Src: src, Pos: st.pos}
	if old != nil {
		tr.Comment, tr.Enabled = old.Comment, old.Enabled
	}
	f.cat.Triggers[key] = tr
	return nil
}

// triggerTypes types the rows a trigger's WHEN reads, new.x and old.x,
// by the columns of its table (nil for a view's INSTEAD OF trigger), so
// that the WHEN compares as the server prints it as a CHECK's would: its
// new.m IN ('a', 'b') is stored new.m = ANY (ARRAY['a'::mood, ...]).
func (f *folder) triggerTypes(q schema.QualifiedName) columnTypes {
	t := f.cat.Tables[q]
	if t == nil {
		return nil
	}
	cols := tableTypes(t)
	return func(name string) (schema.TypeName, bool) {
		for _, row := range []string{"new.", "old."} {
			if c, ok := strings.CutPrefix(name, row); ok {
				return cols(c)
			}
		}
		return schema.TypeName{}, false
	}
}

// triggerEnabled folds ALTER TABLE ... ENABLE/DISABLE TRIGGER name.
func (f *folder) triggerEnabled(st *stmt, table schema.QualifiedName, cmd *pg_query.AlterTableCmd) error {
	state := map[pg_query.AlterTableType]string{
		pg_query.AlterTableType_AT_EnableTrig:        "",
		pg_query.AlterTableType_AT_DisableTrig:       "DISABLE",
		pg_query.AlterTableType_AT_EnableAlwaysTrig:  "ENABLE ALWAYS",
		pg_query.AlterTableType_AT_EnableReplicaTrig: "ENABLE REPLICA",
	}[cmd.Subtype]
	tr := f.cat.Triggers[schema.TriggerName{Table: table, Name: cmd.Name}]
	if tr == nil {
		return f.errorf(st.pos, "trigger %s for table %s does not exist", schema.QuoteIdent(cmd.Name), schema.QuoteIdent(table.Name))
	}
	tr.Enabled = state
	return nil
}

// triggerTarget splits the object of DROP TRIGGER and COMMENT ON TRIGGER
// (table name parts, then the trigger name).
func triggerTarget(items []*pg_query.Node) schema.TriggerName {
	parts := strs(items)
	return schema.TriggerName{Table: listName(items[:len(items)-1]), Name: parts[len(parts)-1]}
}

func (f *folder) dropTrigger(st *stmt, tn schema.TriggerName, missingOK bool) error {
	if f.cat.Triggers[tn] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "trigger %s for table %s does not exist", schema.QuoteIdent(tn.Name), schema.QuoteIdent(tn.Table.Name))
	}
	delete(f.cat.Triggers, tn)
	return nil
}

// commentRoutine folds COMMENT ON VIEW, MATERIALIZED VIEW, FUNCTION,
// PROCEDURE and TRIGGER; ok is false for other object types.
func (f *folder) commentRoutine(st *stmt, cs *pg_query.CommentStmt) (ok bool, err error) {
	switch cs.Objtype {
	case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		q := listName(cs.Object.GetList().GetItems())
		v := f.cat.Views[q]
		if v == nil || v.Materialized != (cs.Objtype == pg_query.ObjectType_OBJECT_MATVIEW) {
			return true, f.missingf(st.pos, "relation %s does not exist", q)
		}
		v.Comment = cs.Comment
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE:
		key, err := f.functionKey(st, cs.Object.GetObjectWithArgs())
		if err != nil {
			return true, err
		}
		f.cat.Functions[key].Comment = cs.Comment
	case pg_query.ObjectType_OBJECT_TRIGGER:
		tn := triggerTarget(cs.Object.GetList().GetItems())
		tr := f.cat.Triggers[tn]
		if tr == nil {
			return true, f.missingf(st.pos, "trigger %s for table %s does not exist", schema.QuoteIdent(tn.Name), schema.QuoteIdent(tn.Table.Name))
		}
		tr.Comment = cs.Comment
	case pg_query.ObjectType_OBJECT_INDEX:
		_, ix := f.matviewIndex(listName(cs.Object.GetList().GetItems()))
		if ix == nil {
			return false, nil
		}
		ix.Comment = cs.Comment
	default:
		return false, nil
	}
	return true, nil
}

// dropRoutine handles DROP VIEW, MATERIALIZED VIEW, FUNCTION, PROCEDURE
// and TRIGGER; ok is false for other object types.
func (f *folder) dropRoutine(st *stmt, ds *pg_query.DropStmt, obj *pg_query.Node) (ok bool, err error) {
	cascade := ds.Behavior == pg_query.DropBehavior_DROP_CASCADE
	switch ds.RemoveType {
	case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		return true, f.dropView(st, listName(obj.GetList().GetItems()), ds.RemoveType == pg_query.ObjectType_OBJECT_MATVIEW, ds.MissingOk, cascade)
	case pg_query.ObjectType_OBJECT_FUNCTION, pg_query.ObjectType_OBJECT_PROCEDURE:
		return true, f.dropFunction(st, obj.GetObjectWithArgs(), ds.MissingOk, cascade)
	case pg_query.ObjectType_OBJECT_TRIGGER:
		return true, f.dropTrigger(st, triggerTarget(obj.GetList().GetItems()), ds.MissingOk)
	case pg_query.ObjectType_OBJECT_INDEX:
		v, _ := f.matviewIndex(listName(obj.GetList().GetItems()))
		if v == nil {
			return false, nil
		}
		delete(v.Indexes, listName(obj.GetList().GetItems()))
		return true, nil
	}
	return false, nil
}

// isTriggerEnable reports whether an ALTER TABLE subcommand enables or
// disables one trigger by name.
func isTriggerEnable(t pg_query.AlterTableType) bool {
	return strings.HasSuffix(t.String(), "Trig") && t != pg_query.AlterTableType_AT_EnableTrigAll &&
		t != pg_query.AlterTableType_AT_DisableTrigAll && t != pg_query.AlterTableType_AT_EnableTrigUser &&
		t != pg_query.AlterTableType_AT_DisableTrigUser
}

// dropTriggersOf removes the triggers of a dropped table or view.
func (f *folder) dropTriggersOf(q schema.QualifiedName) {
	for tn := range f.cat.Triggers {
		if tn.Table == q {
			delete(f.cat.Triggers, tn)
		}
	}
}

// rewriteTrigger parses a trigger's definition, lets fn change it and
// deparses it again, as rewriteConstraint does for constraints; the same
// for the user's text, which is dropped (Def written instead) in the case
// that cannot happen that it does not parse back.
func rewriteTrigger(tr *schema.Trigger, fn func(n *pg_query.CreateTrigStmt)) {
	rewriteDefSrc(&tr.Def, &tr.Src, func(text string) (string, bool) { return rewriteTriggerText(text, fn) })
}

// rewriteTriggerText applies fn to a CREATE TRIGGER text, parsed, and
// deparses it again.
func rewriteTriggerText(text string, fn func(n *pg_query.CreateTrigStmt)) (string, bool) {
	tree, err := pgdecode.Parse(text)
	if err != nil || len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetCreateTrigStmt() == nil {
		return "", false
	}
	fn(tree.Stmts[0].Stmt.GetCreateTrigStmt())
	out, err := deparse(tree.Stmts[0].Stmt)
	return out, err == nil
}

// Triggers go with their table or view.
func init() { registerKind("trigger", kindParser{}) }

// isTriggersEnable reports whether an ALTER TABLE subcommand enables or
// disables all of a table's triggers (ALL or USER).
func isTriggersEnable(t pg_query.AlterTableType) bool {
	switch t {
	case pg_query.AlterTableType_AT_EnableTrigAll, pg_query.AlterTableType_AT_DisableTrigAll,
		pg_query.AlterTableType_AT_EnableTrigUser, pg_query.AlterTableType_AT_DisableTrigUser:
		return true
	}
	return false
}

// triggersEnabled folds ALTER TABLE ... ENABLE/DISABLE TRIGGER ALL/USER
// into every trigger of the table the model holds. ALL also reaches the
// internal triggers that enforce foreign keys, which are not in the model
// and whose state pg_dump does not keep either.
func (f *folder) triggersEnabled(table schema.QualifiedName, t pg_query.AlterTableType) {
	state := ""
	if t == pg_query.AlterTableType_AT_DisableTrigAll || t == pg_query.AlterTableType_AT_DisableTrigUser {
		state = "DISABLE"
	}
	for tn, tr := range f.cat.Triggers {
		if tn.Table == table {
			tr.Enabled = state
		}
	}
}
