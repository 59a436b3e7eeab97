package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// rebuildEnum renders the statements of an enum rebuild in the order they
// must run; they stay together as one change because none of them is
// right alone.
func rebuildEnum(c *planner.RebuildEnum) string {
	tmp := schema.QualifiedName{Schema: c.Name.Schema, Name: c.TempName}
	vals := make([]string, len(c.Values))
	for i, v := range c.Values {
		vals[i] = schema.QuoteLiteral(v)
	}
	var out []string
	out = append(out, "CREATE TYPE "+tmp.String()+" AS ENUM ("+strings.Join(vals, ", ")+");")
	for _, col := range c.Columns {
		if col.DropDefault {
			out = append(out, alterColumn(col.Table, col.Column, "DROP DEFAULT"))
		}
		arr := strings.Repeat("[]", col.ArrayDims)
		using := schema.QuoteIdent(col.Column) + "::text" + arr + "::" + tmp.String() + arr
		out = append(out, alterColumn(col.Table, col.Column, "TYPE "+tmp.String()+arr+" USING "+using))
	}
	out = append(out, "DROP TYPE "+c.Name.String()+";")
	out = append(out, "ALTER TYPE "+tmp.String()+" RENAME TO "+schema.QuoteIdent(c.Name.Name)+";")
	for _, col := range c.Columns {
		if col.Default != "" {
			out = append(out, alterColumn(col.Table, col.Column, "SET DEFAULT "+col.Default))
		}
	}
	if c.Comment != "" {
		out = append(out, "COMMENT ON TYPE "+c.Name.String()+" IS "+schema.QuoteLiteral(c.Comment)+";")
	}
	return strings.Join(out, "\n")
}
