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
