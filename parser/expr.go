package parser

import (
	"fmt"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// deparse turns one statement node back into SQL.
func deparse(n *pg_query.Node) (string, error) {
	if s, ok := fastDeparse(n); ok {
		if checkDeparse {
			want, err := pgdecode.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: n}}})
			if err != nil || want != s {
				panic(fmt.Sprintf("parser: fastDeparse printed %q, the deparser %q (%v)", s, want, err))
			}
		}
		return s, nil
	}
	swapped, err := protectSQLSyntax(n)
	if err != nil {
		return "", err
	}
	s, err := pgdecode.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: n}}})
	for _, sw := range swapped {
		sw.node.Node = sw.orig.Node
	}
	if err != nil {
		return "", err
	}
	for i, sw := range swapped {
		ph := sqlSyntaxPlaceholder(i)
		if strings.Contains(s, "("+ph+")") {
			ph = "(" + ph + ")"
		}
		s = strings.Replace(s, ph, "("+sw.text+")", 1)
	}
	return s, nil
}

// sqlSyntaxOperators are the functions PostgreSQL writes as operators of
// a_expr level (x AT TIME ZONE z, x IS NORMALIZED). The deparser prints them
// bare wherever it would print a function call, which loses their meaning
// under a cast ((now() AT TIME ZONE 'utc')::text came out as
// now() AT TIME ZONE 'utc'::text) and does not load as an index element.
var sqlSyntaxOperators = map[string]bool{"timezone": true, "is_normalized": true}

type swappedNode struct {
	node *pg_query.Node
	orig *pg_query.Node // holds the replaced oneof value
	text string
}

// protectSQLSyntax replaces each sqlSyntaxOperators call in n, other than
// one that is a whole select-list item, with a placeholder column that the
// deparser prints as a plain name, and returns the calls' texts for deparse
// to put back in parentheses. The tree is restored by the caller.
func protectSQLSyntax(n *pg_query.Node) ([]swappedNode, error) {
	var out []swappedNode
	// swap deparses node, keeps its text and replaces it by the next
	// placeholder.
	swap := func(node *pg_query.Node) error {
		text, err := deparseExpr(node)
		if err != nil {
			return err
		}
		out = append(out, swappedNode{node: node, orig: &pg_query.Node{Node: node.Node}, text: text})
		node.Node = &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
			Fields: []*pg_query.Node{pg_query.MakeStrNode(sqlSyntaxPlaceholder(len(out) - 1))},
		}}
		return nil
	}
	var visit func(m protoreflect.Message, top bool) error
	visit = func(m protoreflect.Message, top bool) error {
		if !m.IsValid() {
			return nil
		}
		var bare *pg_query.Node
		switch x := m.Interface().(type) {
		case *pg_query.FuncCall:
			if isTimezoneSyntax(x) && !zoneSafe(x.Args[0]) {
				// The deparser prints the zone of x AT TIME ZONE z bare, so
				// x AT TIME ZONE ('UT' || 'C') came back as a text
				// concatenation: put it in parentheses, as ruleutils.c does.
				bare = x.Args[0]
			}
		case *pg_query.TypeCast:
			if x.Arg != nil && bareUnderCast(x.Arg) {
				// The deparser prints the operand of :: bare, so
				// (z IS NULL)::text came back as z IS NULL::text, another
				// expression: put it in parentheses.
				bare = x.Arg
			}
		case *pg_query.A_Indirection:
			if x.Arg != nil && bareUnderIndirection(x.Arg) {
				// The deparser prints the operand of a subscript or field
				// selection bare, so (ARRAY[1, 2])[1] came back as
				// ARRAY[1, 2][1] and ('').a as ''.a, which do not parse:
				// put it in parentheses.
				bare = x.Arg
			}
		case *pg_query.Node:
			if fc := x.GetFuncCall(); !top && fc != nil && fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
				if name := strs(fc.Funcname); sqlSyntaxOperators[name[len(name)-1]] {
					return swap(x)
				}
			}
		}
		if bare != nil {
			if err := swap(bare); err != nil {
				return err
			}
		}
		_, isTarget := m.Interface().(*pg_query.ResTarget)
		var err error
		if !isTarget {
			eachChild(m, func(c protoreflect.Message) {
				if err == nil {
					err = visit(c, false)
				}
			})
			return err
		}
		eachField(m, func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len() && err == nil; i++ {
					err = visit(l.Get(i).Message(), false)
				}
			case fd.Message() != nil && !fd.IsMap():
				err = visit(v.Message(), isTarget && fd.Name() == "val")
			}
			return err == nil
		})
		return err
	}
	if err := visit(n.ProtoReflect(), true); err != nil {
		for _, sw := range out {
			sw.node.Node = sw.orig.Node
		}
		return nil, err
	}
	return out, nil
}

// bareUnderCast reports whether the deparser prints e without the
// parentheses it needs as the operand of ::, which binds tighter than
// IS, AND, OR, NOT and COLLATE (it writes an operator expression as
// CAST(... AS ...) instead, which needs none).
func bareUnderCast(e *pg_query.Node) bool {
	switch x := e.Node.(type) {
	case *pg_query.Node_NullTest, *pg_query.Node_BooleanTest, *pg_query.Node_BoolExpr, *pg_query.Node_CollateClause:
		return true
	case *pg_query.Node_XmlExpr:
		return x.XmlExpr.Op == pg_query.XmlExprOp_IS_DOCUMENT
	}
	return false
}

// bareUnderIndirection reports whether the deparser prints e without the
// parentheses it needs as the operand of a subscript or field selection:
// it adds them only for a column, a function call, an operator, a cast, a
// row and another indirection, and a parameter or a subquery needs none.
func bareUnderIndirection(e *pg_query.Node) bool {
	switch e.Node.(type) {
	case *pg_query.Node_ColumnRef, *pg_query.Node_FuncCall, *pg_query.Node_AExpr, *pg_query.Node_TypeCast,
		*pg_query.Node_RowExpr, *pg_query.Node_AIndirection, *pg_query.Node_ParamRef, *pg_query.Node_SubLink:
		return false
	}
	return true
}

// isTimezoneSyntax reports whether fc is x AT TIME ZONE z, which the parser
// makes pg_catalog.timezone(z, x).
func isTimezoneSyntax(fc *pg_query.FuncCall) bool {
	name := strs(fc.Funcname)
	return fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX && len(fc.Args) == 2 &&
		len(name) > 0 && name[len(name)-1] == "timezone"
}

// zoneSafe reports whether the zone operand z of AT TIME ZONE binds tighter
// than AT in the grammar, so that it reads back the same without
// parentheses: a constant, a column, a parameter, a function call (other
// than one written as an operator), a cast or a subscript.
func zoneSafe(z *pg_query.Node) bool {
	switch x := z.Node.(type) {
	case *pg_query.Node_AConst, *pg_query.Node_ColumnRef, *pg_query.Node_ParamRef, *pg_query.Node_TypeCast,
		*pg_query.Node_AIndirection:
		return true
	case *pg_query.Node_FuncCall:
		return x.FuncCall.Funcformat != pg_query.CoercionForm_COERCE_SQL_SYNTAX
	}
	return false
}

func sqlSyntaxPlaceholder(i int) string { return "ddlmig_sql_syntax_placeholder_" + strconv.Itoa(i) }

// checkDeparse makes deparse compare every fastDeparse text with the
// deparser's and panic when they differ. Tests set it.
var checkDeparse = false

// deparseExpr gives the canonical text of an expression: the deparse of
// SELECT <expr> without its "SELECT ", so whitespace, comments, keyword case
// and redundant parentheses vanish.
func deparseExpr(e *pg_query.Node) (string, error) {
	sel := &pg_query.SelectStmt{TargetList: []*pg_query.Node{
		{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: e}}},
	}}
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}})
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}

// parseExpr parses canonical expression text back into a node.
func parseExpr(s string) (*pg_query.Node, error) {
	tree, err := pgdecode.Parse("SELECT " + s)
	if err != nil {
		return nil, err
	}
	if len(tree.Stmts) != 1 {
		return nil, fmt.Errorf("not one expression: %s", s)
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return nil, fmt.Errorf("not one expression: %s", s)
	}
	return sel.TargetList[0].GetResTarget().Val, nil
}

// canonicalDefault gives the canonical text of a column default: nextval
// arguments schema-qualified, and a literal cast to the column's own type
// reduced to the literal, as it means the same. src is the default as the
// user wrote it, which migrations write, or "" when it is def: its nextval
// argument is qualified too, since the server stores the sequence itself
// (nextval('s') is nextval('public.s'::regclass) once created) and a
// rename of the sequence rewrites both texts alike. It rewrites e.
func (f *folder) canonicalDefault(st *stmt, e *pg_query.Node, col schema.TypeName, types columnTypes) (def, src string, err error) {
	f.qualifyNextval(e)
	if src, err = deparseExpr(e); err != nil {
		return "", "", f.errorf(st.pos, "default expression: %v", err)
	}
	src = defaultText(e, src)
	normalizeExpr(e, types)
	if s, ok := f.literalDefault(st, e, col); ok {
		def = s
	} else if s, err := deparseExpr(e); err != nil {
		return "", "", f.errorf(st.pos, "default expression: %v", err)
	} else {
		def = defaultText(e, s)
	}
	if src == def {
		src = ""
	}
	return def, src, nil
}

// defaultText wraps the deparsed text s of e in parentheses when it is not
// a b_expr, the only kind of expression PostgreSQL's grammar accepts after
// DEFAULT without them (now() AT TIME ZONE 'utc', a IS NULL, x COLLATE "C"
// would otherwise not load or mean something else). Both spellings of such a
// default parse to the same tree, so the text stays one per meaning.
func defaultText(e *pg_query.Node, s string) string {
	switch x := e.Node.(type) {
	case *pg_query.Node_AConst, *pg_query.Node_ColumnRef, *pg_query.Node_TypeCast,
		*pg_query.Node_SqlvalueFunction, *pg_query.Node_AArrayExpr, *pg_query.Node_CaseExpr,
		*pg_query.Node_CoalesceExpr, *pg_query.Node_MinMaxExpr, *pg_query.Node_ParamRef:
		return s
	case *pg_query.Node_FuncCall:
		if x.FuncCall.Funcformat != pg_query.CoercionForm_COERCE_SQL_SYNTAX {
			return s
		}
	}
	if isBExpr(s) {
		return s
	}
	return "(" + s + ")"
}

// isBExpr reports whether s, put after DEFAULT in a column definition,
// parses as that default alone: no syntax error, and no trailing part taken
// as a COLLATE clause or another column constraint.
func isBExpr(s string) bool {
	tree, err := pgdecode.Parse("CREATE TABLE t (c int DEFAULT " + s + ")")
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	cs := tree.Stmts[0].Stmt.GetCreateStmt()
	if cs == nil || len(cs.TableElts) != 1 {
		return false
	}
	cd := cs.TableElts[0].GetColumnDef()
	if cd == nil || cd.CollClause != nil || len(cd.Constraints) != 1 {
		return false
	}
	c := cd.Constraints[0].GetConstraint()
	return c != nil && c.Contype == pg_query.ConstrType_CONSTR_DEFAULT
}

// literalDefault canonicalizes a default that is a constant, bare or cast
// to the column's type, into the form PostgreSQL prints back for that
// type: numbers bare, booleans as true/false, NULL and strings without
// the cast.
func (f *folder) literalDefault(st *stmt, e *pg_query.Node, col schema.TypeName) (string, bool) {
	c := e.GetAConst()
	lit := col // the type of the constant the server makes
	if tc := e.GetTypeCast(); tc != nil {
		c = tc.Arg.GetAConst()
		if c == nil {
			return "", false
		}
		t, _, err := f.resolveType(st, tc.TypeName)
		if err != nil {
			return "", false
		}
		lit = t
		castOK := sameType(t, col) || (numericTypes[t.Name] && numericTypes[col.Name] && t.ArrayDims == 0 && col.ArrayDims == 0)
		// A cast with a modifier the type's length coercion applies is
		// kept and printed as written ('ab'::character varying(5)), where
		// the bare constant is not coerced ('ab'::character varying).
		if !castOK || lengthCoerced(t) {
			return "", false
		}
	}
	if c == nil {
		return "", false
	}
	if c.Isnull {
		// NULL cast to another type than the column's (NULL::integer on
		// a bigint column) is coerced by a function the server stores:
		// it compares as written, as pg_dump prints it.
		return "NULL", sameType(lit, col)
	}
	sv, ok := c.Val.(*pg_query.A_Const_Sval)
	if !ok {
		if b, ok := c.Val.(*pg_query.A_Const_Boolval); ok && col.Name == "boolean" {
			return strconv.FormatBool(b.Boolval.Boolval), true
		}
		if e.GetTypeCast() == nil {
			return "", false
		}
		s, err := deparseExpr(&pg_query.Node{Node: &pg_query.Node_AConst{AConst: c}})
		return s, err == nil
	}
	if col == (schema.TypeName{Name: "interval"}) && lit == col {
		// An interval is stored as its value (interval.go).
		if c, ok := canonicalInterval(sv.Sval.Sval); ok {
			sv.Sval.Sval = c
		}
	}
	v := sv.Sval.Sval
	if col.ArrayDims == 0 {
		switch {
		case numericTypes[col.Name] && isNumber(v):
			return numberDefault(v, lit)
		case col.Name == "boolean":
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "t", "true", "y", "yes", "on", "1":
				return "true", true
			case "f", "false", "n", "no", "off", "0":
				return "false", true
			}
		}
	}
	if e.GetTypeCast() == nil && !numericTypes[col.Name] {
		return "", false
	}
	return schema.QuoteLiteral(v), true
}

// numberDefault gives the text PostgreSQL prints for a string constant v
// of numeric type lit (bigint '2', '2'::bigint, or '2' in a bigint column):
// integer and numeric constants that read as numbers come back bare, every
// other type keeps its cast ('2'::bigint, '1.5'::double precision), and
// the bare number would load as a different constant (2 is an integer
// coerced to bigint).
func numberDefault(v string, lit schema.TypeName) (string, bool) {
	if lit.Mods != "" || lit.ArrayDims != 0 || !numericTypes[lit.Name] {
		return "", false
	}
	switch lit.Name {
	case "integer":
		return v, true
	case "numeric":
		if v[0] >= '0' && v[0] <= '9' && strings.Contains(v, ".") && !strings.ContainsAny(v, "eE") {
			return v, true
		}
	case "smallint", "bigint":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", false
		}
		v = strconv.FormatInt(n, 10)
	}
	return schema.QuoteLiteral(v) + "::" + lit.Name, true
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.TrimSpace(s) == s && !strings.ContainsAny(s, "xXnNiI_")
}

// qualifyNextval rewrites every nextval('seq') in e to
// nextval('schema.seq'::regclass), the form PostgreSQL prints back, with
// the schema the file's search path resolves an unqualified name to.
func (f *folder) qualifyNextval(e *pg_query.Node) {
	walk(e.ProtoReflect(), func(m protoreflect.Message) {
		fc, ok := m.Interface().(*pg_query.FuncCall)
		if !ok || len(fc.Args) != 1 {
			return
		}
		name := strs(fc.Funcname)
		if name[len(name)-1] != "nextval" || (len(name) == 2 && name[0] != "pg_catalog") {
			return
		}
		arg := fc.Args[0]
		if tc := arg.GetTypeCast(); tc != nil {
			tn := strs(tc.TypeName.Names)
			if tn[len(tn)-1] != "regclass" {
				return
			}
			arg = tc.Arg
		}
		c := arg.GetAConst()
		if c == nil || c.GetSval() == nil {
			return
		}
		q, ok := parseQualified(c.GetSval().Sval)
		if !ok {
			return
		}
		if _, one := parseQualified("x." + c.GetSval().Sval); one && !f.defaultPath() {
			// regclass input resolves an unqualified name on the path
			// of the statement that stores the default.
			q.Schema = f.relationSchema(q.Name)
		}
		fc.Funcname = []*pg_query.Node{pg_query.MakeStrNode("nextval")}
		fc.Args = []*pg_query.Node{{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
			Arg:      pg_query.MakeAConstStrNode(q.String(), -1),
			TypeName: &pg_query.TypeName{Names: []*pg_query.Node{pg_query.MakeStrNode("regclass")}, Typemod: -1},
		}}}}
	})
}

// parseQualified parses a relation name as regclass input does:
// identifiers separated by dots, unquoted ones folded to lower case.
func parseQualified(s string) (schema.QualifiedName, bool) {
	var parts []string
	for s != "" {
		var part string
		if s[0] == '"' {
			i := 1
			var b strings.Builder
			for ; i < len(s); i++ {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i++
						continue
					}
					break
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return schema.QualifiedName{}, false
			}
			part, s = b.String(), s[i+1:]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part, s = strings.ToLower(strings.TrimSpace(s[:i])), s[i:]
		}
		parts = append(parts, part)
		if s == "" {
			break
		}
		if s[0] != '.' {
			return schema.QualifiedName{}, false
		}
		s = s[1:]
	}
	switch len(parts) {
	case 1:
		return qualify("", parts[0]), true
	case 2:
		return qualify(parts[0], parts[1]), true
	}
	return schema.QualifiedName{}, false
}

// walk calls fn on m and every message below it, depth first.
func walk(m protoreflect.Message, fn func(protoreflect.Message)) {
	if !m.IsValid() {
		return
	}
	fn(m)
	eachChild(m, func(c protoreflect.Message) { walk(c, fn) })
}

// columnRefs returns the columns an expression mentions (the last field of
// each column reference), in order of first mention.
func columnRefs(e *pg_query.Node) []string {
	var out []string
	if e == nil {
		return nil
	}
	walk(e.ProtoReflect(), func(m protoreflect.Message) {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok {
			f := cr.Fields
			if len(f) == 0 {
				return
			}
			if s := f[len(f)-1].GetString_(); s != nil {
				out = appendUnique(out, s.Sval)
			}
		}
	})
	return out
}

// renameColumnRefs renames column references (and index elements) from
// old to new throughout e.
func renameColumnRefs(m protoreflect.Message, old, new string) {
	walk(m, func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg_query.ColumnRef:
			if n := len(x.Fields); n > 0 {
				if s := x.Fields[n-1].GetString_(); s != nil && s.Sval == old {
					s.Sval = new
				}
			}
		case *pg_query.IndexElem:
			if x.Name == old {
				x.Name = new
			}
		}
	})
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// normalizeText applies normalizeExpr to canonical expression text.
func normalizeText(s string, types columnTypes) string {
	if s == "" {
		return s
	}
	e, err := parseExpr(s)
	if err != nil {
		return s
	}
	normalizeExpr(e, types)
	out, err := deparseExpr(e)
	if err != nil {
		return s
	}
	return out
}

// normalizeGenerated gives c's generation expression its compared form,
// normalized with the types of its table's columns, and keeps the text as
// written in GeneratedSrc when that differs. It may run again on a column
// already done (a partition's copy of its parent's): it starts from the
// text as written.
func normalizeGenerated(c *schema.Column, types columnTypes) {
	src := c.GeneratedSQL()
	c.Generated, c.GeneratedSrc = normalizeText(src, types), ""
	if c.Generated != src {
		c.GeneratedSrc = src
	}
}

// rewriteExprs applies rewrite, which maps an expression (or constraint)
// text to its new text, to a compared text and to the user's text beside
// it (src, "" for none). When rewrite changes the compared text and leaves
// the user's as it was (it did not parse back), the user's is stale and
// dropped: a stale text is worse than the compared one, which is written
// instead.
func rewriteExprs(def, src *string, rewrite func(string) string) {
	d := rewrite(*def)
	if *src != "" {
		s := rewrite(*src)
		if s == *src && d != *def {
			s = ""
		}
		*src = s
	}
	*def = d
	if *src == *def {
		*src = ""
	}
}

// rewriteDefSrc is rewriteExprs for statement texts whose rewrite can
// fail (an index's, a trigger's, a statistics object's): the compared text
// def keeps its old text then, and the user's src, "" for none, is
// dropped, so that def is written; so is a src the rewrite made def.
func rewriteDefSrc(def, src *string, rewrite func(string) (string, bool)) {
	if d, ok := rewrite(*def); ok {
		*def = d
	}
	if *src == "" {
		return
	}
	s, ok := rewrite(*src)
	if !ok || s == *def {
		s = ""
	}
	*src = s
}

// renameInDefault renames a column inside a canonical expression text
// (a generated column's expression).
func renameInExpr(s, old, new string) string {
	if s == "" {
		return s
	}
	e, err := parseExpr(s)
	if err != nil {
		return s
	}
	renameColumnRefs(e.ProtoReflect(), old, new)
	out, err := deparseExpr(e)
	if err != nil {
		return s
	}
	return out
}

// sqlString renders a schema.QualifiedName for use in generated SQL text
// that is parsed again.
func rangeVar(q schema.QualifiedName) *pg_query.RangeVar {
	return &pg_query.RangeVar{Schemaname: q.Schema, Relname: q.Name, Inh: true, Relpersistence: "p", Location: -1}
}

// columnTypes looks up the type of a column of the table an expression
// belongs to; nil when there is no table.
type columnTypes func(name string) (schema.TypeName, bool)

func tableTypes(t *schema.Table) columnTypes {
	return func(name string) (schema.TypeName, bool) {
		if c := t.Column(name); c != nil {
			return c.Type, true
		}
		return schema.TypeName{}, false
	}
}

// normalizeExpr rewrites an expression in place into the form PostgreSQL
// prints back, where that form follows from the text alone:
//   - functions and types qualified with public lose the qualification
//     (pg_dump qualifies everything outside pg_catalog; with the default
//     search_path both name the same object);
//   - a character varying or character column cast to text loses the cast
//     where the server adds the same cast itself: as an argument of a
//     function that takes text, or (character varying) an operand of an
//     operator, so lower(email) and lower((email)::text) are one text.
//     Elsewhere the cast changes the expression's type and stays: an
//     index on ((n)::text) is not an index on (n), nor ARRAY[(n)::text]
//     an ARRAY[n].
func normalizeExpr(e *pg_query.Node, types columnTypes) {
	if e == nil {
		return
	}
	// One post-order walk does both jobs: a comparison is normalized
	// (normalizeComparison) after its operands lost their casts.
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if !m.IsValid() {
			return
		}
		eachChild(m, visit)
		switch x := m.Interface().(type) {
		case *pg_query.FuncCall:
			x.Funcname = publicDropped(x.Funcname)
			stripLiteralArgCasts(x)
		case *pg_query.TypeName:
			x.Names = publicDropped(x.Names)
		case *pg_query.TypeCast:
			normalizeIntervalConst(x)
		case *pg_query.Node:
			foldNumberCast(x)
			if types != nil {
				normalizeComparison(x, types)
				stripArithWidening(x, types)
			}
			stripTextLiteralCasts(x, types)
		}
		if types == nil {
			return
		}
		switch x := m.Interface().(type) {
		case *pg_query.FuncCall:
			name := strs(x.Funcname)
			fn := name[len(name)-1]
			if x.AggStar || x.FuncVariadic || keepsArgType[fn] || (len(name) == 2 && name[0] != "pg_catalog") {
				return
			}
			for _, a := range x.Args {
				stripTextCast(a, types, !bpcharFuncs[fn])
			}
		case *pg_query.A_Expr:
			if x.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
				return // NULLIF(a, b) has the type of a
			}
			stripTextCast(x.Lexpr, types, false)
			stripTextCast(x.Rexpr, types, false)
			for _, it := range x.Rexpr.GetList().GetItems() {
				stripTextCast(it, types, false)
			}
		}
	}
	visit(e.ProtoReflect())
}

// publicDropped drops the public schema from a two-part name of a
// function or type, as normalizeExpr compares them.
func publicDropped(names []*pg_query.Node) []*pg_query.Node {
	if len(names) == 2 && names[0].GetString_().GetSval() == schema.DefaultSchema {
		return names[1:]
	}
	return names
}

// keepsArgType are the built-in functions whose parameters are
// polymorphic or "any": an argument's cast to text chooses what they do
// (format('%s', n) is called with character varying, count(n) too), so
// the server does not add it and it is not dropped.
var keepsArgType = map[string]bool{
	"format": true, "concat": true, "concat_ws": true, "count": true, "num_nulls": true, "num_nonnulls": true,
	"pg_typeof": true, "to_json": true, "to_jsonb": true, "json_build_object": true, "json_build_array": true,
	"jsonb_build_object": true, "jsonb_build_array": true, "json_object_agg": true, "jsonb_object_agg": true,
	"json_agg": true, "jsonb_agg": true, "array_agg": true, "array_append": true, "array_prepend": true,
	"array_cat": true, "array_position": true, "array_positions": true, "array_remove": true,
	"array_replace": true, "array_fill": true, "row_to_json": true,
	"mode": true, "percentile_disc": true,
}

// bpcharFuncs are the built-in functions with a character (bpchar)
// overload, which the server calls on a character column without a cast:
// length(c) ignores trailing blanks, length(c::text) counts them.
var bpcharFuncs = map[string]bool{
	"length": true, "char_length": true, "character_length": true, "octet_length": true, "bit_length": true,
	"max": true, "min": true, "bpchar": true, "hashbpchar": true, "bpchar_larger": true, "bpchar_smaller": true,
}

// stripTextCast turns node x, a cast of a character varying column (or,
// with bpchar, a character column) to text, into the column reference.
func stripTextCast(x *pg_query.Node, types columnTypes, bpchar bool) {
	if x == nil {
		return
	}
	tc := x.GetTypeCast()
	if tc == nil {
		return
	}
	name, ok := columnRefName(tc.Arg.GetColumnRef())
	if !ok || tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 || len(tc.TypeName.Typmods) > 0 {
		return
	}
	names := strs(tc.TypeName.Names)
	if names[len(names)-1] != "text" || (len(names) == 2 && names[0] != "pg_catalog") {
		return
	}
	if t, ok := types(name); ok && t.Schema == "" && t.ArrayDims == 0 &&
		(t.Name == "character varying" || (bpchar && t.Name == "character")) {
		x.Node = tc.Arg.Node
	}
}

// foldNumberCast turns a number the server prints as a string cast to its
// type ('-1'::integer, '3000000000'::bigint, '-1.5'::numeric: constants it
// cannot print bare) into the bare number, the same constant, wherever it
// stands: norm(-1) is pg_dump's norm('-1'::integer).
func foldNumberCast(n *pg_query.Node) {
	tc := n.GetTypeCast()
	if tc == nil || tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 || len(tc.TypeName.Typmods) > 0 {
		return
	}
	sv := tc.Arg.GetAConst().GetSval()
	if sv == nil {
		return
	}
	if c := numberLiteral(sv.Sval, builtinTarget(strs(tc.TypeName.Names))); c != nil {
		n.Node = c.Node
	}
}
