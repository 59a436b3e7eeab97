package project_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

var update = project.Update

// An online case is a txtar file under testdata/online: old.sql (the
// schema of migration 1), new.sql (the schema file after), optionally
// rows.sql (rows put in after migration 1, which every step must keep) and
// options ("offline" plans with --online=false), and the expected run:
// every file generate writes after migration 1, each under a "-- file:"
// line, the ups then the downs newest first (as diff shows them).
type onlineCase struct {
	name, file string
	archive    *txtar.Archive
	sections   map[string]string
}

func loadOnlineCases(t *testing.T) []*onlineCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "online", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no online cases: %v", err)
	}
	var cases []*onlineCase
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &onlineCase{name: strings.TrimSuffix(filepath.Base(f), ".txtar"), file: f, archive: a, sections: map[string]string{}}
		for _, s := range a.Files {
			c.sections[s.Name] = string(s.Data)
		}
		cases = append(cases, c)
	}
	return cases
}

// generate lays out a project whose migration 1 creates old.sql, then
// plans new.sql as generate does and writes the run. It returns the
// folder and the run.
func (c *onlineCase) generate(t *testing.T) (string, *project.Migration) {
	t.Helper()
	dir := t.TempDir()
	p := project.Project{SchemaFile: filepath.Join(dir, "schema.sql"), Dir: filepath.Join(dir, "migrations")}
	if err := os.Mkdir(p.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(src string) {
		if err := os.WriteFile(p.SchemaFile, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plan := func(online bool) *project.Migration {
		st, err := p.Load()
		if err != nil {
			t.Fatal(err)
		}
		on := &st.Online
		if !online {
			on = nil
		}
		m, err := st.PlanRun("change", planner.Options{}, on)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Empty() {
			if err := m.Write(p.Dir); err != nil {
				t.Fatal(err)
			}
		}
		return m
	}
	write(c.sections["old.sql"])
	plan(false)
	write(c.sections["new.sql"])
	m := plan(!strings.Contains(c.sections["options"], "offline"))
	if again := plan(true); !again.Empty() {
		t.Errorf("the run does not reach new.sql; a second generate writes:\n%s", again.Up)
	}
	return p.Dir, m
}

// TestOnlineGolden compares each case's run with its expected section;
// -update rewrites it.
func TestOnlineGolden(t *testing.T) {
	for _, c := range loadOnlineCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir, m := c.generate(t)
			got := m.Up + "\n" + m.Down
			for _, f := range pairsOf(m) {
				for _, name := range []string{f.UpFile, f.DownFile} {
					b, err := os.ReadFile(filepath.Join(dir, name))
					if err != nil {
						t.Fatal(err)
					}
					for _, pr := range migfile.Rules(name, b) {
						t.Errorf("%s", pr)
					}
				}
			}
			if *update {
				a := &txtar.Archive{Comment: c.archive.Comment}
				for _, f := range c.archive.Files {
					if f.Name != "run" {
						a.Files = append(a.Files, f)
					}
				}
				a.Files = append(a.Files, txtar.File{Name: "run", Data: []byte(got)})
				if err := os.WriteFile(c.file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if d := cmp.Diff(c.sections["run"], got); d != "" {
				t.Errorf("run (-want +got):\n%s", d)
			}
		})
	}
}

func pairsOf(m *project.Migration) []*project.Migration {
	if len(m.Steps) > 0 {
		return m.Steps
	}
	return []*project.Migration{m}
}

// TestOnlinePostgres applies each case's files with psql as any runner
// would: migration 1, the rows, then every up file (psql -1 -f, or psql -f
// for a no-transaction file), and compares the catalog with new.sql
// loaded directly; then every down file, newest first, which must give
// old.sql's catalog and the rows as they were; then the ups again.
func TestOnlinePostgres(t *testing.T) {
	testdb.Require(t)
	if _, err := exec.LookPath("psql"); err != nil {
		t.Fatal("psql is needed to apply the files as other runners do")
	}
	for _, c := range loadOnlineCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, m := c.generate(t)
			roundTripRun(t, c.sections["old.sql"], c.sections["new.sql"], c.sections["rows.sql"], dir, filepath.Join(dir, "000001_change.up.sql"), m)
		})
	}
}

// roundTripRun applies the files of run m (in dir) as any runner would,
// on a database holding old.sql (loaded from the file setup, or the text
// old when setup is "") and rows: every up file (psql -1 -f, or psql -f
// for a no-transaction file), then the catalog must be new.sql's loaded
// directly; every down file, newest first, must give old.sql's catalog
// and the rows as they were; then the ups again.
func roundTripRun(t *testing.T, old, nu, rows, dir, setup string, m *project.Migration) {
	t.Helper()
	ctx := context.Background()
	db, oldDB, newDB := testdb.New(t), testdb.New(t), testdb.New(t)
	psql(t, oldDB, "", old, false)
	psql(t, newDB, "", nu, false)
	if setup != "" {
		psql(t, db, setup, "", false)
	} else {
		psql(t, db, "", old, false)
	}
	psql(t, db, "", rows, false)
	before := fingerprint(t, db)
	ps := pairsOf(m)
	ups := func() {
		for _, f := range ps {
			psql(t, db, filepath.Join(dir, f.UpFile), "", true)
		}
		same(ctx, t, "after the ups", db, newDB)
	}
	ups()
	for i := len(ps) - 1; i >= 0; i-- {
		psql(t, db, filepath.Join(dir, ps[i].DownFile), "", true)
	}
	same(ctx, t, "after the downs", db, oldDB)
	if got := fingerprint(t, db); got != before {
		t.Errorf("rows after the downs:\n%s\nbefore the ups:\n%s", got, before)
	}
	ups()
}

// psql runs file (or, when file is "", the SQL text, statement by
// statement) on the database at url, stopping at the first error; as a
// runner, one transaction unless the file's first line is the
// no-transaction marker.
func psql(t *testing.T, url, file, text string, runner bool) {
	t.Helper()
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url}
	if file == "" {
		// A schema as psql -f loads it, statement by statement: it may
		// hold CREATE INDEX CONCURRENTLY.
		if strings.TrimSpace(text) == "" {
			return
		}
		f := filepath.Join(t.TempDir(), "schema.sql")
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-f", f)
	} else {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !runner || !migfile.NoTransaction(b) {
			args = append(args, "-1")
		}
		args = append(args, "-f", file)
	}
	cmd := exec.Command("psql", args...)
	cmd.Env = append(os.Environ(), "PGOPTIONS=-c client_min_messages=warning")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql %s: %v\n%s", filepath.Base(file), err, out)
	}
}

// fingerprint is every table of schema public with an md5 of its rows.
func fingerprint(t *testing.T, url string) string {
	t.Helper()
	const q = `SELECT coalesce(string_agg(format('%s:%s', c.relname,
  (xpath('/row/m/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS m FROM public.%I t', ',', '', c.relname), false, true, '')))[1]::text), ' ' ORDER BY c.relname), '')
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`
	out, err := exec.Command("psql", "-X", "-q", "-At", "-d", url, "-c", q).CombinedOutput()
	if err != nil {
		t.Fatalf("fingerprint: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func same(ctx context.Context, t *testing.T, when, a, b string) {
	t.Helper()
	diffs, err := oracle.CompareDatabases(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s: %s", when, d)
	}
}

// TestOnlineFoldsGoldens plans every golden case of package render (old.sql
// to new.sql, with its renames) in its online forms, offline: PlanRun
// checks that the steps' SQL, folded one after the other, reaches
// new.sql; the downs, folded newest first, must give old.sql back.
func TestOnlineFoldsGoldens(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "render", "testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no render golden cases: %v", err)
	}
	split := 0
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sec := map[string]string{}
			for _, s := range a.Files {
				sec[s.Name] = string(s.Data)
			}
			var opts planner.Options
			for _, line := range strings.Split(sec["options"], "\n") {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "rename "); ok {
					r, err := planner.ParseRename(rest)
					if err != nil {
						t.Fatal(err)
					}
					opts.Renames = append(opts.Renames, r)
				}
			}
			old, nu := parseSQL(t, sec["old.sql"]), parseSQL(t, sec["new.sql"])
			st := &project.State{Current: old, Desired: nu}
			m, err := st.PlanRun("golden", opts, &planner.OnlineOptions{})
			if err != nil {
				t.Fatalf("PlanRun: %v", err)
			}
			if len(m.Steps) == 0 || m.UpPlan.Irreversible() {
				return
			}
			split++
			if msg := foldDowns(m, sec["new.sql"], old); msg != "" {
				t.Errorf("%s\ndowns:\n%s", msg, m.Down)
			}
		})
	}
	t.Logf("%d of %d golden cases planned as several migrations", split, len(files))
}

// TestOnlineFoldsSqldef is TestOnlineFoldsGoldens over sqldef's corpus
// (current to desired, for each case whose schemas parse): the online run
// reaches desired, and its downs fold back to current.
func TestOnlineFoldsSqldef(t *testing.T) {
	dir := corpus.Dir(t, "conformance/sqldef")
	fh, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	split, n := 0, 0
	for sc.Scan() {
		var c struct{ Name, Current, Desired string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		old, _, err1 := parser.ParseFile("current.sql", []byte(c.Current), parser.Options{})
		nu, _, err2 := parser.ParseFile("desired.sql", []byte(c.Desired), parser.Options{})
		if err1 != nil || err2 != nil {
			continue
		}
		n++
		m, err := (&project.State{Current: old, Desired: nu}).PlanRun("case", planner.Options{}, &planner.OnlineOptions{})
		if err != nil {
			t.Errorf("%s: PlanRun: %v", c.Name, err)
			continue
		}
		if len(m.Steps) == 0 || m.UpPlan.Irreversible() {
			continue
		}
		split++
		if msg := foldDowns(m, c.Desired, old); msg != "" {
			t.Errorf("%s: %s", c.Name, msg)
		}
	}
	t.Logf("%d of %d sqldef cases planned as several migrations", split, n)
}

// TestOnlineSqldefPostgres applies, with psql, every sqldef case (whose
// schemas load on PostgreSQL 15) that PlanRun splits into several
// migrations (see roundTripRun).
func TestOnlineSqldefPostgres(t *testing.T) {
	if os.Getenv("DDLMIG_ONLINE_SQLDEF") != "on" {
		// About 80 cases of three databases each: minutes on a busy
		// machine. TestOnlineFoldsSqldef checks the same runs offline.
		t.Skip("set DDLMIG_ONLINE_SQLDEF=on to apply sqldef's split cases on PostgreSQL")
	}
	testdb.Require(t)
	dir := corpus.Dir(t, "conformance/sqldef")
	roles, err := os.ReadFile(filepath.Join(dir, "harness_roles.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range strings.Split(string(roles), "\n") {
		if r = strings.TrimSpace(r); r != "" && !strings.HasPrefix(r, "#") {
			testdb.CreateRoles(t, r)
		}
	}
	fh, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c struct {
			Name, Current, Desired string
			CurrentOK              bool `json:"pg15_current_ok"`
			DesiredOK              bool `json:"pg15_desired_ok"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		old, _, err1 := parser.ParseFile("current.sql", []byte(c.Current), parser.Options{})
		nu, _, err2 := parser.ParseFile("desired.sql", []byte(c.Desired), parser.Options{})
		if err1 != nil || err2 != nil || !c.CurrentOK || !c.DesiredOK {
			continue
		}
		m, err := (&project.State{Current: old, Desired: nu}).PlanRun("case", planner.Options{}, &planner.OnlineOptions{})
		if err != nil || len(m.Steps) == 0 || m.UpPlan.Irreversible() || m.DownPlan.Irreversible() {
			continue // TestOnlineFoldsSqldef reports the errors
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := m.Write(dir); err != nil {
				t.Fatal(err)
			}
			roundTripRun(t, c.Current, c.Desired, "", dir, "", m)
		})
	}
}

// foldDowns folds the downs of run m, newest first, into the schema nu
// and says how the result misses old ("" when it does not).
func foldDowns(m *project.Migration, nu string, old *schema.Catalog) string {
	cat, _, err := parser.ParseFile("schema.sql", []byte(nu), parser.Options{})
	if err != nil {
		return err.Error()
	}
	for i := len(m.Steps) - 1; i >= 0; i-- {
		if m.Steps[i].DownPlan.Irreversible() {
			return "" // it stops on purpose
		}
		if _, err := parser.Parse(cat, m.Steps[i].DownFile, []byte(m.Steps[i].Down), parser.Options{Migration: true}); err != nil {
			return fmt.Sprintf("%s does not fold: %v", m.Steps[i].DownFile, err)
		}
	}
	rest, err := planner.Diff(cat, old, planner.Options{})
	if err != nil {
		return err.Error()
	}
	if !rest.Empty() {
		return "the downs miss the old schema by:\n" + render.SQL(rest)
	}
	return ""
}

// TestOnlineGoldensPostgres applies, with psql as any runner would, the
// files generate writes for every golden case of package render (one
// migration or several; see roundTripRun): render's own TestGoldenPostgres
// runs its bodies through the oracle, which cuts them at batch markers as
// ddlmig apply does, so only this test shows that each file also applies
// as one transaction (psql -1 -f), or statement by statement when it is
// marked no-transaction. A case that stops on purpose (an irreversible
// up or down) must stop at its DO block.
func TestOnlineGoldensPostgres(t *testing.T) {
	testdb.Require(t)
	testdb.CreateRoles(t, "app_user", "readonly_user", "user-with-dash", "user.with.dot") // the cases' grantees
	files, err := filepath.Glob(filepath.Join("..", "render", "testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no render golden cases: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			sec := goldenSections(t, f)
			st := &project.State{Current: parseSQL(t, sec["old.sql"]), Desired: parseSQL(t, sec["new.sql"])}
			m, err := st.PlanRun("golden", goldenOptions(t, sec["options"]), &planner.OnlineOptions{})
			if err != nil {
				t.Fatalf("PlanRun: %v", err)
			}
			if m.Empty() {
				return
			}
			t.Parallel()
			dir := t.TempDir()
			if err := m.Write(dir); err != nil {
				t.Fatal(err)
			}
			if m.UpPlan.Irreversible() || m.DownPlan.Irreversible() {
				stopsOnPurpose(t, sec, dir, m)
				return
			}
			roundTripRun(t, sec["old.sql"], sec["new.sql"], "", dir, "", m)
		})
	}
}

// stopsOnPurpose checks a run whose up or down cannot be written: the
// irreversible file must fail under psql -1 -f with ddlmig's reason, and
// the other direction must still apply.
func stopsOnPurpose(t *testing.T, sec map[string]string, dir string, m *project.Migration) {
	t.Helper()
	db := testdb.New(t)
	psql(t, db, "", sec["old.sql"], false)
	ps := pairsOf(m)
	if m.UpPlan.Irreversible() {
		for _, p := range ps {
			if p.UpPlan.Irreversible() {
				psqlFails(t, db, filepath.Join(dir, p.UpFile), "ddlmig: cannot migrate")
				return
			}
			psql(t, db, filepath.Join(dir, p.UpFile), "", true)
		}
		t.Fatal("no step of the irreversible up is irreversible")
	}
	for _, p := range ps {
		psql(t, db, filepath.Join(dir, p.UpFile), "", true)
	}
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].DownPlan.Irreversible() {
			psqlFails(t, db, filepath.Join(dir, ps[i].DownFile), "ddlmig: cannot migrate")
			return
		}
		psql(t, db, filepath.Join(dir, ps[i].DownFile), "", true)
	}
	t.Fatal("no step of the irreversible down is irreversible")
}

// psqlFails runs file with psql -1 -f and wants it to fail with want in
// its output.
func psqlFails(t *testing.T, url, file, want string) {
	t.Helper()
	cmd := exec.Command("psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("psql -1 -f %s: want a failure saying %q, got %v:\n%s", filepath.Base(file), want, err, out)
	}
}

// goldenSections reads a render golden case by section name.
func goldenSections(t *testing.T, file string) map[string]string {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sec := map[string]string{}
	for _, s := range a.Files {
		sec[s.Name] = string(s.Data)
	}
	return sec
}

// goldenOptions reads a golden case's options section ("rename ..." lines,
// as render's golden test reads them).
func goldenOptions(t *testing.T, text string) planner.Options {
	t.Helper()
	var o planner.Options
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rest, ok := strings.CutPrefix(line, "rename ")
		if !ok {
			t.Fatalf("unknown option %q", line)
		}
		r, err := planner.ParseRename(rest)
		if err != nil {
			t.Fatal(err)
		}
		o.Renames = append(o.Renames, r)
	}
	return o
}

func parseSQL(t *testing.T, src string) *schema.Catalog {
	t.Helper()
	cat, _, err := parser.ParseFile("schema.sql", []byte(src), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}
