package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// gitTry runs git in dir and returns its output and error, for commands
// that may fail (a merge that conflicts).
func gitTry(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

const (
	branchBase  = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n"
	branchEmail = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    email text\n);\n"
	branchPhone = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text\n);\n"
	branchBoth  = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    phone text,\n    email text\n);\n"
)

// twoBranches makes a git repository in a temporary folder where main
// and feature each generated 000002 from 000001 (main: add phone,
// feature: add email), with feature checked out; it returns the folder
// and a function that runs ddlmig there, failing on another exit code.
func twoBranches(t *testing.T) (string, func(want int, args ...string) (string, string)) {
	t.Helper()
	dir := t.TempDir()
	must := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errs := cli(t, dir, args...)
		if code != want {
			t.Fatalf("ddlmig %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out, errs
	}
	commit := func(msg string) {
		t.Helper()
		must(exitOK, "check")
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", msg)
	}
	git(t, dir, "init", "-q", "-b", "main")
	must(exitOK, "init")
	writeSchema(t, dir, branchBase)
	must(exitOK, "generate", "-m", "create users")
	commit("create users")
	git(t, dir, "checkout", "-q", "-b", "feature")
	writeSchema(t, dir, branchEmail)
	must(exitOK, "generate", "-m", "add email")
	commit("add email")
	git(t, dir, "checkout", "-q", "main")
	writeSchema(t, dir, branchPhone)
	must(exitOK, "generate", "-m", "add phone")
	commit("add phone")
	git(t, dir, "checkout", "-q", "feature")
	return dir, must
}

// mergeMain merges main into feature, which stops on conflicts in the
// sum file (and schema.sql, resolved here as a person would).
func mergeMain(t *testing.T, dir string) {
	t.Helper()
	out, err := gitTry(dir, "merge", "main")
	if err == nil || !strings.Contains(out, "CONFLICT (content): Merge conflict in migrations/ddlmig.sum") {
		t.Fatalf("merging two branches that each added 000002 did not conflict in the sum file (%v):\n%s", err, out)
	}
	writeSchema(t, dir, branchBoth)
	git(t, dir, "add", "schema.sql")
}

// TestBranchesMerge: two branches each generate 000002; the merge stops
// on the sum file; check and generate name ddlmig renumber, which moves
// this branch's migration to 000003 and generates it again from the
// merged schema; check passes and apply builds the merged schema.
func TestBranchesMerge(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	mergeMain(t, dir)

	out, _ := must(exitNo, "check")
	for _, want := range []string{
		"ddlmig.sum: holds git merge conflict markers: two branches added migrations; resolve any conflict in the schema file, then run ddlmig renumber",
		"version 000002 is also used by 000002_add_email.up.sql (two branches generated the same version: on the branch that merged the other, run ddlmig renumber",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check after the merge lacks %q:\n%s", want, out)
		}
	}
	if _, errs := must(exitError, "generate", "-m", "more"); !strings.Contains(errs, "holds git merge conflict markers (two branches added migrations): run ddlmig renumber first") {
		t.Errorf("generate during the conflict:\n%s", errs)
	}

	out, _ = must(exitOK, "renumber", "--dry-run")
	if !strings.Contains(out, "would generate 000002_add_email again as 000003_add_email:\n") || !strings.Contains(out, "ADD COLUMN email text") {
		t.Errorf("renumber --dry-run says:\n%s", out)
	}
	if files := strings.Join(migrationFiles(t, dir), " "); strings.Contains(files, "000003") {
		t.Errorf("renumber --dry-run changed the folder: %s", files)
	}
	out, _ = must(exitOK, "renumber")
	if !strings.Contains(out, "generated 000002_add_email again from") || !strings.Contains(out, "as 000003_add_email") {
		t.Errorf("renumber says:\n%s", out)
	}
	files := strings.Join(migrationFiles(t, dir), " ")
	if want := "000001_create_users.down.sql 000001_create_users.up.sql 000002_add_phone.down.sql 000002_add_phone.up.sql 000003_add_email.down.sql 000003_add_email.up.sql"; files != want {
		t.Errorf("folder after renumber:\n%s\nwant\n%s", files, want)
	}
	if up := readMigration(t, dir, "000003_add_email.up.sql"); !strings.Contains(up, "ADD COLUMN email text") || strings.Contains(up, "phone") {
		t.Errorf("regenerated migration:\n%s", up)
	}
	if out, _ := must(exitOK, "check"); strings.Contains(out, "note:") {
		t.Errorf("check after renumber:\n%s", out)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "--no-edit")

	url := testdb.New(t)
	must(exitOK, "apply", "--database-url", url)
	if got := queryFunc(t, url)(`SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'`); got != "id,name,phone,email" {
		t.Errorf("columns after apply: %s", got)
	}
}

// TestBranchesDevDatabase: the dev database applied this branch's 000002
// before the merge. renumber --database-url refuses and names the
// commands; run as printed, they lead to a database at the merged schema
// with its rows kept. Without the check, apply refuses the reused
// version and names the same way back.
func TestBranchesDevDatabase(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	url := testdb.New(t)
	db := func(args ...string) []string { return append(args, "--database-url", url) }
	must(exitOK, db("apply")...)
	query := queryFunc(t, url)
	query(`INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com') RETURNING 'ok'`)
	mergeMain(t, dir)

	_, errs := must(exitError, db("renumber")...)
	want := "the database applied this branch's 000002_add_email, which renumber would move: roll back first with the files it ran, then renumber:\n" +
		"  git merge --abort\n  ddlmig down --to 000001 --database-url ...\n  git merge main\n  ddlmig renumber\n"
	if !strings.Contains(errs, want) {
		t.Fatalf("renumber with the dev database:\n%s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "migrations", "000003_add_email.up.sql")); err == nil {
		t.Fatal("refused renumber moved files")
	}
	git(t, dir, "merge", "--abort")
	must(exitOK, db("down", "--to", "000001", "--yes")...)
	mergeMain(t, dir)
	must(exitOK, db("renumber")...)
	must(exitOK, db("apply")...)
	if got := query(`SELECT string_agg(name || ':' || coalesce(email, '-'), ',') FROM users`); got != "Ada:-" {
		t.Errorf("rows after the way back: %s", got)
	}
	if got := query(`SELECT string_agg(version::text, ',' ORDER BY version) FROM ddlmig_migrations`); got != "1,2,3" {
		t.Errorf("versions applied: %s", got)
	}
}

// TestBranchesApplyNamesWayBack: a dev database that applied this
// branch's 000002 before renumber ran without --database-url: apply
// refuses and says how to roll it back from the branch as it was.
func TestBranchesApplyNamesWayBack(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	url := testdb.New(t)
	must(exitOK, "apply", "--database-url", url)
	mergeMain(t, dir)
	must(exitOK, "renumber")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "--no-edit")
	_, errs := must(exitError, "apply", "--database-url", url)
	want := "(000002_add_email is 000003_add_email in the folder now: roll it back with the files it ran: git checkout HEAD^1 (this branch before the merge), ddlmig down --to 000001, git checkout -, then ddlmig apply)"
	if !strings.Contains(errs, want) {
		t.Fatalf("apply after renumber:\n%s", errs)
	}
	git(t, dir, "checkout", "-q", "HEAD^1")
	must(exitOK, "down", "--to", "000001", "--yes", "--database-url", url)
	git(t, dir, "checkout", "-q", "-")
	must(exitOK, "apply", "--database-url", url)
}

// branchStep is one migration a branch adds: generate from schema with
// message (and the renames), or, when fill is set, generate --empty
// filled in with fill and recorded with ddlmig sum.
type branchStep struct {
	schema, message string
	renames         []string
	fill            string
}

// TestRenumberCases: what renumber does with this branch's pairs after a
// merge: the newest is generated again from the merged schema (a rename
// it made stays a rename, an approval of the same marker stays), earlier
// ones keep their text, a hand-written one is only renumbered, and one
// the other branch already made is removed. Each ends with check passing
// and apply building the merged schema on an empty database.
func TestRenumberCases(t *testing.T) {
	const (
		base   = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL\n);\n"
		age    = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    age int\n);\n"
		email  = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    email text\n);\n"
		both   = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    age int,\n    email text\n);\n"
		full   = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    full_name text NOT NULL\n);\n"
		fullAg = "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    full_name text NOT NULL,\n    age int\n);\n"
	)
	tests := []struct {
		name     string
		main     []branchStep
		feature  []branchStep
		merged   string
		files    string // the folder after renumber
		out      []string
		upFile   string // a file to look into, and what it must hold
		upHas    []string
		upHasNot []string
	}{
		{
			name:    "two pairs: the older keeps its text, the newest run is generated again",
			main:    []branchStep{{schema: age, message: "add age"}},
			feature: []branchStep{{schema: email, message: "add email"}, {schema: strings.Replace(email, "email text", "email text NOT NULL", 1), message: "E-mail required"}},
			merged:  strings.Replace(both, "email text", "email text NOT NULL", 1),
			// generate wrote SET NOT NULL online: a run of three migrations.
			files:  "000001_init 000002_add_age 000003_add_email 000004_e_mail_required 000005_e_mail_required 000006_e_mail_required",
			out:    []string{"renumbered 000002_add_email -> 000003_add_email\n", "generated 000003_e_mail_required, 000004_e_mail_required, 000005_e_mail_required again from"},
			upFile: "000006_e_mail_required.up.sql", upHas: []string{"-- Message: E-mail required\n", "SET NOT NULL"},
		},
		{
			name:    "an approval of the same marker stays",
			main:    []branchStep{{schema: age, message: "add age"}},
			feature: []branchStep{{schema: "CREATE TABLE users (\n    id bigserial PRIMARY KEY\n);\n", message: "drop name"}},
			merged:  "CREATE TABLE users (\n    id bigserial PRIMARY KEY,\n    age int\n);\n",
			files:   "000001_init 000002_add_age 000003_drop_name",
			upFile:  "000003_drop_name.up.sql", upHas: []string{"-- ddlmig:reviewed drop-column:", "DROP COLUMN name"}, upHasNot: []string{"ddlmig:unreviewed drop-column"}, // approved before the merge
		},
		{
			name:    "a rename stays a rename",
			main:    []branchStep{{schema: age, message: "add age"}},
			feature: []branchStep{{schema: full, message: "full name", renames: []string{"users.name=users.full_name"}}},
			merged:  fullAg,
			files:   "000001_init 000002_add_age 000003_full_name",
			upFile:  "000003_full_name.up.sql", upHas: []string{"RENAME COLUMN name TO full_name"}, upHasNot: []string{"DROP"},
		},
		{
			name:    "a hand-written pair is only renumbered",
			main:    []branchStep{{schema: age, message: "add age"}},
			feature: []branchStep{{message: "backfill", fill: "UPDATE users SET name = upper(name) WHERE name <> upper(name);\n"}},
			merged:  age,
			files:   "000001_init 000002_add_age 000003_backfill",
			out:     []string{"renumbered 000002_backfill -> 000003_backfill\n"},
			upFile:  "000003_backfill.up.sql", upHas: []string{"UPDATE users SET name = upper(name) WHERE name <> upper(name);"},
		},
		{
			name:    "a change the other branch made too is removed",
			main:    []branchStep{{schema: email, message: "add email"}},
			feature: []branchStep{{schema: email, message: "email column"}},
			merged:  email,
			files:   "000001_init 000002_add_email",
			out:     []string{"removed 000002_email_column: after the merge, the schema file needs none of its changes\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DATABASE_URL", "")
			dir := t.TempDir()
			must := func(want int, args ...string) (string, string) {
				t.Helper()
				code, out, errs := cli(t, dir, args...)
				if code != want {
					t.Fatalf("ddlmig %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
				}
				return out, errs
			}
			add := func(steps []branchStep) {
				for _, s := range steps {
					if s.fill != "" {
						must(exitOK, "generate", "--empty", "-m", s.message)
						files := migrationFiles(t, dir)
						up := filepath.Join(dir, "migrations", files[len(files)-1])
						b, _ := os.ReadFile(up)
						if err := os.WriteFile(up, append(b, s.fill...), 0o644); err != nil {
							t.Fatal(err)
						}
						must(exitOK, "sum")
					} else {
						writeSchema(t, dir, s.schema)
						args := []string{"generate", "-m", s.message}
						for _, r := range s.renames {
							args = append(args, "--rename", r)
						}
						must(exitOK, args...)
						approveAll(t, dir)
					}
					must(exitOK, "check")
					git(t, dir, "add", "-A")
					git(t, dir, "commit", "-q", "-m", s.message)
				}
			}
			git(t, dir, "init", "-q", "-b", "main")
			must(exitOK, "init")
			writeSchema(t, dir, base)
			must(exitOK, "generate", "-m", "init")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-q", "-m", "init")
			git(t, dir, "checkout", "-q", "-b", "feature")
			add(tt.feature)
			git(t, dir, "checkout", "-q", "main")
			add(tt.main)
			git(t, dir, "checkout", "-q", "feature")
			if out, err := gitTry(dir, "merge", "main"); err == nil {
				t.Fatalf("the merge did not stop:\n%s", out)
			}
			writeSchema(t, dir, tt.merged)

			out, errs := must(exitOK, "renumber")
			for _, w := range tt.out {
				if !strings.Contains(out, w) {
					t.Errorf("renumber says:\n%s%s\nwant %q in it", out, errs, w)
				}
			}
			var stems []string
			for _, f := range migrationFiles(t, dir) {
				if s, ok := strings.CutSuffix(f, ".up.sql"); ok {
					stems = append(stems, s)
				}
			}
			if got := strings.Join(stems, " "); got != tt.files {
				t.Errorf("folder: %s, want %s", got, tt.files)
			}
			if tt.upFile != "" {
				up := readMigration(t, dir, tt.upFile)
				for _, w := range tt.upHas {
					if !strings.Contains(up, w) {
						t.Errorf("%s lacks %q:\n%s", tt.upFile, w, up)
					}
				}
				for _, w := range tt.upHasNot {
					if strings.Contains(up, w) {
						t.Errorf("%s holds %q:\n%s", tt.upFile, w, up)
					}
				}
			}
			approveAll(t, dir)
			if out, _ := must(exitOK, "check"); strings.Contains(out, "note:") {
				t.Errorf("check after renumber:\n%s", out)
			}
			url := testdb.New(t)
			must(exitOK, "apply", "--database-url", url)
		})
	}
}

// renumber outside a merge needs --onto, and says so.
func TestRenumberNeedsOnto(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	cli(t, dir, "init")
	writeSchema(t, dir, branchBase)
	cli(t, dir, "generate", "-m", "users")
	code, _, errs := cli(t, dir, "renumber")
	if code != exitError || !strings.Contains(errs, "no merge in progress (and HEAD is not a merge commit): name the other branch with --onto, for example ddlmig renumber --onto main") {
		t.Errorf("renumber outside a merge: exit %d\n%s", code, errs)
	}
}

// TestSumLifecycle: generate, --amend and --empty keep the sum file, so
// check passes without ddlmig sum; approving a marker needs none; a hand
// edit (a filled-in --empty pair) fails check, naming ddlmig sum, until it
// runs. Without a sum file, check in git notes how to create one and
// fails nothing.
func TestSumLifecycle(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	must := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := cli(t, dir, args...)
		if code != want {
			t.Fatalf("ddlmig %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out + errs
	}
	sumProblems := func(out string) string {
		var ps []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "ddlmig sum") {
				ps = append(ps, l)
			}
		}
		return strings.Join(ps, "\n")
	}
	must(exitOK, "init")
	writeSchema(t, dir, usersV1)
	must(exitOK, "generate", "-m", "users")
	if out := must(exitOK, "check"); sumProblems(out) != "" {
		t.Fatalf("check after generate:\n%s", out)
	}
	renamed := strings.Replace(usersV1, "name text NOT NULL", "full_name text NOT NULL", 1)
	writeSchema(t, dir, renamed)
	must(exitOK, "generate", "-m", "rename")
	must(exitOK, "generate", "--amend", "--rename", "users.name=users.full_name")
	if out := must(exitOK, "check"); sumProblems(out) != "" {
		t.Fatalf("check after --amend:\n%s", out)
	}
	writeSchema(t, dir, renamed+"CREATE TABLE t (a int);\n")
	must(exitOK, "generate", "-m", "t")
	writeSchema(t, dir, renamed)
	must(exitOK, "generate", "--amend") // nothing left: the pair is removed
	out := must(exitOK, "generate", "--empty", "-m", "backfill")
	if !strings.Contains(out, "then run ddlmig sum to record them in ddlmig.sum once reviewed") {
		t.Errorf("generate --empty says:\n%s", out)
	}
	if out := must(exitOK, "check"); sumProblems(out) != "" {
		t.Fatalf("check after --empty:\n%s", out)
	}
	up := filepath.Join(dir, "migrations", "000003_backfill.up.sql")
	b, _ := os.ReadFile(up)
	os.WriteFile(up, append(b, "UPDATE users SET full_name = trim(full_name) WHERE full_name <> trim(full_name);\n"...), 0o644)
	out = must(exitNo, "check")
	if want := "000003_backfill.up.sql: changed since ddlmig generate wrote it (ddlmig.sum records another hash): once the edit is reviewed, run ddlmig sum"; !strings.Contains(out, want) {
		t.Fatalf("check after a hand edit:\n%s", out)
	}
	if out := must(exitOK, "sum"); !strings.Contains(out, "ddlmig.sum (6 files)") {
		t.Errorf("sum says: %s", out)
	}
	must(exitOK, "check")

	os.Remove(filepath.Join(dir, "migrations", "ddlmig.sum"))
	if out := must(exitOK, "check"); !strings.Contains(out, "note: "+filepath.Join(dir, "migrations", "ddlmig.sum")+": does not exist: run ddlmig sum to create it") {
		t.Errorf("check without a sum file, in git:\n%s", out)
	}
	os.RemoveAll(filepath.Join(dir, ".git"))
	if out := must(exitOK, "check"); strings.Contains(out, "note:") {
		t.Errorf("check without a sum file, outside git:\n%s", out)
	}
}

// TestBranchesDatabaseHoldsTheOther: the dev database applied main's
// 000002 (main was checked out); on feature, whose 000002 is another
// migration, apply refuses and says to merge and renumber; done as said,
// apply runs feature's as 000003.
func TestBranchesDatabaseHoldsTheOther(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir, must := twoBranches(t)
	url := testdb.New(t)
	git(t, dir, "checkout", "-q", "main")
	must(exitOK, "apply", "--database-url", url)
	git(t, dir, "checkout", "-q", "feature")
	_, errs := must(exitError, "apply", "--database-url", url)
	if want := "(000002_add_phone is another branch's: merge that branch and run ddlmig renumber, then ddlmig apply; or roll it back with the files it ran: check out that branch, ddlmig down --to 000001, check this one out again)"; !strings.Contains(errs, want) {
		t.Fatalf("apply on feature:\n%s", errs)
	}
	mergeMain(t, dir)
	must(exitOK, "renumber", "--database-url", url)
	if out, _ := must(exitOK, "apply", "--database-url", url); !strings.Contains(out, "applying 000003_add_email.up.sql") {
		t.Errorf("apply after renumber:\n%s", out)
	}
}
