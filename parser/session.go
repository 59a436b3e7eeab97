package parser

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// A Session folds files one after another into one catalog, as Parse
// called once per file would, keeping between the calls what each call
// of Parse rebuilds from the whole catalog: the index of constraint names
// (names.go), and what finish needs to look at. A run of lock-cut steps
// folds some seventy files into a catalog of 5,000 tables; with Parse,
// each paid for the whole catalog twice (the index and finish), and the
// fold cost steps times tables. With a Session a file costs what it
// changes.
//
// The catalog must change only through the Session's Parse between its
// calls: the index misses constraint names given by anyone else, and
// finishTouched trusts the tables a file did not touch to be as the last
// finish left them.
type Session struct {
	cat   *schema.Catalog
	taken takenNames // the index, kept from call to call (nil: built on first use)
	// finished says the last call finished the catalog without error, and
	// plain that no table of it then inherited or was partitioned or a
	// partition (plainCatalog): a file may then be finished by the tables
	// it touched alone (finishTouched).
	finished, plain bool
	// touchedFinishes counts the calls finished by the tables they
	// touched (tests read it).
	touchedFinishes int
}

// NewSession returns a Session folding into cat, which may hold anything
// (a fold of migrations, a copy of one): the first call finishes all of
// it.
func NewSession(cat *schema.Catalog) *Session {
	return &Session{cat: cat}
}

// Catalog is the catalog the session folds into.
func (s *Session) Catalog() *schema.Catalog { return s.cat }

// Parse is Parse of the package on the session's catalog.
func (s *Session) Parse(filename string, src []byte, opts Options) ([]Warning, error) {
	return parse(s.cat, newSource(filename, sqltext.BlankMetaCommands(string(src))), opts, s)
}

// begin hands the session's index to f, and asks f to track the tables
// its statements touch when the catalog may be finished by them alone:
// a migration (in a declarative file statements wait for one another and
// are retried) on a plain catalog that the last call finished. Until end,
// the catalog is not finished: a call that stops early (a syntax error
// after some pieces were folded) leaves it so.
func (s *Session) begin(f *folder) {
	if s == nil {
		return
	}
	f.taken = s.taken
	if s.finished && s.plain && f.opts.Migration {
		f.touched = map[schema.QualifiedName]bool{}
	}
	s.finished = false
}

// finishTouched reports whether f may finish by the tables its statements
// touched (folder.finishTouched): they were tracked, named every table
// they changed, none is one that inheritance or partitioning ties to
// others, and no statement failed (an error is reported as Parse reports
// it, by finish).
func (s *Session) finishTouched(f *folder) bool {
	if s == nil || f.touched == nil || f.touchedAll || len(f.errs) > 0 {
		return false
	}
	for n := range f.touched {
		if t := f.cat.Tables[n]; t == nil || !plainTable(t) {
			return false
		}
	}
	return true
}

// end keeps f's index, and what f's finish left, for the next call; touched
// says f finished by the tables it touched, which leaves a plain catalog
// plain.
func (s *Session) end(f *folder, touched bool) {
	if s == nil {
		return
	}
	s.taken = f.taken
	if touched {
		s.touchedFinishes++
	} else {
		s.plain = plainCatalog(f.cat)
	}
	s.finished = len(f.errs) == 0
}

// plainCatalog reports whether no table of c inherits, is partitioned or
// is a partition, and no index is attached to another: finish's passes
// over inheritance and partitions (syncPartitions, nameClones,
// syncInherits) then have nothing to do.
func plainCatalog(c *schema.Catalog) bool {
	for _, t := range c.Tables {
		if !plainTable(t) {
			return false
		}
	}
	for _, ix := range c.Indexes {
		if ix.Parent != (schema.QualifiedName{}) {
			return false
		}
	}
	return true
}

func plainTable(t *schema.Table) bool {
	return t.Options.Inherits == "" && t.Options.PartitionBy == "" && !t.Options.IsPartition()
}

// touch records the tables statement st changed, when f tracks them, or
// sets touchedAll when st is not one of the few kinds known to change
// only the table they name, on a plain catalog: CREATE TABLE, CREATE
// INDEX, ALTER TABLE adding columns or constraints or setting defaults,
// NOT NULL or validation (no DROP, nothing with CASCADE), and the
// statements that change no table at all as finish reads one (schemas
// without elements, enums, sequences, comments, grants, SET). These are
// what a first migration and the online forms are made of; any other
// statement makes the file finish the whole catalog.
func (f *folder) touch(st *stmt) {
	if f.touched == nil || f.touchedAll {
		return
	}
	switch n := st.node.Node.(type) {
	case *pg_query.Node_VariableSetStmt, *pg_query.Node_CreateEnumStmt, *pg_query.Node_CreateSeqStmt,
		*pg_query.Node_AlterSeqStmt, *pg_query.Node_CommentStmt, *pg_query.Node_GrantStmt:
	case *pg_query.Node_CreateSchemaStmt:
		f.touchedAll = len(n.CreateSchemaStmt.SchemaElts) > 0
	case *pg_query.Node_CreateStmt:
		f.touchTable(n.CreateStmt.Relation)
	case *pg_query.Node_IndexStmt:
		f.touchTable(n.IndexStmt.Relation)
	case *pg_query.Node_AlterTableStmt:
		if n.AlterTableStmt.Objtype != pg_query.ObjectType_OBJECT_TABLE || !localAlter(n.AlterTableStmt.Cmds) {
			f.touchedAll = true
			return
		}
		f.touchTable(n.AlterTableStmt.Relation)
	default:
		f.touchedAll = true
	}
}

// touchTable records the table rv names (qualified by qualifyNames, or
// in the default schema), or sets touchedAll when there is none: a
// temporary table, or one the statement failed to make.
func (f *folder) touchTable(rv *pg_query.RangeVar) {
	if rv == nil || f.cat.Tables[rangeVarName(rv)] == nil {
		f.touchedAll = true
		return
	}
	f.touched[rangeVarName(rv)] = true
}

// localAlter reports whether every subcommand of an ALTER TABLE changes
// its own table alone, on a plain catalog (see touch).
func localAlter(cmds []*pg_query.Node) bool {
	for _, n := range cmds {
		c := n.GetAlterTableCmd()
		if c == nil || c.Behavior == pg_query.DropBehavior_DROP_CASCADE {
			return false
		}
		switch c.Subtype {
		case pg_query.AlterTableType_AT_AddColumn, pg_query.AlterTableType_AT_AddConstraint,
			pg_query.AlterTableType_AT_ColumnDefault, pg_query.AlterTableType_AT_SetNotNull,
			pg_query.AlterTableType_AT_ValidateConstraint:
		default:
			return false
		}
	}
	return true
}
