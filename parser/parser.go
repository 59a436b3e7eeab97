package parser

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	pgerr "github.com/pganalyze/pg_query_go/v5/parser"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// Options controls how statements are folded.
type Options struct {
	// Migration is true when folding a migration file (ddlmig's own output or a hand-edited
	// one): statements are applied strictly in order. When false (a declarative schema file),
	// statement order must not matter: a statement that refers to an object created later in
	// the file (an index or ALTER TABLE before its CREATE TABLE, a FK to a later table, a
	// table in a schema created later) is applied after it. Cycles/still-missing objects are
	// errors naming the statement and line.
	Migration bool
	// SearchPath is the search_path the file runs with (default: public):
	// an unqualified CREATE goes to the first of its schemas that exists,
	// an unqualified name refers to the first schema holding it. A SET
	// search_path statement in the file replaces it from there on.
	SearchPath []string
	// Observer, when set, sees each statement before and after it is
	// folded (observe.go).
	Observer Observer
}

// Warning reports a statement that was skipped on purpose, such as the
// INSERT INTO schema_migrations at the end of a Rails structure.sql: the file
// is still usable, but the user may want to know that part of it was not
// taken into the model.
type Warning struct {
	Pos schema.Pos
	Msg string
}

func (w Warning) String() string { return w.Pos.String() + ": " + w.Msg }

// ParseFile is Parse into a fresh schema.New() catalog.
func ParseFile(filename string, src []byte, opts Options) (*schema.Catalog, []Warning, error) {
	cat := schema.New()
	warns, err := Parse(cat, filename, src, opts)
	return cat, warns, err
}

// Parse folds the statements of one file into cat, in order, as PostgreSQL would execute them.
// filename is used in positions and errors. It returns warnings for statements skipped on
// purpose (data statements) and an error (schema.ErrorList, every problem in the file, sorted,
// each "file:line:col: message") for anything else.
//
// Parse may be called several times on one catalog (migration 1, 2, 3...);
// the finishing step it ends with (FK targets, constraint order) is
// idempotent.
func Parse(cat *schema.Catalog, filename string, src []byte, opts Options) ([]Warning, error) {
	return parse(cat, newSource(filename, sqltext.BlankMetaCommands(string(src))), opts, nil)
}

// ParseSpliced is Parse of a text made of several files (a schema split
// over a folder or psql \i lines, joined by package project): positions
// name the file and line each statement came from. Its meta-commands are
// the caller's to check and blank.
func ParseSpliced(cat *schema.Catalog, sp *sqltext.Spliced, opts Options) ([]Warning, error) {
	text := sp.Text()
	src := newSource("", text)
	src.splice = sp
	if files := sp.Files(); len(files) > 0 {
		src.name = files[0]
	}
	return parse(cat, src, opts, nil)
}

// parse folds src into cat; sess, when not nil, is the Session cat
// belongs to (session.go).
func parse(cat *schema.Catalog, src *source, opts Options, sess *Session) ([]Warning, error) {
	text := src.text
	f := &folder{cat: cat, src: src, opts: opts}
	sess.begin(f)
	f.path = directivePath(text)
	f.role = directiveRole(text)
	if i := strings.IndexByte(text, 0); i >= 0 {
		// pg_query reads a C string: it would silently stop there.
		return nil, schema.ErrorList{{Pos: f.src.pos(i), Msg: "unexpected NUL byte (not a text file?)"}}
	}
	if !utf8.ValidString(text) {
		// PostgreSQL refuses such bytes in a UTF-8 database, and
		// pg_query's deparser drops the strings that hold them.
		i := 0
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return nil, schema.ErrorList{{Pos: f.src.pos(i), Msg: "invalid byte sequence for encoding \"UTF8\" (not a UTF-8 file?)"}}
	}
	if opts.Migration {
		f.adoptMarked()
	}
	var pending []*stmt
	fold := func(base, end int, raws []*pg_query.RawStmt) {
		for i, raw := range raws {
			// Drop the tree's reference to each statement once it is taken:
			// a folded statement's nodes can then be collected during the
			// fold, so the whole tree and the whole catalog are not both
			// alive at the peak.
			raws[i] = nil
			start := base + int(raw.StmtLocation)
			st := &stmt{node: raw.Stmt, base: base, off: f.src.stmtStart(start), start: start, end: end}
			if raw.StmtLen > 0 {
				st.end = start + int(raw.StmtLen)
			}
			st.pos = f.src.pos(st.off)
			if f.unmanagedMarked(start, st.off) {
				f.touchedAll = true
				after := f.observe(st)
				err := f.carryUnmanaged(st, st.end)
				if after != nil {
					after(err)
				}
				f.report(err)
				continue
			}
			if f.dropsUnmanaged(st) {
				f.touchedAll = true
				continue
			}
			err := f.apply(st)
			f.touch(st)
			var miss *missingError
			if err != nil && !opts.Migration && errors.As(err, &miss) {
				st.err = err
				pending = append(pending, st)
				continue
			}
			f.report(err)
		}
	}
	if cuts := cutPoints(text, chunkSize); cuts != nil {
		next, stop := parsePieces(text, cuts)
		for range len(cuts) - 1 {
			p := next()
			if p.err != nil {
				// Report the whole file's error, positioned as always. The
				// pieces before were folded into cat already; that is
				// harmless, since a syntax error fails the whole Parse.
				stop()
				if _, err := pgdecode.Parse(text); err != nil {
					return nil, append(schema.ErrorList(nil), f.syntaxError(err))
				}
				return nil, append(schema.ErrorList(nil), &schema.Error{Pos: f.src.pos(p.base),
					Msg: fmt.Sprintf("internal error: ddlmig cut the file into pieces for parsing at a place that is not a statement boundary (%v); please report it", p.err)})
			}
			fold(p.base, p.end, p.tree.Stmts)
		}
		stop()
	} else {
		tree, err := pgdecode.Parse(text)
		if err != nil {
			return nil, append(schema.ErrorList(nil), f.syntaxError(err))
		}
		fold(0, len(text), tree.Stmts)
	}
	// A declarative file may refer to objects before it creates them: retry
	// the statements that were missing something until no more succeed.
	for progress := true; progress && len(pending) > 0; {
		progress = false
		var still []*stmt
		for _, st := range pending {
			err := f.apply(st)
			var miss *missingError
			if err != nil && errors.As(err, &miss) {
				st.err = err
				still = append(still, st)
				continue
			}
			progress = true
			f.report(err)
		}
		pending = still
	}
	for _, st := range pending {
		f.report(st.err)
	}
	f.reportStaleReaders()
	touched := sess.finishTouched(f)
	if touched {
		f.finishTouched()
	} else {
		f.finish()
	}
	f.unusedUsing()
	sess.end(f, touched)
	if len(f.errs) == 0 {
		return f.warns, nil
	}
	f.errs.Sort()
	return f.warns, f.errs
}

// CheckSyntax reports whether src parses, without folding it: for files
// that are run but never folded, such as down migrations, whose syntax
// errors would otherwise surface only when someone rolls back. The error
// is positioned like Parse's.
func CheckSyntax(filename string, src []byte) error {
	text := sqltext.BlankMetaCommands(string(src))
	f := &folder{src: newSource(filename, text)}
	if i := strings.IndexByte(text, 0); i >= 0 {
		return schema.ErrorList{{Pos: f.src.pos(i), Msg: "unexpected NUL byte (not a text file?)"}}
	}
	if _, err := pgdecode.Parse(text); err != nil {
		return schema.ErrorList{f.syntaxError(err)}
	}
	return nil
}

// syntaxError positions an error of pg_query.Parse on the whole file.
func (f *folder) syntaxError(err error) *schema.Error {
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		return &schema.Error{Pos: f.src.cursorPos(pe.Cursorpos), Msg: pe.Message, Err: err}
	}
	var de *pgdecode.DepthError
	if errors.As(err, &de) {
		return &schema.Error{Pos: f.src.pos(de.Offset), Msg: de.Error(), Err: err}
	}
	return &schema.Error{Pos: schema.Pos{File: f.src.name}, Msg: err.Error(), Err: err}
}

// folder holds the state of one Parse call.
type folder struct {
	cat   *schema.Catalog
	src   *source
	opts  Options
	errs  schema.ErrorList
	warns []Warning
	taken takenNames                 // constraint names per schema, built on first use (names.go)
	path  []string                   // set by SET search_path (searchpath.go); nil: Options.SearchPath
	temp  map[string]bool            // temporary relations created in this file (temp.go)
	using map[usingKey]*usingComment // -- ddlmig:using and down-using comments by line, found on first use (using.go)
	stars bool                       // qualifyQuery only expands * (view.go: expandStarsOnly)
	// viewCols are the columns of the views one statement's query reads,
	// typed on first use while castQuery types it (querycast.go).
	viewCols map[*schema.View]viewColsEntry
	role     string // the role of a -- ddlmig:role directive (searchpath.go); "" for none
	// touched names the tables this file's statements changed, and
	// touchedAll says a statement may have changed more than the tables
	// it names; a Session's fold tracks them (session.go), nil otherwise.
	touched    map[schema.QualifiedName]bool
	touchedAll bool
	// stale are the readers of a column renamed in this file, refused
	// at the end of it unless dropped or replaced (rename.go).
	stale []staleReader
}

// stmt is one top-level statement and where it starts.
type stmt struct {
	node *pg_query.Node
	base int // offset of the piece the statement was parsed in (chunks.go); its locations count from there
	off  int
	pos  schema.Pos
	err  error // the last missing-object error, while deferred
	// start and end are the statement's byte range in the text, with the
	// comments before it (StmtLocation) and without its semicolon.
	start, end int
}

// missingError is a reference to an object that does not exist (yet). In a
// declarative file the statement is retried once the rest of the file has
// been folded; anywhere else it is reported like any other error.
type missingError struct{ err *schema.Error }

func (e *missingError) Error() string { return e.err.Error() }
func (e *missingError) Unwrap() error { return e.err }

func (f *folder) report(err error) {
	if err == nil {
		return
	}
	var list schema.ErrorList
	if errors.As(err, &list) {
		f.errs = append(f.errs, list...)
		return
	}
	var miss *missingError
	if errors.As(err, &miss) {
		f.errs = append(f.errs, miss.err)
		return
	}
	var se *schema.Error
	if errors.As(err, &se) {
		f.errs = append(f.errs, se)
		return
	}
	f.errs = append(f.errs, &schema.Error{Pos: schema.Pos{File: f.src.name}, Msg: err.Error(), Err: err})
}

// at returns the position of a node location (a byte offset into the
// file), falling back to the statement start when pg_query has none.
func (f *folder) at(st *stmt, loc int32) schema.Pos {
	// A location before the statement's first token is pg_query's 0 for
	// "none", on a node of a later statement.
	if loc < 0 || st.base+int(loc) < st.off {
		return st.pos
	}
	return f.src.pos(st.base + int(loc))
}

func (f *folder) errorf(pos schema.Pos, format string, args ...any) error {
	return schema.Errorf(pos, format, args...)
}

func (f *folder) missingf(pos schema.Pos, format string, args ...any) error {
	return &missingError{schema.Errorf(pos, format, args...)}
}

// apply folds one statement: a kind's own statements as its file
// registered them (kinds.go), the statements kinds share here.
// Handlers look up everything they need before they change the catalog, so
// that a statement failing with a missingError can be retried later.
func (f *folder) apply(st *stmt) (err error) {
	if vs := st.node.GetVariableSetStmt(); vs != nil && f.setSearchPath(vs) {
		return nil
	}
	if ok, err := f.tempStmt(st); ok {
		return err
	}
	if err := f.refuseParamZero(st); err != nil {
		return err
	}
	if err := f.refuseExprTypmods(st); err != nil {
		return err
	}
	f.qualifyNames(st)
	if after := f.observe(st); after != nil {
		defer func() { after(err) }()
	}
	if f.hasOwnDefaults() {
		defer f.applyDefaultPrivileges(st, f.creatable())
	}
	if ok, err := f.unmanagedStmt(st); ok {
		return err
	}
	if ok, err := f.foldRegistered(st); ok {
		return err
	}
	if ok, err := f.foldOpaque(st); ok {
		return err
	}
	switch n := st.node.Node.(type) {
	case *pg_query.Node_CreateSchemaStmt:
		return f.createSchema(st, n.CreateSchemaStmt)
	case *pg_query.Node_CreateExtensionStmt:
		return f.createExtension(st, n.CreateExtensionStmt)
	case *pg_query.Node_CreateEnumStmt:
		return f.createEnum(st, n.CreateEnumStmt)
	case *pg_query.Node_AlterEnumStmt:
		return f.alterEnum(st, n.AlterEnumStmt)
	case *pg_query.Node_CreateDomainStmt:
		return f.createDomain(st, n.CreateDomainStmt)
	case *pg_query.Node_AlterDomainStmt:
		return f.alterDomain(st, n.AlterDomainStmt)
	case *pg_query.Node_GrantStmt:
		return f.grant(st, n.GrantStmt)
	case *pg_query.Node_CreateSeqStmt:
		return f.createSequence(st, n.CreateSeqStmt)
	case *pg_query.Node_AlterSeqStmt:
		return f.alterSequence(st, n.AlterSeqStmt)
	case *pg_query.Node_CreateStmt:
		markNewConstraintsValid(n.CreateStmt)
		return f.createTable(st, n.CreateStmt)
	case *pg_query.Node_AlterTableStmt:
		return f.alterTable(st, n.AlterTableStmt)
	case *pg_query.Node_IndexStmt:
		return f.createIndex(st, n.IndexStmt)
	case *pg_query.Node_CommentStmt:
		return f.comment(st, n.CommentStmt)
	case *pg_query.Node_RenameStmt:
		return f.rename(st, n.RenameStmt)
	case *pg_query.Node_DropStmt:
		return f.drop(st, n.DropStmt)
	case *pg_query.Node_AlterObjectSchemaStmt:
		return f.setSchema(st, n.AlterObjectSchemaStmt)
	case *pg_query.Node_ViewStmt:
		return f.createView(st, n.ViewStmt)
	case *pg_query.Node_CreateTableAsStmt:
		return f.createTableAs(st, n.CreateTableAsStmt)
	case *pg_query.Node_CreateFunctionStmt:
		return f.createFunction(st, n.CreateFunctionStmt)
	case *pg_query.Node_CreateTrigStmt:
		return f.createTrigger(st, n.CreateTrigStmt)
	case *pg_query.Node_RefreshMatViewStmt:
		f.skipData(st, "skipped data statement REFRESH MATERIALIZED VIEW")
		return nil
	case *pg_query.Node_CreatePolicyStmt:
		return f.createPolicy(st, n.CreatePolicyStmt)
	case *pg_query.Node_AlterPolicyStmt:
		return f.alterPolicy(st, n.AlterPolicyStmt)

	case *pg_query.Node_AlterOwnerStmt:
		return f.alterOwner(st, n.AlterOwnerStmt)
	// Session and transaction noise (pg_dump's preamble, BEGIN/COMMIT
	// around a migration) has no place in the model.
	case *pg_query.Node_VariableSetStmt:
		return f.tableAccessMethod(st, n.VariableSetStmt)
	case *pg_query.Node_TransactionStmt:
		return nil
	case *pg_query.Node_SelectStmt:
		if n.SelectStmt.IntoClause != nil {
			return f.createTableAs(st, selectInto(n.SelectStmt))
		}
		if changesNoSchema(n.SelectStmt) {
			return nil
		}
		f.warn(st, "skipped data statement SELECT")
		return nil
	case *pg_query.Node_InsertStmt:
		f.skipData(st, "skipped data statement INSERT")
		return nil
	case *pg_query.Node_UpdateStmt:
		f.skipData(st, "skipped data statement UPDATE")
		return nil
	case *pg_query.Node_DeleteStmt:
		f.skipData(st, "skipped data statement DELETE")
		return nil
	case *pg_query.Node_CopyStmt:
		f.skipData(st, "skipped data statement COPY")
		return nil
	case *pg_query.Node_DoStmt:
		f.warn(st, "skipped data statement DO")
		return nil
	// Maintenance, locks and notifications, which migrations hold for
	// their effect on the data or the session.
	case *pg_query.Node_VacuumStmt, *pg_query.Node_TruncateStmt, *pg_query.Node_LockStmt,
		*pg_query.Node_ReindexStmt, *pg_query.Node_NotifyStmt,
		*pg_query.Node_ListenStmt, *pg_query.Node_UnlistenStmt, *pg_query.Node_CheckPointStmt,
		*pg_query.Node_DiscardStmt, *pg_query.Node_ExplainStmt, *pg_query.Node_LoadStmt:
		f.skipData(st, "skipped statement "+f.stmtName(st)+": it changes no schema")
		return nil
	// A procedure may change the schema; ddlmig cannot see what it does.
	case *pg_query.Node_CallStmt:
		f.warn(st, "skipped statement CALL: if the procedure changes the schema, ddlmig does not see it")
		return nil
	// Roles, the database and the server are outside the schema.
	case *pg_query.Node_CreateRoleStmt, *pg_query.Node_AlterRoleStmt, *pg_query.Node_AlterRoleSetStmt,
		*pg_query.Node_DropRoleStmt, *pg_query.Node_GrantRoleStmt, *pg_query.Node_AlterDatabaseStmt,
		*pg_query.Node_AlterDatabaseSetStmt, *pg_query.Node_AlterSystemStmt:
		f.warn(st, "skipped statement "+f.stmtName(st)+": roles, databases and server settings are outside the schema ddlmig manages")
		return nil
	// Objects ddlmig does not manage, which a pg_dump or a hand-written
	// migration may hold.
	case *pg_query.Node_SecLabelStmt:
		f.warn(st, "skipped statement "+f.stmtName(st)+": ddlmig does not manage such objects")
		return nil
	case *pg_query.Node_ImportForeignSchemaStmt:
		// What it creates is whatever the remote server holds when it runs.
		return schema.Errorf(st.pos, "IMPORT FOREIGN SCHEMA is refused: the foreign tables it makes depend on what the remote server holds when it runs, which ddlmig cannot see; write them out with CREATE FOREIGN TABLE (pg_dump --schema-only of a database where it ran prints them), or put a line %s right above it to carry it as written", schema.UnmanagedMarker)
	}
	return f.unsupportedf(st.pos, "%s", f.stmtName(st))
}

// skipData skips a statement that changes data, not the schema. In a
// schema file that is worth a warning: the file declares a schema, and the
// statement will not run. In a migration it is what a data migration is
// for (generate --empty): a warning there would come back on every
// generate and check for good, and teach people to ignore warnings.
func (f *folder) skipData(st *stmt, msg string) {
	if !f.opts.Migration {
		f.warn(st, msg)
	}
}

func (f *folder) warn(st *stmt, msg string) {
	f.warns = append(f.warns, Warning{Pos: st.pos, Msg: msg})
}

// changesNoSchema recognizes pg_dump's SELECT pg_catalog.set_config(...) and
// SELECT setval(...), which change no schema.
func changesNoSchema(s *pg_query.SelectStmt) bool {
	if len(s.TargetList) != 1 {
		return false
	}
	rt := s.TargetList[0].GetResTarget()
	if rt == nil {
		return false
	}
	fc := rt.Val.GetFuncCall()
	if fc == nil {
		return false
	}
	name := strs(fc.Funcname)
	switch name[len(name)-1] {
	case "set_config":
		return len(s.FromClause) == 0
	case "setval":
		// A sequence's position (pg_dump's data section, ddlmig's
		// SyncSequence): data, not schema, and expected in migrations.
		return true
	}
	return false
}

// stmtNames names the statements users most often meet unsupported.
var stmtNames = map[string]string{
	"CreateTrigStmt":             "CREATE TRIGGER",
	"CreateEventTrigStmt":        "CREATE EVENT TRIGGER",
	"CreateFunctionStmt":         "CREATE FUNCTION",
	"ViewStmt":                   "CREATE VIEW",
	"CreateDomainStmt":           "CREATE DOMAIN",
	"CreatePolicyStmt":           "CREATE POLICY",
	"GrantStmt":                  "GRANT",
	"GrantRoleStmt":              "GRANT role",
	"CreateRoleStmt":             "CREATE ROLE",
	"AlterRoleStmt":              "ALTER ROLE",
	"AlterRoleSetStmt":           "ALTER ROLE ... SET",
	"DropRoleStmt":               "DROP ROLE",
	"AlterDatabaseStmt":          "ALTER DATABASE",
	"AlterDatabaseSetStmt":       "ALTER DATABASE ... SET",
	"AlterSystemStmt":            "ALTER SYSTEM",
	"TruncateStmt":               "TRUNCATE",
	"LockStmt":                   "LOCK",
	"CallStmt":                   "CALL",
	"ReindexStmt":                "REINDEX",
	"NotifyStmt":                 "NOTIFY",
	"ListenStmt":                 "LISTEN",
	"UnlistenStmt":               "UNLISTEN",
	"CheckPointStmt":             "CHECKPOINT",
	"DiscardStmt":                "DISCARD",
	"ExplainStmt":                "EXPLAIN",
	"LoadStmt":                   "LOAD",
	"SecLabelStmt":               "SECURITY LABEL",
	"AlterPublicationStmt":       "ALTER PUBLICATION",
	"RuleStmt":                   "CREATE RULE",
	"CompositeTypeStmt":          "CREATE TYPE",
	"CreateRangeStmt":            "CREATE TYPE ... AS RANGE",
	"DefineStmt":                 "CREATE",
	"CreateTableAsStmt":          "CREATE TABLE AS",
	"CreateFdwStmt":              "CREATE FOREIGN DATA WRAPPER",
	"CreateForeignTableStmt":     "CREATE FOREIGN TABLE",
	"AlterFunctionStmt":          "ALTER FUNCTION",
	"AlterDomainStmt":            "ALTER DOMAIN",
	"CreateCastStmt":             "CREATE CAST",
	"CreateOpClassStmt":          "CREATE OPERATOR CLASS",
	"CreatePublicationStmt":      "CREATE PUBLICATION",
	"CreateStatsStmt":            "CREATE STATISTICS",
	"AlterDefaultPrivilegesStmt": "ALTER DEFAULT PRIVILEGES",
}

// stmtName names a statement for a message: from the table above, else its
// leading keywords as written.
func (f *folder) stmtName(st *stmt) string {
	typ := fmt.Sprintf("%T", st.node.Node)
	typ = strings.TrimPrefix(typ, "*pg_query.Node_")
	if name, ok := stmtNames[typ]; ok && name != "CREATE" {
		if ctas := st.node.GetCreateTableAsStmt(); ctas != nil && ctas.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
			return "CREATE MATERIALIZED VIEW"
		}
		return name
	}
	words := strings.Fields(f.src.text[st.off:min(len(f.src.text), st.off+100)])
	var out []string
	for _, w := range words {
		w = strings.ToUpper(strings.TrimRight(w, ";("))
		out = append(out, w)
		if w != "CREATE" && w != "ALTER" && w != "DROP" && w != "OR" && w != "REPLACE" && w != "UNLOGGED" &&
			w != "TEMP" && w != "TEMPORARY" && w != "MATERIALIZED" && w != "DEFAULT" && w != "CONSTRAINT" &&
			w != "TEXT" && w != "SEARCH" && w != "FOREIGN" && w != "DATA" && w != "EVENT" {
			break
		}
		if len(out) >= 4 {
			break
		}
	}
	if len(out) == 0 {
		return typ
	}
	return strings.Join(out, " ")
}

// strs returns the String values of a name list such as a qualified name.
func strs(nodes []*pg_query.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}
