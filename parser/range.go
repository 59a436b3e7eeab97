package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// rangeOptions are the options of CREATE TYPE ... AS RANGE in the order
// the canonical text lists them, with their kind as aggregateOption reads
// them: 't' a type, 'f' a function, 'n' a name.
var rangeOptions = []defOption{
	{"subtype", 't'}, {"subtype_opclass", 'n'}, {"collation", 'n'},
	{"canonical", 'f'}, {"subtype_diff", 'f'}, {"multirange_type_name", 'n'},
}

// createRange folds CREATE TYPE name AS RANGE (options). The options are
// made canonical as for aggregates, so that pg_dump's spelling (which
// always names the multirange type) and a hand-written one compare equal:
// the subtype canonical, functions qualified, the subtype's own collation
// and the multirange name PostgreSQL would derive left out. What a
// migration runs is the user's own statement (RangeType.Stmt).
func (f *folder) createRange(st *stmt, cr *pg_query.CreateRangeStmt) error {
	q, err := f.newName(st, cr.TypeName)
	if err != nil {
		return err
	}
	user := proto.Clone(cr).(*pg_query.CreateRangeStmt)
	user.TypeName = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
	r := &schema.RangeType{Name: q, Multirange: schema.QualifiedName{Schema: q.Schema, Name: schema.DefaultMultirange(q.Name)}, Pos: st.pos}
	opts, err := f.rangeOptions(st, user.Params, r)
	if err != nil {
		return err
	}
	if opts["subtype"] == "" {
		return f.errorf(st.pos, "type attribute \"subtype\" is required")
	}
	var parts []string
	for _, o := range rangeOptions {
		if v := opts[o.name]; v != "" {
			parts = append(parts, o.name+" = "+v)
		}
	}
	r.Def = strings.Join(parts, ", ")
	r.Types = slices.DeleteFunc(r.Types, func(q schema.QualifiedName) bool { return q == schema.QualifiedName{} })
	if r.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_CreateRangeStmt{CreateRangeStmt: user}}); err != nil {
		return f.errorf(st.pos, "range type: %v", err)
	}
	if f.typeTaken(q) {
		return f.errorf(st.pos, "type %s already exists", q)
	}
	if f.typeTaken(r.Multirange) {
		return f.errorf(st.pos, "type %s already exists", r.Multirange)
	}
	f.cat.Ranges[q] = r
	return nil
}

// rangeOptions reads the options of CREATE TYPE ... AS RANGE into their
// canonical values (defaults as ""), qualifying unqualified user functions
// in the user's tree params and recording the user types and functions
// into r.
func (f *folder) rangeOptions(st *stmt, params []*pg_query.Node, r *schema.RangeType) (map[string]string, error) {
	opts := map[string]string{}
	for _, n := range params {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		i := findOption(rangeOptions, name)
		if i < 0 {
			return nil, f.errorf(f.at(st, d.Location), "type attribute %s not recognized", schema.QuoteLiteral(d.Defname))
		}
		if _, dup := opts[name]; dup {
			return nil, f.errorf(f.at(st, d.Location), "conflicting or redundant options")
		}
		v, err := f.rangeOption(st, d, rangeOptions[i].kind, r)
		if err != nil {
			return nil, err
		}
		opts[name] = v
	}
	if opts["multirange_type_name"] != "" {
		r.Multirange = f.multirangeName(params)
		if r.Multirange == (schema.QualifiedName{Schema: r.Name.Schema, Name: schema.DefaultMultirange(r.Name.Name)}) {
			opts["multirange_type_name"] = ""
		} else {
			opts["multirange_type_name"] = r.Multirange.String()
		}
	}
	if c := opts["collation"]; c == "default" || c == `"default"` {
		opts["collation"] = ""
	}
	return opts, nil
}

// multirangeName reads multirange_type_name from the user's params and
// qualifies it there: PostgreSQL creates an unqualified one in the
// creation schema of the search path, not the range's.
func (f *folder) multirangeName(params []*pg_query.Node) schema.QualifiedName {
	for _, n := range params {
		d := n.GetDefElem()
		if d == nil || !strings.EqualFold(d.Defname, "multirange_type_name") {
			continue
		}
		var names []string
		if tn := d.Arg.GetTypeName(); tn != nil {
			names = strs(tn.Names)
		} else {
			names = []string{d.Arg.GetString_().GetSval()}
		}
		if len(names) == 1 {
			names = []string{f.creationSchema(), names[0]}
		}
		d.Arg = &pg_query.Node{Node: &pg_query.Node_TypeName{TypeName: &pg_query.TypeName{
			Names: []*pg_query.Node{pg_query.MakeStrNode(names[0]), pg_query.MakeStrNode(names[1])}, Typemod: -1, Location: -1}}}
		return schema.QualifiedName{Schema: names[0], Name: names[1]}
	}
	return schema.QualifiedName{}
}

// rangeOption returns the canonical value of one option.
func (f *folder) rangeOption(st *stmt, d *pg_query.DefElem, kind byte, r *schema.RangeType) (string, error) {
	if kind != 'n' {
		v, err := f.aggregateOption(st, d, kind, &r.Funcs, &r.Types)
		if err != nil {
			return "", f.errorf(f.at(st, d.Location), "unsupported value of type attribute %s", d.Defname)
		}
		if tn := d.Arg.GetTypeName(); kind == 't' && len(tn.GetNames()) == 1 {
			// A user subtype, qualified in the user's tree as it resolved.
			if q := f.aggUserType(st, tn); q != (schema.QualifiedName{}) {
				tn.Names = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
			}
		}
		if kind == 'f' {
			qualifyFuncArg(d, v)
		}
		return v, nil
	}
	var names []string
	switch x := d.Arg.GetNode().(type) {
	case *pg_query.Node_TypeName:
		names = strs(x.TypeName.Names)
	case *pg_query.Node_String_:
		names = []string{x.String_.Sval}
	}
	if len(names) == 0 || len(names) > 2 {
		return "", f.errorf(f.at(st, d.Location), "unsupported value of type attribute %s", d.Defname)
	}
	if len(names) == 2 && names[0] == "pg_catalog" {
		names = names[1:]
	}
	for i, p := range names {
		names[i] = schema.QuoteIdent(p)
	}
	return strings.Join(names, "."), nil
}

func init() {
	registerKind("range type", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateRangeStmt](): func(f *folder, st *stmt) error {
				return f.createRange(st, st.node.GetCreateRangeStmt())
			},
		},
		dropCascade: dropTypeCascade,
	})
}
