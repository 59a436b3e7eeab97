package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// fastDeparse prints the few node shapes that make up most of a large
// schema (a key on plain columns, an index on plain columns, a default that
// is a number, a boolean, a call without arguments or a string literal cast
// to a named type) the way pg_query's deparser does, without the round trip
// through protobuf and C that each deparse costs. ok is false for any other
// shape, which goes to the deparser.
//
// Each shape is checked field by field: anything set that the fast text
// does not print makes it decline. Tests run with checkDeparse on, which
// compares every fast text with the deparser's.
func fastDeparse(n *pg_query.Node) (s string, ok bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_AlterTableStmt:
		return fastKey(x.AlterTableStmt)
	case *pg_query.Node_IndexStmt:
		return fastIndex(x.IndexStmt)
	case *pg_query.Node_SelectStmt:
		sel := x.SelectStmt
		if len(sel.TargetList) != 1 || sel.FromClause != nil || sel.WhereClause != nil || sel.DistinctClause != nil ||
			sel.IntoClause != nil || sel.GroupClause != nil || sel.HavingClause != nil || sel.WindowClause != nil ||
			sel.ValuesLists != nil || sel.SortClause != nil || sel.LimitOffset != nil || sel.LimitCount != nil ||
			sel.LockingClause != nil || sel.WithClause != nil || sel.Larg != nil || sel.Rarg != nil ||
			(sel.Op != pg_query.SetOperation_SETOP_NONE && sel.Op != pg_query.SetOperation_SET_OPERATION_UNDEFINED) {
			return "", false
		}
		rt := sel.TargetList[0].GetResTarget()
		if rt == nil || rt.Name != "" || rt.Indirection != nil || rt.Val == nil {
			return "", false
		}
		if e, ok := fastExpr(rt.Val); ok {
			return "SELECT " + e, true
		}
	}
	return "", false
}

// fastKey is ALTER TABLE x ADD CONSTRAINT c PRIMARY KEY|UNIQUE (cols),
// as constraintDef builds it.
func fastKey(at *pg_query.AlterTableStmt) (string, bool) {
	if at.Relation == nil || at.Relation.Relname != "x" || at.Relation.Schemaname != "" || !at.Relation.Inh ||
		at.Relation.Alias != nil || at.Objtype != pg_query.ObjectType_OBJECT_TABLE || at.MissingOk || len(at.Cmds) != 1 {
		return "", false
	}
	cmd := at.Cmds[0].GetAlterTableCmd()
	if cmd == nil || cmd.Subtype != pg_query.AlterTableType_AT_AddConstraint || cmd.Name != "" || cmd.Newowner != nil ||
		cmd.MissingOk || cmd.Recurse || cmd.Def == nil {
		return "", false
	}
	c := cmd.Def.GetConstraint()
	if c == nil || c.Conname != "c" || c.Deferrable || c.Initdeferred || c.IsNoInherit || c.RawExpr != nil ||
		c.CookedExpr != "" || c.GeneratedWhen != "" || c.NullsNotDistinct || c.Including != nil || c.Exclusions != nil ||
		c.Options != nil || c.Indexname != "" || c.Indexspace != "" || c.ResetDefaultTblspc || c.AccessMethod != "" ||
		c.WhereClause != nil || c.Pktable != nil || c.FkAttrs != nil || c.PkAttrs != nil || c.OldConpfeqop != nil ||
		c.FkDelSetCols != nil || c.SkipValidation || len(c.Keys) == 0 {
		return "", false
	}
	var kind string
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		kind = "PRIMARY KEY"
	case pg_query.ConstrType_CONSTR_UNIQUE:
		kind = "UNIQUE"
	default:
		return "", false
	}
	cols, ok := identList(c.Keys)
	if !ok {
		return "", false
	}
	return constraintPrefix + kind + " (" + cols + ")", true
}

// fastIndex is CREATE INDEX i ON schema.table USING method (cols), as
// indexDef builds it, for an index on plain columns.
func fastIndex(n *pg_query.IndexStmt) (string, bool) {
	r := n.Relation
	if n.Idxname != "i" || r == nil || r.Schemaname == "" || !r.Inh || r.Alias != nil || r.Catalogname != "" ||
		n.AccessMethod == "" || n.TableSpace != "" || n.IndexIncludingParams != nil || n.Options != nil ||
		n.WhereClause != nil || n.ExcludeOpNames != nil || n.Idxcomment != "" || n.IndexOid != 0 || n.Unique ||
		n.NullsNotDistinct || n.Primary || n.Isconstraint || n.Deferrable || n.Initdeferred || n.Transformed ||
		n.Concurrent || n.IfNotExists || n.ResetDefaultTblspc || len(n.IndexParams) == 0 || !simpleIdent(n.AccessMethod) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(indexPrefix)
	b.WriteString(schema.QuoteIdent(r.Schemaname))
	b.WriteByte('.')
	b.WriteString(schema.QuoteIdent(r.Relname))
	b.WriteString(" USING ")
	b.WriteString(n.AccessMethod)
	b.WriteString(" (")
	for i, p := range n.IndexParams {
		ie := p.GetIndexElem()
		if ie == nil || ie.Name == "" || ie.Expr != nil || ie.Indexcolname != "" || ie.Collation != nil ||
			ie.Opclass != nil || ie.Opclassopts != nil || ie.Ordering != pg_query.SortByDir_SORTBY_DEFAULT ||
			ie.NullsOrdering != pg_query.SortByNulls_SORTBY_NULLS_DEFAULT {
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(schema.QuoteIdent(ie.Name))
	}
	b.WriteByte(')')
	return b.String(), true
}

// fastExpr prints a non-negative integer, a boolean, a string literal (no
// backslash), a call of a function without arguments, or a string literal
// cast to one of fastTypes.
func fastExpr(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_AConst:
		c := x.AConst
		if c.Isnull {
			return "", false
		}
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Ival:
			if v.Ival.Ival >= 0 {
				return strconv.Itoa(int(v.Ival.Ival)), true
			}
		case *pg_query.A_Const_Boolval:
			return strconv.FormatBool(v.Boolval.Boolval), true
		case *pg_query.A_Const_Sval:
			return quoteString(v.Sval.Sval)
		}
	case *pg_query.Node_FuncCall:
		fc := x.FuncCall
		if fc.Args != nil || fc.AggOrder != nil || fc.AggFilter != nil || fc.Over != nil || fc.AggWithinGroup ||
			fc.AggStar || fc.AggDistinct || fc.FuncVariadic || fc.Funcformat != pg_query.CoercionForm_COERCE_EXPLICIT_CALL {
			return "", false
		}
		names := strs(fc.Funcname)
		if len(names) == 0 || len(names) > 2 || len(names) != len(fc.Funcname) {
			return "", false
		}
		for i, s := range names {
			// pg_catalog functions and keyword-like names are printed
			// specially by the deparser; leave them to it.
			if !simpleIdent(s) || s == "pg_catalog" || (i == len(names)-1 && schema.QuoteIdent(s) != s) {
				return "", false
			}
		}
		return strings.Join(names, ".") + "()", true
	case *pg_query.Node_TypeCast:
		tc := x.TypeCast
		c := tc.Arg.GetAConst()
		tn := tc.TypeName
		if c == nil || c.Isnull || tn == nil || len(tn.Names) != 1 || tn.Typmods != nil || tn.ArrayBounds != nil ||
			tn.Setof || tn.PctType || tn.TypeOid != 0 {
			return "", false
		}
		sv, ok := c.Val.(*pg_query.A_Const_Sval)
		typ := tn.Names[0].GetString_().GetSval()
		if !ok || !fastTypes[typ] {
			return "", false
		}
		lit, ok := quoteString(sv.Sval.Sval)
		if !ok {
			return "", false
		}
		return lit + "::" + typ, true
	}
	return "", false
}

// quoteString quotes a string literal as the deparser does, for strings
// without a backslash (which it writes as E'...').
func quoteString(v string) (string, bool) {
	if strings.ContainsRune(v, '\\') {
		return "", false
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'", true
}

// fastTypes are type names the deparser prints as written after ::.
var fastTypes = map[string]bool{"text": true, "jsonb": true, "json": true, "uuid": true, "regclass": true, "bytea": true, "inet": true, "date": true}

// simpleIdent reports whether s needs no quoting and is no keyword.
func simpleIdent(s string) bool {
	return s != "" && schema.QuoteIdent(s) == s && strings.IndexFunc(s, func(r rune) bool { return r == '$' }) < 0
}

// identList prints String nodes as a comma-separated list of identifiers.
func identList(nodes []*pg_query.Node) (string, bool) {
	var b strings.Builder
	for i, n := range nodes {
		s := n.GetString_()
		if s == nil || s.Sval == "" {
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(schema.QuoteIdent(s.Sval))
	}
	return b.String(), true
}
