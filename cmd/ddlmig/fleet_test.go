package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/fleet"
	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestFleetApplyAndRerun applies three migrations to six databases, two of
// which hold a table that makes migration 2 fail; the JSON names each
// target without its password; after the fix a rerun applies only to the
// two, and status --targets shows all six at the newest version.
func TestFleetApplyAndRerun(t *testing.T) {
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	files := map[string]string{
		"000001_a.up.sql": "CREATE TABLE a (id int);\n", "000001_a.down.sql": "DROP TABLE a;\n",
		"000002_b.up.sql": "CREATE TABLE b (id int);\n", "000002_b.down.sql": "DROP TABLE b;\n",
		"000003_c.up.sql": "CREATE TABLE c (id int);\n", "000003_c.down.sql": "DROP TABLE c;\n",
	}
	os.Mkdir(mig, 0o755)
	for name, sql := range files {
		if err := os.WriteFile(filepath.Join(mig, name), []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "fleetpw9x7"
	var urls []string
	for i := range 6 {
		u := testdb.New(t)
		if i == 1 || i == 4 {
			if err := testdb.Exec(context.Background(), u, "CREATE TABLE b (x text)"); err != nil {
				t.Fatal(err)
			}
		}
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		p.User = url.UserPassword(p.User.Username(), secret) // trust auth ignores it
		urls = append(urls, p.String())
	}
	list := filepath.Join(dir, "targets")
	os.WriteFile(list, []byte("# tenants\n\n"+strings.Join(urls, "\n")+"\n"), 0o644)

	run1 := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(append(args, "--dir", mig, "--targets", list, "--parallel", "3"), strings.NewReader(""), &out, &errb)
		all := out.String() + errb.String()
		if strings.Contains(all, secret) {
			t.Fatalf("password printed:\n%s", all)
		}
		return code, out.String()
	}
	code, out := run1("apply", "--format", "json")
	if code != exitNo {
		t.Errorf("exit %d, want %d", code, exitNo)
	}
	var doc FleetJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.OK != 4 || doc.Failed != 2 || len(doc.Targets) != 6 {
		t.Fatalf("ok %d failed %d of %d:\n%s", doc.OK, doc.Failed, len(doc.Targets), out)
	}
	for i, r := range doc.Targets {
		bad := i == 1 || i == 4
		if want := map[bool]uint64{false: 3, true: 1}[bad]; r.After != want || (r.Error != "") != bad {
			t.Errorf("target %d: after %d error %q", i, r.After, r.Error)
		}
		if !strings.Contains(r.Target, "xxxxx") {
			t.Errorf("target %d not shown redacted: %s", i, r.Target)
		}
	}
	for _, i := range []int{1, 4} {
		testdb.Exec(context.Background(), urls[i], "DROP TABLE b")
	}
	code, out = run1("apply", "--format", "json")
	doc = FleetJSON{}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("rerun exit %d, %v\n%s", code, err, out)
	}
	for i, r := range doc.Targets {
		want := map[bool]int{false: 0, true: 2}[i == 1 || i == 4]
		if r.Applied != want || r.After != 3 {
			t.Errorf("rerun target %d: applied %d, at %d; want %d at 3", i, r.Applied, r.After, want)
		}
	}
	code, out = run1("status")
	if code != exitOK || strings.Count(out, " ok ") != 6 || !strings.Contains(out, "6 ok, 0 failed") {
		t.Errorf("status exit %d:\n%s", code, out)
	}
}

// TestFleetBar: the bar a terminal shows names the four counts and how many
// targets finished, and clears itself at the end.
func TestFleetBar(t *testing.T) {
	var b strings.Builder
	bar := fleetBar(&b, 4)
	showCounts(bar, fleet.Counts{Done: 1, Running: 2, Failed: 1})
	bar.Clear()
	out := b.String()
	for _, want := range []string{"done 1, running 2, failed 1, pending 0", "2/4"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar wrote %q, want %q in it", out, want)
		}
	}
}
