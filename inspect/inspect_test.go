package inspect_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/inspect"
	corpusdir "github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/known-failures.txt from this run")

const knownFile = "testdata/known-failures.txt"

// corpusCase is a schema to load, inspect and compare.
type corpusCase struct {
	name string
	sql  string
}

// corpus gathers every schema the tests know: the final schema (new.sql)
// of each render golden case, the pg_dump test schemas, the example's
// schema.sql, inspect's own testdata/schemas, and each real-world file of the
// corpus (internal/corpus) when it is there.
func corpus(t *testing.T) []corpusCase {
	t.Helper()
	var cases []corpusCase
	golden, err := filepath.Glob("../render/testdata/*.txtar")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no render golden cases: %v", err)
	}
	for _, f := range golden {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range a.Files {
			if s.Name == "new.sql" {
				cases = append(cases, corpusCase{"golden/" + strings.TrimSuffix(filepath.Base(f), ".txtar"), string(s.Data)})
			}
		}
	}
	dumps, _ := filepath.Glob("../parser/testdata/pgdump/*.sql")
	for _, f := range dumps {
		cases = append(cases, corpusCase{"pgdump/" + filepath.Base(f), read(t, f)})
	}
	cases = append(cases, corpusCase{"example/schema.sql", read(t, "../schema.sql")})
	own, _ := filepath.Glob("testdata/schemas/*.sql")
	for _, f := range own {
		cases = append(cases, corpusCase{"inspect/" + filepath.Base(f), read(t, f)})
	}
	if dir, ok := corpusdir.Optional(t, "realworld"); ok {
		real, _ := filepath.Glob(filepath.Join(dir, "*", "*.sql"))
		for _, f := range real {
			rel, _ := filepath.Rel(dir, f)
			cases = append(cases, corpusCase{"realworld/" + filepath.ToSlash(rel), blankMetaCommands(read(t, f))})
		}
	}
	return cases
}

func read(t *testing.T, f string) string {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// blankMetaCommands blanks psql backslash commands (pg_dump 15.14+ writes
// \restrict lines), which the server would reject.
func blankMetaCommands(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, `\`) {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// TestConverges loads each schema of the corpus into a fresh database,
// inspects it, parses what inspect printed and plans from it to the schema
// as written: the plan must be empty (what `ddlmig diff` prints as no
// changes). The inspected text must also load into an empty database.
// Cases listed in testdata/known-failures.txt are known not to converge;
// any other failure fails the test.
func TestConverges(t *testing.T) {
	testdb.Require(t)
	testdb.CreateRoles(t, "app_user", "readonly_user", "user-with-dash", "user.with.dot")
	known := readKnown(t)
	got, ran := map[string]string{}, map[string]bool{}
	var mu sync.Mutex
	t.Run("corpus", func(t *testing.T) {
		for _, c := range corpus(t) {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				reason := converge(t, c)
				mu.Lock()
				ran[c.name] = true
				if reason != "" {
					got[c.name] = reason
				}
				mu.Unlock()
				if reason == "" {
					return
				}
				if k, ok := known[c.name]; !ok && !*update {
					t.Errorf("does not converge (not in %s): %s", knownFile, reason)
				} else if ok && k != clip(firstLine(reason)) {
					t.Logf("known failure, reason now: %s (was %s)", firstLine(reason), k)
				}
			})
		}
	})
	var fixed []string
	for name := range known {
		if _, ok := got[name]; !ok && ran[name] {
			fixed = append(fixed, name)
		}
	}
	sort.Strings(fixed)
	if *update {
		if len(ran) < len(known) {
			t.Fatal("-update needs the whole corpus: run without a narrower -run")
		}
		writeKnown(t, got)
		return
	}
	if len(fixed) > 0 {
		t.Errorf("listed in %s but converge now (run go test ./inspect -run TestConverges -update): %s", knownFile, strings.Join(fixed, ", "))
	}
}

// clip shortens a reason for the known-failures list.
func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// converge runs one case and returns why it does not converge, "" when it
// does. A case that ddlmig cannot parse or PostgreSQL cannot load is not
// inspect's to judge: it is skipped.
func converge(t *testing.T, c corpusCase) string {
	ctx := context.Background()
	url := testdb.New(t)
	c.sql = statingRole(t, url, c.sql)
	want, _, err := parser.ParseFile("schema.sql", []byte(c.sql), parser.Options{})
	if err != nil {
		t.Skipf("schema does not parse: %v", firstLine(err.Error()))
	}
	if err := testdb.Exec(ctx, url, c.sql); err != nil {
		t.Skipf("schema does not load: %v", err)
	}
	text := inspectURL(t, url)
	got, _, err := parser.ParseFile("inspected.sql", []byte(text), parser.Options{})
	if err != nil {
		t.Logf("inspected:\n%s", text)
		return "inspected text does not parse: " + firstLine(err.Error())
	}
	if reason := diff(got, want); reason != "" {
		t.Logf("inspected:\n%s", text)
		return pgDumpAgrees(t, url, want, reason) + reason
	}
	if reason := splitConverges(t, url, want); reason != "" {
		return reason
	}
	empty := testdb.New(t)
	if err := testdb.Exec(ctx, empty, text); err != nil {
		t.Logf("inspected:\n%s", text)
		return "inspected text does not load: " + firstLine(err.Error())
	}
	return ""
}

// statingRole puts a -- ddlmig:role line naming the role the test applies
// the schema as at the top of sql, unless sql names one: what a user does
// whose schema.sql, a pg_dump like pagila's, says OWNER TO the role that
// applies the migrations.
func statingRole(t *testing.T, url, sql string) string {
	if strings.Contains(sql, parser.RoleDirective+" ") {
		return sql
	}
	var role string
	if err := testdb.Connect(t, url).QueryRow(context.Background(), "SELECT pg_catalog.quote_ident(current_user)").Scan(&role); err != nil {
		t.Fatal(err)
	}
	return parser.RoleDirective + " " + role + "\n" + sql
}

// pgDumpAgrees tells a failure that is the fold's from one that is
// inspect's: when pg_dump's text of the same database folds to the very
// same differences, the server's spelling of the objects is what ddlmig
// does not fold to the schema as written, and the reason says so.
func pgDumpAgrees(t *testing.T, url string, want *schema.Catalog, reason string) string {
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "-d", url).Output()
	if err != nil {
		t.Logf("pg_dump: %v", err)
		return ""
	}
	dumped, _, err := parser.ParseFile("dump.sql", []byte(blankMetaCommands(string(out))), parser.Options{})
	if err != nil {
		return ""
	}
	// pg_dump writes every extension's default comment (from its control
	// file), which inspect, like a hand-written schema, leaves out.
	for _, e := range dumped.Extensions {
		e.Comment = ""
	}
	if diff(dumped, want) != reason {
		return ""
	}
	return "pg_dump alike: "
}

// diff plans from the inspected catalog to the written one, as `ddlmig
// diff` plans from the migrations' fold to schema.sql.
func diff(got, want *schema.Catalog) string {
	up, err := planner.Diff(got, want, planner.Options{})
	if err != nil {
		return "plan: " + err.Error()
	}
	if len(up.Changes) == 0 {
		return ""
	}
	down, err := planner.Diff(want, got, planner.Options{})
	if err != nil {
		return "plan: " + err.Error()
	}
	sql, _ := render.Files(up, down, render.Header{})
	var stmts []string
	for _, l := range strings.Split(sql, "\n") {
		if l != "" && !strings.HasPrefix(l, "--") {
			stmts = append(stmts, l)
		}
	}
	return fmt.Sprintf("%d change(s): %s", len(up.Changes), strings.Join(stmts, " "))
}

// splitConverges writes the database with inspect.Split into a folder and
// reads it back as --schema DIR does: it must fold to want as well.
func splitConverges(t *testing.T, url string, want *schema.Catalog) string {
	t.Helper()
	ctx := context.Background()
	conn := testdb.Connect(t, url)
	files, err := inspect.Split(ctx, conn, inspect.Options{Owners: true})
	if err != nil {
		t.Fatalf("inspect split: %v", err)
	}
	dir := t.TempDir()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := project.Project{SchemaFile: dir}.LoadSchema()
	if err != nil {
		return "split folder does not parse: " + firstLine(err.Error())
	}
	if reason := diff(got, want); reason != "" {
		return "split folder differs: " + reason
	}
	return ""
}

func inspectURL(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn := testdb.Connect(t, url)
	text, err := inspect.Schema(ctx, conn, inspect.Options{Owners: true})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return text
}

func readKnown(t *testing.T) map[string]string {
	t.Helper()
	known := map[string]string{}
	fh, err := os.Open(knownFile)
	if os.IsNotExist(err) {
		return known
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, "\t")
		known[name] = reason
	}
	return known
}

func writeKnown(t *testing.T, got map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# Schemas that do not converge through inspect yet: name, then why (the first line of the failure).\n")
	b.WriteString("# Written by go test ./inspect -run TestConverges -update; the test fails when a case missing here fails.\n")
	b.WriteString("# \"pg_dump alike\": pg_dump's text of the same database (its extensions' default comments left out, as inspect\n")
	b.WriteString("# leaves them out) folds to the very same differences: the server's spelling does not fold to the schema as\n")
	b.WriteString("# written (a parser normalization), or the server does not keep what was written; inspect reads it as pg_dump does.\n")
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "%s\t%s\n", n, clip(firstLine(got[n])))
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReaderRole inspects with a role that may only log in (CONNECT comes
// from PUBLIC): no privilege on any object, no CREATEDB, no superuser. It
// must read the same text as the database's owner.
func TestReaderRole(t *testing.T) {
	const role = "ddlmig_inspect_reader"
	testdb.CreateRoles(t, role, "app_user", "readonly_user")
	ctx := context.Background()
	if err := testdb.Exec(ctx, testdb.ServerURL(), "ALTER ROLE "+role+" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"); err != nil {
		t.Fatal(err)
	}
	url := testdb.New(t)
	src := read(t, "../schema.sql") + `
CREATE SCHEMA private;
REVOKE ALL ON SCHEMA private FROM PUBLIC;
CREATE TABLE private.secrets (id int PRIMARY KEY, body text);
CREATE FUNCTION private.hidden(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
REVOKE ALL ON FUNCTION private.hidden(int) FROM PUBLIC;
CREATE VIEW private.v AS SELECT id FROM private.secrets;
GRANT SELECT ON public.books TO readonly_user;
`
	if err := testdb.Exec(ctx, url, src); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	owner, ownerRole := inspectConfig(t, cfg), cfg.User
	cfg.User = role
	reader := inspectConfig(t, cfg)
	// Each text names the role it was read as, which owns what it prints
	// no OWNER TO for; the rest must be the same.
	owner = strings.Replace(owner, "\n-- ddlmig:role "+ownerRole+"\n", "\n-- ddlmig:role "+role+"\n", 1)
	if owner != reader {
		t.Errorf("the reader role reads differently (-owner +reader):\n%s", cmp.Diff(owner, reader))
	}
	for _, want := range []string{"CREATE TABLE private.secrets", "CREATE VIEW private.v", "private.hidden(x integer)", "GRANT SELECT ON TABLE public.books TO readonly_user"} {
		if !strings.Contains(reader, want) {
			t.Errorf("the reader role's text lacks %q:\n%s", want, reader)
		}
	}
}

func inspectConfig(t *testing.T, cfg *pgx.ConnConfig) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	text, err := inspect.Schema(ctx, conn, inspect.Options{})
	if err != nil {
		t.Fatalf("inspect as %s: %v", cfg.User, err)
	}
	return text
}

// TestBookkeepingSchema: ddlmig apply creates the schema of a qualified
// bookkeeping table (--table ops.migrations); with nothing else in it, it
// is no more part of the schema than the table. With another object, it is.
// The lock table of the runner's lock-table mode (NAME_lock) is left out
// with it.
func TestBookkeepingSchema(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	if err := testdb.Exec(ctx, url, `CREATE SCHEMA ops;
CREATE TABLE ops.migrations (version bigint PRIMARY KEY, name text, checksum text);
CREATE TABLE ops.migrations_lock (name text PRIMARY KEY, owner text);
CREATE TABLE public.users (id int);`); err != nil {
		t.Fatal(err)
	}
	conn := testdb.Connect(t, url)
	text, err := inspect.Schema(ctx, conn, inspect.Options{Table: "ops.migrations"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "ops") || !strings.Contains(text, "CREATE TABLE public.users") {
		t.Errorf("bookkeeping schema printed, or users missing:\n%s", text)
	}
	if err := testdb.Exec(ctx, url, `CREATE SEQUENCE ops.counter`); err != nil {
		t.Fatal(err)
	}
	text, err = inspect.Schema(ctx, conn, inspect.Options{Table: "ops.migrations"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "CREATE SCHEMA ops;") || strings.Contains(text, "ops.migrations") {
		t.Errorf("want the schema and not the table:\n%s", text)
	}
}
