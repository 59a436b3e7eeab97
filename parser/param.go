package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// refuseParamZero refuses $0 in a statement, at its position, as
// PostgreSQL does wherever it stands ("there is no parameter $0":
// parameters count from $1). The deparser prints it as ?, which no server
// reads back, so a migration carrying it would not load (found by
// FuzzRoundTrip in a domain's CHECK). Statements whose text holds no "$0"
// are not walked.
func (f *folder) refuseParamZero(st *stmt) error {
	if !strings.Contains(f.src.text[st.start:st.end], "$0") {
		return nil
	}
	var loc int32 = -1
	walk(st.node.ProtoReflect(), func(m protoreflect.Message) {
		if p, ok := m.Interface().(*pg_query.ParamRef); ok && p.Number == 0 && loc < 0 {
			loc = p.Location
		}
	})
	if loc < 0 {
		return nil
	}
	return f.errorf(f.at(st, loc), "there is no parameter $0")
}

// refuseExprTypmods refuses a type modifier that is an expression (not a
// constant or an identifier) in a cast or a typed literal, at the type's
// position, as PostgreSQL's typenameTypeMod does; the deparser drops such
// a modifier ('x'::a((”)::a) prints as 'x'::a(), which does not parse:
// FuzzRoundTrip, in a default). Column and routine types are checked where
// they are resolved (typeMods); only statements whose text holds a cast
// (::, CAST) or a typed literal (a ")" before a quote) are walked.
func (f *folder) refuseExprTypmods(st *stmt) error {
	text := f.src.text[st.start:st.end]
	if !strings.Contains(text, "::") && !strings.Contains(text, ")'") && !strings.Contains(text, ") '") &&
		!strings.Contains(strings.ToLower(text), "cast") {
		return nil
	}
	var loc int32 = -1
	walk(st.node.ProtoReflect(), func(m protoreflect.Message) {
		tc, ok := m.Interface().(*pg_query.TypeCast)
		if !ok || loc >= 0 || tc.TypeName == nil {
			return
		}
		for _, mod := range tc.TypeName.Typmods {
			c := mod.GetAConst()
			if mod.GetColumnRef() == nil && (c == nil || c.GetIval() == nil && c.GetSval() == nil && c.GetFval() == nil) {
				loc = tc.TypeName.Location
				return
			}
		}
	})
	if loc < 0 {
		return nil
	}
	return f.errorf(f.at(st, loc), "type modifiers must be simple constants or identifiers")
}
