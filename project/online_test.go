package project_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
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
			ctx := context.Background()
			db, oldDB, newDB := testdb.New(t), testdb.New(t), testdb.New(t)
			psql(t, oldDB, "", c.sections["old.sql"], false)
			psql(t, newDB, "", c.sections["new.sql"], false)
			psql(t, db, filepath.Join(dir, "000001_change.up.sql"), "", false)
			psql(t, db, "", c.sections["rows.sql"], false)
			rows := fingerprint(t, db)
			ups := func() {
				for _, f := range pairsOf(m) {
					psql(t, db, filepath.Join(dir, f.UpFile), "", true)
				}
				same(ctx, t, "after the ups", db, newDB)
			}
			ups()
			ps := pairsOf(m)
			for i := len(ps) - 1; i >= 0; i-- {
				psql(t, db, filepath.Join(dir, ps[i].DownFile), "", true)
			}
			same(ctx, t, "after the downs", db, oldDB)
			if got := fingerprint(t, db); got != rows {
				t.Errorf("rows after the downs:\n%s\nbefore the ups:\n%s", got, rows)
			}
			ups()
		})
	}
}

// psql runs file (or, when file is "", the SQL text) on the database at
// url, stopping at the first error; as a runner, one transaction unless
// the file's first line is the no-transaction marker.
func psql(t *testing.T, url, file, text string, runner bool) {
	t.Helper()
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url}
	if file == "" {
		args = append(args, "-1", "-c", text)
		if strings.TrimSpace(text) == "" {
			return
		}
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
