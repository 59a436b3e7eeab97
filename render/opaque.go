package render

import (
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Opaque objects are created and dropped in blocks of their own.
var blockOpaque, blockDropOpaque = newBlock(), newBlock()

func init() { registerKind("opaque object", opaqueChange) }

// opaqueChange renders the changes of planner/opaque.go: CREATE is the
// user's own statement, DROP, COMMENT ON and OWNER TO name the object by
// the identity the parser derived from it.
func opaqueChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateOpaque:
		sql := c.Opaque.Stmt + ";"
		if c.Opaque.Comment != "" {
			sql += "\n" + opaqueComment(c.Opaque.Key, c.Opaque.Comment)
		}
		if c.Opaque.Owner != "" {
			sql += "\n" + opaqueOwner(c.Opaque.Key, c.Opaque.Owner)
		}
		return sql, block(blockOpaque), true
	case *planner.SetOpaqueComment:
		return opaqueComment(c.Key, c.Comment), block(blockOpaque), true
	case *planner.SetOpaqueOwner:
		return opaqueOwner(c.Key, c.Owner), block(blockOpaque), true
	case *planner.DropOpaque:
		return "DROP " + c.Opaque.Key + ";", block(blockDropOpaque), true
	}
	return "", alone, false
}

func opaqueComment(key, comment string) string {
	if comment == "" {
		return "COMMENT ON " + key + " IS NULL;"
	}
	return "COMMENT ON " + key + " IS " + schema.QuoteLiteral(comment) + ";"
}

func opaqueOwner(key, owner string) string {
	if owner == "" {
		return "ALTER " + key + " OWNER TO CURRENT_USER;"
	}
	return "ALTER " + key + " OWNER TO " + schema.QuoteIdent(owner) + ";"
}
