package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/google/go-cmp/cmp"
)

const jsonV1 = `CREATE TABLE t (
    id bigint PRIMARY KEY,
    a text,
    b text
);
`

// jsonV2 drops t.a and sets t.b NOT NULL: two hazards, on lines 1 and 3.
const jsonV2 = `CREATE TABLE t (
    id bigint PRIMARY KEY,
    b text NOT NULL
);
`

// jsonProject is a project whose one migration creates jsonV1.
func jsonProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeSchema(t, dir, jsonV1)
	if code, _, errs := cli(t, dir, "init"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "v1"); code != 0 {
		t.Fatal(errs)
	}
	return dir
}

func TestDiffExitCode(t *testing.T) {
	dir := jsonProject(t)
	for _, tc := range []struct {
		name   string
		schema string
		args   []string
		want   int
		stdout string // a substring of stdout; "" for none at all
		stderr string
	}{
		{"no changes", jsonV1, []string{"diff", "--exit-code"}, 0, "", "no changes\n"},
		{"changes", jsonV2, []string{"diff", "--exit-code"}, 1, "ALTER TABLE public.t DROP COLUMN a;", ""},
		{"changes without the flag", jsonV2, []string{"diff"}, 0, "ALTER TABLE public.t DROP COLUMN a;", ""},
		{"changes, down", jsonV2, []string{"diff", "--exit-code", "--down"}, 1, "ADD COLUMN a", ""},
		{"changes, json", jsonV2, []string{"diff", "--exit-code", "--format", "json"}, 1, `"has_changes": true`, ""},
		{"no changes, json", jsonV1, []string{"diff", "--exit-code", "--format", "json"}, 0, `"has_changes": false`, ""},
		{"error", "CREATE TABLE (;", []string{"diff", "--exit-code"}, exitError, "", "ddlmig: "},
		{"bad format", jsonV1, []string{"diff", "--format", "yaml"}, 2, "", "ddlmig: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeSchema(t, dir, tc.schema)
			code, out, errs := cli(t, dir, tc.args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, errs)
			}
			if tc.stdout == "" && out != "" || !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout %q, want %q in it", out, tc.stdout)
			}
			if tc.stderr == "" && errs != "" || !strings.HasPrefix(errs, tc.stderr) {
				t.Errorf("stderr %q, want it to start with %q", errs, tc.stderr)
			}
		})
	}
}

// TestDiffTextUnchanged: --format text and --exit-code print what diff
// printed before them, byte for byte.
func TestDiffTextUnchanged(t *testing.T) {
	dir := jsonProject(t)
	writeSchema(t, dir, jsonV2)
	_, plain, _ := cli(t, dir, "diff")
	for _, args := range [][]string{{"diff", "--format", "text"}, {"diff", "--exit-code"}} {
		if _, out, _ := cli(t, dir, args...); out != plain {
			t.Errorf("%v printed\n%s\nwant\n%s", args, out, plain)
		}
	}
}

func TestDiffJSON(t *testing.T) {
	dir := jsonProject(t)
	writeSchema(t, dir, jsonV2)
	code, out, errs := cli(t, dir, "diff", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var generic map[string]any
	if err := json.Unmarshal([]byte(out), &generic); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if generic["version"] != float64(1) {
		t.Errorf("version %v, want 1", generic["version"])
	}
	var doc DiffJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	_, up, _ := cli(t, dir, "diff")
	_, down, _ := cli(t, dir, "diff", "--down")
	if doc.UpSQL != up || doc.DownSQL != down {
		t.Errorf("up_sql/down_sql differ from diff and diff --down:\n%q\n%q", doc.UpSQL, doc.DownSQL)
	}
	sum := sha256.Sum256([]byte(up))
	if want := "sha256:" + hex.EncodeToString(sum[:]); doc.Fingerprint != want {
		t.Errorf("fingerprint %s, want %s", doc.Fingerprint, want)
	}
	type hz struct {
		kind, code, class, lock, file string
		line                          int
	}
	var got []hz
	for _, c := range doc.Changes {
		if !strings.Contains(up, c.SQL) {
			t.Errorf("change %s: sql %q is not in the up SQL", c.Kind, c.SQL)
		}
		for _, h := range c.Hazards {
			got = append(got, hz{c.Kind, h.Code, h.Class, c.Lock, filepath.Base(h.File), h.Line})
		}
	}
	// The dropped column is declared in the migration that created it,
	// the column set NOT NULL in the schema file. Online, the set-not-null
	// hazard (it can still fail on a NULL) is on the validation of the
	// temporary check, which lets writes through.
	want := []hz{
		{"DropColumn", planner.HazardDropColumn, "data loss", "ACCESS EXCLUSIVE", "", 0},
		{"ValidateConstraint", planner.HazardSetNotNull, "lock or failure", "SHARE UPDATE EXCLUSIVE", "schema.sql", 3},
	}
	if len(got) != len(want) {
		t.Fatalf("hazards %+v, want %+v", got, want)
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.file == "" { // the migration's name has a version and a slug
			lines := strings.Split(readMigration(t, dir, g.file), "\n")
			if !strings.HasSuffix(g.file, "_v1.up.sql") || g.line < 1 || g.line > len(lines) || strings.TrimSpace(lines[g.line-1]) != "a text," {
				t.Errorf("hazard %d at %s:%d, want the v1 migration's line of column a", i, g.file, g.line)
			}
			w.file, w.line = g.file, g.line
		}
		if g != w {
			t.Errorf("hazard %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	dir := jsonProject(t)
	writeSchema(t, dir, jsonV2)
	if code, _, errs := cli(t, dir, "generate", "-m", "v2"); code != 0 {
		t.Fatal(errs)
	}
	if err := os.WriteFile(filepath.Join(dir, "migrations", "notes.sql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, dir, "check", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	if errs != "" {
		t.Errorf("stderr %q, want nothing (the document says it)", errs)
	}
	var generic any
	if err := json.Unmarshal([]byte(out), &generic); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var doc CheckJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || doc.Command != "check" || doc.OK {
		t.Errorf("version %d command %q ok %v, want 1 check false", doc.Version, doc.Command, doc.OK)
	}
	var kinds []string
	for _, p := range doc.Problems {
		kinds = append(kinds, p.Kind+" "+p.Code+" "+filepath.Base(p.File))
		if p.Kind == "unreviewed" {
			src, err := os.ReadFile(p.File)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			if p.Line < 1 || p.Line > len(lines) || !strings.Contains(lines[p.Line-1], "ddlmig:unreviewed "+p.Code+":") {
				t.Errorf("%s:%d is not the marker of %s", p.File, p.Line, p.Code)
			}
		}
	}
	got := strings.Join(kinds, "\n")
	for _, want := range []string{
		"folder  notes.sql",
		"unreviewed " + planner.HazardDropColumn + " 000002_v2.up.sql",
		// Online by default: the NOT NULL check is validated by the
		// run's second migration.
		"unreviewed " + planner.HazardSetNotNull + " 000003_v2.up.sql",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems:\n%s\nwant %q among them", got, want)
		}
	}

	// The same folder, fixed, passes with ok true.
	if err := os.Remove(filepath.Join(dir, "migrations", "notes.sql")); err != nil {
		t.Fatal(err)
	}
	for _, name := range migrationFiles(t, dir) {
		p := filepath.Join(dir, "migrations", name)
		src := strings.ReplaceAll(readMigration(t, dir, name), "ddlmig:unreviewed", "ddlmig:reviewed")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs = cli(t, dir, "check", "--format", "json")
	doc = CheckJSON{}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || !doc.OK || len(doc.Problems) != 0 {
		t.Errorf("fixed folder: exit %d, err %v, doc %+v, stderr %s", code, err, doc, errs)
	}
}

func TestHistoryJSON(t *testing.T) {
	dir := jsonProject(t)
	writeSchema(t, dir, jsonV2)
	if code, _, errs := cli(t, dir, "generate", "-m", "drop a"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := cli(t, dir, "history", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var generic any
	if err := json.Unmarshal([]byte(out), &generic); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var doc HistoryJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	want := HistoryJSON{Version: 1, Command: "history", Migrations: []MigrationFileJSON{
		{Version: 1, Name: "v1", File: filepath.Join(dir, "migrations", "000001_v1.up.sql"), Message: "v1", HasDown: true},
		// SET NOT NULL online: the drop and a NOT VALID check, the
		// check validated, then SET NOT NULL (see Online migrations).
		{Version: 2, Name: "drop_a", File: filepath.Join(dir, "migrations", "000002_drop_a.up.sql"), Message: "drop a", HasDown: true, Unreviewed: 1},
		{Version: 3, Name: "drop_a", File: filepath.Join(dir, "migrations", "000003_drop_a.up.sql"), Message: "drop a", HasDown: true, Unreviewed: 1},
		{Version: 4, Name: "drop_a", File: filepath.Join(dir, "migrations", "000004_drop_a.up.sql"), Message: "drop a", HasDown: true},
	}}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("history json (-want +got):\n%s", diff)
	}
}

func TestStatusJSON(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := threeMigrations(t)
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	status := func(want int) StatusJSON {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(append([]string{"status", "--dir", dir, "--format", "json", "--exit-code"}, db()...), strings.NewReader(""), &out, &errb)
		if code != want {
			t.Fatalf("exit %d, want %d\n%s%s", code, want, out.String(), errb.String())
		}
		var generic any
		if err := json.Unmarshal(out.Bytes(), &generic); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		var doc StatusJSON
		dec := json.NewDecoder(&out)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	type row struct {
		version      uint64
		name, state  string
		hasAppliedAt bool
	}
	rows := func(doc StatusJSON) []row {
		var rs []row
		for _, m := range doc.Migrations {
			if m.AppliedAt != "" {
				if _, err := time.Parse(time.RFC3339Nano, m.AppliedAt); err != nil {
					t.Errorf("applied_at %q: %v", m.AppliedAt, err)
				}
			}
			rs = append(rs, row{m.Version, m.Name, m.State, m.AppliedAt != ""})
		}
		return rs
	}

	doc := status(exitPending)
	if doc.Version != 1 || doc.Command != "status" || doc.TableExists || doc.AppliedVersion != 0 || doc.Pending != 3 || doc.NeedsAttention {
		t.Errorf("before apply: %+v", doc)
	}

	mustRun(t, dir, exitOK, db("apply", "--to", "2")...)
	doc = status(exitPending)
	want := []row{{1, "a", "applied", true}, {2, "b", "applied", true}, {3, "c", "pending", false}}
	if diff := cmp.Diff(want, rows(doc), cmp.AllowUnexported(row{})); diff != "" || !doc.TableExists || doc.AppliedVersion != 2 || doc.Pending != 1 || doc.NeedsAttention {
		t.Errorf("after apply --to 2: %+v\n%s", doc, diff)
	}

	// An applied file edited afterwards needs attention: exit 1.
	write(t, dir, map[string]string{"000001_a.up.sql": "CREATE TABLE a (id bigint);\n"})
	doc = status(exitNo)
	want[0].state = "changed"
	if diff := cmp.Diff(want, rows(doc), cmp.AllowUnexported(row{})); diff != "" || !doc.NeedsAttention {
		t.Errorf("after an edit: %+v\n%s", doc, diff)
	}
}

func TestDriftJSON(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	url := testdb.New(t)
	dir := threeMigrations(t)
	mustRun(t, dir, exitOK, "apply", "--database-url", url)
	drift := func(want int) DriftJSON {
		t.Helper()
		var out, errb bytes.Buffer
		code := run([]string{"drift", "--dir", dir, "--database-url", url, "--format", "json"}, strings.NewReader(""), &out, &errb)
		if code != want {
			t.Fatalf("exit %d, want %d\n%s%s", code, want, out.String(), errb.String())
		}
		var generic any
		if err := json.Unmarshal(out.Bytes(), &generic); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		var doc DriftJSON
		dec := json.NewDecoder(&out)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	if doc := drift(exitOK); doc.Drift || len(doc.Changes) != 0 || doc.Against != "migrations" || doc.SQL != "" {
		t.Errorf("untouched database: %+v", doc)
	}
	if err := testdb.Exec(context.Background(), url, "ALTER TABLE a ADD COLUMN extra text"); err != nil {
		t.Fatal(err)
	}
	doc := drift(exitChanges)
	if !doc.Drift || len(doc.Changes) != 1 {
		t.Fatalf("one extra column: %+v", doc)
	}
	c := doc.Changes[0]
	if c.Kind != "DropColumn" || c.Lock != "ACCESS EXCLUSIVE" || !strings.Contains(doc.SQL, c.SQL) ||
		len(c.Hazards) != 1 || c.Hazards[0].Code != planner.HazardDropColumn || c.Hazards[0].File != "" {
		t.Errorf("change %+v", c)
	}
	sum := sha256.Sum256([]byte(doc.SQL))
	if doc.Fingerprint != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("fingerprint %s is not the sha256 of sql", doc.Fingerprint)
	}
}

// TestDiffJSONLocks: each change says the lock PostgreSQL documents for
// its statement, and a new table none.
func TestDiffJSONLocks(t *testing.T) {
	dir := t.TempDir()
	writeSchema(t, dir, "CREATE TABLE p (id bigint PRIMARY KEY);\nCREATE TABLE c (id bigint PRIMARY KEY, p_id bigint, n int);\n")
	if code, _, errs := cli(t, dir, "init"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "v1"); code != 0 {
		t.Fatal(errs)
	}
	writeSchema(t, dir, `CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE c (id bigint PRIMARY KEY, p_id bigint REFERENCES p, n int CHECK (n > 0));
CREATE INDEX c_p ON c (p_id);
CREATE TABLE d (id int);
`)
	code, out, errs := cli(t, dir, "diff", "--format", "json", "--online=false")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc DiffJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range doc.Changes {
		got[c.SQL] = c.Lock
		if c.File != "" {
			t.Errorf("change %q names file %s in a run of one migration", c.SQL, c.File)
		}
	}
	want := map[string]string{}
	for sql, lock := range got {
		switch {
		case strings.HasPrefix(sql, "CREATE TABLE"):
			want[sql] = ""
		case strings.Contains(sql, "FOREIGN KEY"):
			want[sql] = "SHARE ROW EXCLUSIVE"
		case strings.Contains(sql, "CHECK"):
			want[sql] = "ACCESS EXCLUSIVE"
		case strings.HasPrefix(sql, "CREATE INDEX"):
			want[sql] = "SHARE"
		default:
			t.Errorf("unexpected change %q (lock %q)", sql, lock)
		}
	}
	if len(got) != 4 {
		t.Errorf("%d changes, want 4: %v", len(got), got)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locks (-want +got):\n%s", diff)
	}
}

// TestDiffJSONOnline: online (the default), each change names the
// migration file of the run that holds it, and the locks are the online
// forms' (SHARE UPDATE EXCLUSIVE for what runs while writes go on).
func TestDiffJSONOnline(t *testing.T) {
	dir := t.TempDir()
	writeSchema(t, dir, "CREATE TABLE p (id bigint PRIMARY KEY);\nCREATE TABLE c (id bigint PRIMARY KEY, p_id bigint, n int);\n")
	if code, _, errs := cli(t, dir, "init"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := cli(t, dir, "generate", "-m", "v1"); code != 0 {
		t.Fatal(errs)
	}
	writeSchema(t, dir, `CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE c (id bigint PRIMARY KEY, p_id bigint REFERENCES p, n int);
CREATE INDEX c_p ON c (p_id);
`)
	code, out, errs := cli(t, dir, "diff", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc DiffJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range doc.Changes {
		got = append(got, c.File+" | "+c.Kind+" | "+c.Lock+" | "+c.SQL)
	}
	want := []string{
		"000002_migration.up.sql | DropIndex | SHARE UPDATE EXCLUSIVE | DROP INDEX CONCURRENTLY IF EXISTS public.c_p;",
		"000002_migration.up.sql | CreateIndex | SHARE UPDATE EXCLUSIVE | CREATE INDEX CONCURRENTLY c_p ON public.c USING btree (p_id);",
		"000003_migration.up.sql | AddConstraint | SHARE ROW EXCLUSIVE | ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES public.p (id) NOT VALID;",
		"000004_migration.up.sql | ValidateConstraint | SHARE UPDATE EXCLUSIVE | ALTER TABLE public.c VALIDATE CONSTRAINT c_p_id_fkey;",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}
