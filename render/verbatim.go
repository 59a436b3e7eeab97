package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// verbatimChange renders the changes of planner/verbatim.go: the user's
// statement as written, under the marker that keeps it unmanaged when the
// migration is folded.
func verbatimChange(c planner.Change) (string, group, bool) {
	if c, ok := c.(*planner.RunUnmanaged); ok {
		text := c.Stmt.Text
		if last := text[strings.LastIndexByte(text, '\n')+1:]; strings.Contains(last, "--") {
			text += "\n" // a comment may end the statement's last line
		}
		stmt := schema.UnmanagedMarker + "\n" + text + ";"
		if c.Replace != "" {
			stmt = "DROP " + c.Replace + ";\n" + stmt
		}
		return stmt, alone, true
	}
	if c, ok := c.(*planner.UndoUnmanaged); ok {
		if c.Drop == "" {
			return "-- ddlmig: the up migration runs an unmanaged " + c.Stmt.Kind + " (" + c.Stmt.Pos.String() +
				"), which names no object ddlmig can drop: write its inverse here by hand\n;", alone, true
		}
		return "DROP " + c.Drop + ";", alone, true
	}
	return "", alone, false
}
