package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

// canonicalGenerated makes column c's generated expression, of table t,
// the text compared (normalizeGenerated, then stripDomainCasts, then
// literalDefault for a constant), keeping the user's own beside it when
// the two differ.
func (f *folder) canonicalGenerated(st *stmt, c *schema.Column, t *schema.Table) {
	src := c.GeneratedSQL()
	normalizeGenerated(c, tableTypes(t))
	g := f.stripDomainCasts(c.Generated, t)
	g = f.constantGenerated(st, g, c.Type)
	if g != c.Generated {
		c.Generated, c.GeneratedSrc = g, src
	}
}

// constantGenerated gives a generation expression that is a constant,
// bare or cast, the compared text of the same constant as a default: the
// server stores either coerced to the column's type and prints the cast
// ('item'::text for 'item' and for 'item'::text on a text column), as
// pg_dump writes it, so the spellings compare alike
// (TestGeneratedConstantsAgainstServer).
func (f *folder) constantGenerated(st *stmt, s string, col schema.TypeName) string {
	if s == "" || s[0] != '\'' && s[0] != '(' && !strings.Contains(s, "::") {
		return s
	}
	e, err := parseExpr(s)
	if err != nil || e.GetAConst() == nil && e.GetTypeCast().GetArg().GetAConst() == nil {
		return s
	}
	if lit, ok := f.literalDefault(st, e, col); ok {
		return lit
	}
	return s
}

// stripDomainCasts drops, in the canonical text s of an expression over
// the columns of t (a generated column's), each cast of a column of a
// domain type to the domain's base type: the server coerces such a column
// to its base type wherever an operator or function takes the base type,
// and prints the coercion, (price)::numeric * 1.2 for price * 1.2, as it
// prints the cast when written. pg_dump's spelling and the user's then
// compare as one.
func (f *folder) stripDomainCasts(s string, t *schema.Table) string {
	if s == "" || !strings.Contains(s, "::") {
		return s
	}
	e, err := parseExpr(s)
	if err != nil {
		return s
	}
	changed := false
	walk(e.ProtoReflect(), func(m protoreflect.Message) {
		n, ok := m.Interface().(*pg_query.Node)
		if !ok {
			return
		}
		if arg := f.domainToBase(n.GetTypeCast(), t); arg != nil {
			n.Node, changed = arg.Node, true
		}
	})
	if !changed {
		return s
	}
	out, err := deparseExpr(e)
	if err != nil {
		return s
	}
	return out
}

// domainToBase returns the column reference tc casts when it is a column
// of t of a domain type cast to the domain's base type, with no modifier;
// nil otherwise.
func (f *folder) domainToBase(tc *pg_query.TypeCast, t *schema.Table) *pg_query.Node {
	if tc == nil || tc.TypeName == nil || len(tc.TypeName.Typmods) > 0 || len(tc.TypeName.ArrayBounds) > 0 {
		return nil
	}
	cr := tc.Arg.GetColumnRef()
	if cr == nil || len(cr.Fields) != 1 || cr.Fields[0].GetString_() == nil {
		return nil
	}
	c := t.Column(cr.Fields[0].GetString_().Sval)
	if c == nil || !f.isDomain(c.Type) {
		return nil
	}
	base := f.cat.Domains[schema.QualifiedName{Schema: c.Type.Schema, Name: c.Type.Name}].Type
	if base.Schema != "" || base.ArrayDims > 0 || builtinTarget(strs(tc.TypeName.Names)) != base.Name {
		return nil
	}
	return tc.Arg
}
