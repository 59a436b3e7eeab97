package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// eventTriggerEvents are the events PostgreSQL 15 fires event triggers on.
var eventTriggerEvents = []string{"ddl_command_start", "ddl_command_end", "sql_drop", "table_rewrite"}

// createEventTrigger folds CREATE EVENT TRIGGER. Def is compared
// (the event, the tags upper-cased and sorted as PostgreSQL stores them
// and pg_dump prints them in any order, the function qualified); what a
// migration runs is the user's own statement with the function qualified.
func (f *folder) createEventTrigger(st *stmt, cs *pg_query.CreateEventTrigStmt) error {
	if f.cat.EventTriggers[cs.Trigname] != nil {
		return f.errorf(st.pos, "event trigger %s already exists", schema.QuoteIdent(cs.Trigname))
	}
	if !slices.Contains(eventTriggerEvents, cs.Eventname) {
		return f.errorf(st.pos, "unrecognized event name %s", schema.QuoteIdent(cs.Eventname))
	}
	fq := listName(cs.Funcname)
	if len(cs.Funcname) == 1 {
		fq.Schema = f.functionSchema(fq.Name)
	}
	if f.cat.Functions[(&schema.Function{Name: fq}).Signature()] == nil && len(f.cat.Extensions) == 0 {
		return f.missingf(st.pos, "function %s() does not exist", fq)
	}
	user := proto.Clone(cs).(*pg_query.CreateEventTrigStmt)
	user.Funcname = []*pg_query.Node{pg_query.MakeStrNode(fq.Schema), pg_query.MakeStrNode(fq.Name)}
	var tags []string
	for _, n := range user.Whenclause {
		d := n.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, "tag") {
			return f.errorf(f.at(st, d.GetLocation()), "unrecognized filter variable %s", schema.QuoteIdent(d.GetDefname()))
		}
		for _, t := range strs(d.Arg.GetList().GetItems()) {
			tags = append(tags, schema.QuoteLiteral(strings.ToUpper(t)))
		}
	}
	slices.Sort(tags)
	def := "ON " + cs.Eventname
	if len(tags) > 0 {
		def += " WHEN TAG IN (" + strings.Join(tags, ", ") + ")"
	}
	e := &schema.EventTrigger{Name: cs.Trigname, Func: fq, Pos: st.pos,
		EventTriggerDef: schema.EventTriggerDef{Def: def + " EXECUTE FUNCTION " + fq.String() + "()"}}
	var err error
	if e.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_CreateEventTrigStmt{CreateEventTrigStmt: user}}); err != nil {
		return f.errorf(st.pos, "event trigger: %v", err)
	}
	f.cat.EventTriggers[cs.Trigname] = e
	return nil
}

// functionSchema is the schema of the search path that has a function
// named name without arguments; the creation schema when none has.
func (f *folder) functionSchema(name string) string {
	for _, s := range f.searchPath() {
		if f.cat.Functions[(&schema.Function{Name: schema.QualifiedName{Schema: s, Name: name}}).Signature()] != nil {
			return s
		}
	}
	return f.creationSchema()
}

// eventTrigger returns the event trigger named by a String node, or an
// error at st that it does not exist.
func (f *folder) eventTrigger(st *stmt, n *pg_query.Node) (*schema.EventTrigger, error) {
	name := n.GetString_().GetSval()
	if e := f.cat.EventTriggers[name]; e != nil {
		return e, nil
	}
	return nil, f.missingf(st.pos, "event trigger %s does not exist", schema.QuoteIdent(name))
}

// alterEventTrigger folds ALTER EVENT TRIGGER ... ENABLE [REPLICA |
// ALWAYS] and DISABLE.
func (f *folder) alterEventTrigger(st *stmt, as *pg_query.AlterEventTrigStmt) error {
	e, err := f.eventTrigger(st, pg_query.MakeStrNode(as.Trigname))
	if err != nil {
		return err
	}
	e.Enabled = as.Tgenabled
	if e.Enabled == "O" {
		e.Enabled = ""
	}
	return nil
}

// renameEventTrigger folds ALTER EVENT TRIGGER ... RENAME TO.
func (f *folder) renameEventTrigger(st *stmt, rs *pg_query.RenameStmt) error {
	e, err := f.eventTrigger(st, rs.Object)
	if err != nil {
		return err
	}
	if f.cat.EventTriggers[rs.Newname] != nil {
		return f.errorf(st.pos, "event trigger %s already exists", schema.QuoteIdent(rs.Newname))
	}
	owner, hasOwner := f.cat.Owners[e.Object()]
	delete(f.cat.Owners, e.Object())
	delete(f.cat.EventTriggers, e.Name)
	e.Name = rs.Newname
	if n, err := pg_query.Parse(e.Stmt); err == nil {
		cs := n.Stmts[0].Stmt.GetCreateEventTrigStmt()
		cs.Trigname = rs.Newname
		if s, err := deparse(n.Stmts[0].Stmt); err == nil {
			e.Stmt = s
		}
	}
	f.cat.EventTriggers[e.Name] = e
	if hasOwner {
		f.cat.Owners[e.Object()] = owner
	}
	return nil
}

// dropEventTriggersOf drops, for DROP FUNCTION ... CASCADE, the event
// triggers that run fn; without CASCADE PostgreSQL refuses.
func (f *folder) dropEventTriggersOf(st *stmt, fn *schema.Function, cascade bool) error {
	if fn.Args != "" {
		return nil
	}
	for _, name := range schema.SortedKeys(f.cat.EventTriggers) {
		e := f.cat.EventTriggers[name]
		if e.Func != fn.Name {
			continue
		}
		if !cascade {
			return f.errorf(st.pos, "cannot drop function %s because event trigger %s depends on it", fn.Signature(), schema.QuoteIdent(name))
		}
		delete(f.cat.Owners, e.Object())
		delete(f.cat.EventTriggers, name)
	}
	return nil
}

func init() {
	registerKind("event trigger", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateEventTrigStmt](): func(f *folder, st *stmt) error {
				return f.createEventTrigger(st, st.node.GetCreateEventTrigStmt())
			},
			node[*pg_query.Node_AlterEventTrigStmt](): func(f *folder, st *stmt) error {
				return f.alterEventTrigger(st, st.node.GetAlterEventTrigStmt())
			},
			on[*pg_query.Node_DropStmt](pg_query.ObjectType_OBJECT_EVENT_TRIGGER): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(obj *pg_query.Node, missingOK, _ bool) error {
					e, err := f.eventTrigger(st, obj)
					if err != nil {
						if missingOK {
							return nil
						}
						return err
					}
					delete(f.cat.Owners, e.Object())
					delete(f.cat.EventTriggers, e.Name)
					return nil
				})
			},
			on[*pg_query.Node_CommentStmt](pg_query.ObjectType_OBJECT_EVENT_TRIGGER): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				e, err := f.eventTrigger(st, cs.Object)
				if err != nil {
					return err
				}
				e.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](pg_query.ObjectType_OBJECT_EVENT_TRIGGER): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					e, err := f.eventTrigger(st, as.Object)
					if err != nil {
						return schema.Object{}, err
					}
					return e.Object(), nil
				})
			},
			on[*pg_query.Node_RenameStmt](pg_query.ObjectType_OBJECT_EVENT_TRIGGER): func(f *folder, st *stmt) error {
				return f.renameEventTrigger(st, st.node.GetRenameStmt())
			},
		},
	})
}
