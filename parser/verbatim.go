package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// unmanagedMarked reports whether the comments before a statement (the
// text from the end of the one before, gapStart, to its first token) hold
// schema.UnmanagedMarker on a line of its own.
func (f *folder) unmanagedMarked(gapStart, off int) bool {
	gap := f.src.text[gapStart:off]
	if !strings.Contains(gap, schema.UnmanagedMarker) {
		return false
	}
	lines := strings.Split(gap, "\n")
	if gapStart > 0 && f.src.text[gapStart-1] != '\n' {
		lines = lines[1:] // the rest of the line the statement before ends on
	}
	for _, l := range lines {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), schema.UnmanagedMarker)
		if ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return true
		}
	}
	return false
}

// carryUnmanaged takes a marked statement (its text ends at end) into the
// catalog as it is written, instead of folding it. In a schema file two
// statements of one identity are an error; in migrations the later one
// replaces the earlier (a statement written again because it changed),
// and a DROP of an unmanaged statement's object, itself marked, removes
// it.
func (f *folder) carryUnmanaged(st *stmt, end int) error {
	text := strings.TrimSpace(f.src.text[st.off:end])
	text = strings.TrimSpace(strings.TrimSuffix(text, ";"))
	norm, err := pgdecode.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: st.node}}})
	if err != nil {
		norm = strings.Join(strings.Fields(text), " ")
	}
	key, named := objectIdentity(st.node)
	if !named {
		key = schema.UnmanagedStatementKey + norm
	}
	if f.opts.Migration {
		if d := st.node.GetDropStmt(); d != nil {
			f.dropUnmanaged(d)
		}
	}
	if old := f.cat.Unmanaged[key]; old != nil && !f.opts.Migration && f.src.owns(old.Pos.File) {
		if !named {
			return nil // the same statement twice: carried once
		}
		return f.errorf(st.pos, "%s is marked unmanaged twice (also at %s): ddlmig carries one statement per object", key, old.Pos)
	}
	f.cat.Unmanaged[key] = &schema.Unmanaged{Key: key, Kind: f.stmtName(st), Text: text, Norm: norm, Seq: len(f.cat.Unmanaged), Pos: st.pos}
	return nil
}

// dropUnmanaged removes the unmanaged statements whose objects a marked
// DROP drops.
func (f *folder) dropUnmanaged(d *pg_query.DropStmt) {
	for _, o := range d.Objects {
		if id, ok := dropIdentity(d.RemoveType, o); ok {
			delete(f.cat.Unmanaged, id)
		}
	}
}

// dropsUnmanaged folds a DROP, marked or not, of objects that unmanaged
// statements made (the way a migration changes one, see
// planner.RunUnmanaged): they leave the catalog. ok is false, and nothing
// changes, unless every object of the DROP is one.
func (f *folder) dropsUnmanaged(st *stmt) bool {
	d := st.node.GetDropStmt()
	if d == nil || len(f.cat.Unmanaged) == 0 || len(d.Objects) == 0 {
		return false
	}
	for _, o := range d.Objects {
		if id, ok := dropIdentity(d.RemoveType, o); !ok || f.cat.Unmanaged[id] == nil {
			return false
		}
	}
	f.dropUnmanaged(d)
	return true
}

// dropKinds are the DROP object types whose word differs from the one
// objectIdentity writes.
var dropKinds = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_TSCONFIGURATION: "TEXT SEARCH CONFIGURATION",
	pg_query.ObjectType_OBJECT_TSDICTIONARY:    "TEXT SEARCH DICTIONARY",
	pg_query.ObjectType_OBJECT_TSPARSER:        "TEXT SEARCH PARSER",
	pg_query.ObjectType_OBJECT_TSTEMPLATE:      "TEXT SEARCH TEMPLATE",
	pg_query.ObjectType_OBJECT_FDW:             "FOREIGN DATA WRAPPER",
	pg_query.ObjectType_OBJECT_FOREIGN_SERVER:  "SERVER",
	pg_query.ObjectType_OBJECT_STATISTIC_EXT:   "STATISTICS",
	pg_query.ObjectType_OBJECT_MATVIEW:         "MATERIALIZED VIEW",
}

// dropIdentity is objectIdentity of one object of a DROP: what a CREATE of
// it would be named. ok is false for the objects it cannot name
// (operators, classes and families, aggregates and routines).
func dropIdentity(t pg_query.ObjectType, o *pg_query.Node) (string, bool) {
	kind, ok := dropKinds[t]
	if !ok {
		kind = objTypeName(t)
	}
	switch {
	case o.GetString_() != nil:
		return kind + " " + schema.QuoteIdent(o.GetString_().Sval), true
	case o.GetTypeName() != nil:
		tn, err := deparseType(o.GetTypeName())
		return kind + " " + tn, err == nil
	case o.GetList() == nil:
		return "", false
	}
	items := o.GetList().Items
	switch t {
	case pg_query.ObjectType_OBJECT_RULE, pg_query.ObjectType_OBJECT_TRIGGER, pg_query.ObjectType_OBJECT_POLICY:
		if len(items) < 2 {
			return "", false
		}
		return kind + " " + nameAsWritten(items[len(items)-1:]) + " ON " + nameAsWritten(items[:len(items)-1]), true
	case pg_query.ObjectType_OBJECT_CAST:
		if len(items) != 2 || items[0].GetTypeName() == nil || items[1].GetTypeName() == nil {
			return "", false
		}
		src, err1 := deparseType(items[0].GetTypeName())
		dst, err2 := deparseType(items[1].GetTypeName())
		return "CAST (" + src + " AS " + dst + ")", err1 == nil && err2 == nil
	}
	for _, it := range items {
		if it.GetString_() == nil {
			return "", false
		}
	}
	return kind + " " + nameAsWritten(items), true
}

// unsupportedf is the error for a statement ddlmig cannot fold. It says
// the way out, so that a hand-written migration or a schema file holding
// one is never a dead end: the unmanaged marker.
func (f *folder) unsupportedf(pos schema.Pos, format string, args ...any) error {
	return schema.Errorf(pos, "unsupported statement "+format+" (to carry it as written, put a line "+schema.UnmanagedMarker+" right above it)", args...)
}
