package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/runner"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// folder is three migrations; the second conflicts with a table t2 made
// beforehand on the targets meant to fail.
var folder = fstest.MapFS{
	"000001_a.up.sql":   {Data: []byte("CREATE TABLE t1 (id int);\n")},
	"000001_a.down.sql": {Data: []byte("DROP TABLE t1;\n")},
	"000002_b.up.sql":   {Data: []byte("CREATE TABLE t2 (id int);\n")},
	"000002_b.down.sql": {Data: []byte("DROP TABLE t2;\n")},
	"000003_c.up.sql":   {Data: []byte("CREATE TABLE t3 (id int);\n")},
	"000003_c.down.sql": {Data: []byte("DROP TABLE t3;\n")},
}

// scratch creates n databases and makes those listed in bad conflict with
// migration 2.
func scratch(t *testing.T, n int, bad ...int) []string {
	t.Helper()
	urls := make([]string, n)
	for i := range urls {
		urls[i] = testdb.New(t)
	}
	for _, i := range bad {
		if err := testdb.Exec(context.Background(), urls[i], "CREATE TABLE t2 (x text)"); err != nil {
			t.Fatal(err)
		}
	}
	return urls
}

func apply(t *testing.T, urls []string, o Options) []Result {
	t.Helper()
	return Run(context.Background(), Databases(urls), Apply(folder, runner.Options{}, 0), o)
}

func outcomes(res []Result) string {
	var b strings.Builder
	for _, r := range res {
		b.WriteString(string(r.Outcome)[:1])
	}
	return b.String()
}

func TestApplyRerunFinishesOnlyTheFailed(t *testing.T) {
	urls := scratch(t, 6, 1, 4)
	res := apply(t, urls, Options{Parallel: 3})
	if got := outcomes(res); got != "ofoofo" {
		t.Fatalf("outcomes %s, want ofoofo: %+v", got, res)
	}
	for i, r := range res {
		want := uint64(3)
		if i == 1 || i == 4 {
			want = 1 // migration 1 committed, 2 rolled back
			if !strings.Contains(r.Error, "t2") {
				t.Errorf("target %d: error %q does not name t2", i, r.Error)
			}
		}
		if r.After != want || r.Before != 0 {
			t.Errorf("target %d: version %d -> %d, want 0 -> %d", i, r.Before, r.After, want)
		}
	}
	for _, i := range []int{1, 4} { // fix them
		if err := testdb.Exec(context.Background(), urls[i], "DROP TABLE t2"); err != nil {
			t.Fatal(err)
		}
	}
	res = apply(t, urls, Options{Parallel: 3})
	for i, r := range res {
		want := 0
		if i == 1 || i == 4 {
			want = 2
		}
		if r.Outcome != OK || r.After != 3 || r.Applied != want {
			t.Errorf("rerun target %d: %s at %d, %d applied; want ok at 3, %d applied (%s)", i, r.Outcome, r.After, r.Applied, want, r.Error)
		}
	}
}

func TestCanaryFailureStopsTheRest(t *testing.T) {
	urls := scratch(t, 5, 0)
	res := apply(t, urls, Options{Canary: 2})
	if got := outcomes(res); got != "fosss" {
		t.Fatalf("outcomes %s, want fosss", got)
	}
	if res[3].After != 0 || res[3].Before != 0 {
		t.Errorf("a skipped target was touched: %+v", res[3])
	}
}

// TestMaxFailures runs one at a time so the order is known: after the
// second failure nothing new starts.
func TestMaxFailures(t *testing.T) {
	urls := scratch(t, 6, 0, 2, 3)
	res := apply(t, urls, Options{Parallel: 1, MaxFailures: 2})
	if got := outcomes(res); got != "fofsss" {
		t.Fatalf("outcomes %s, want fofsss", got)
	}
}

// TestLimits checks that no more than Parallel targets run at once, and no
// more than PerHost on one server (all scratch targets share one).
func TestLimits(t *testing.T) {
	targets := make([]string, 12)
	for i := range targets {
		targets[i] = "postgres://u@h1:5432/db" + string(rune('a'+i))
	}
	var now, peak atomic.Int64
	job := func(ctx context.Context, _ Target, res *Result) error {
		n := now.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		defer now.Add(-1)
		time.Sleep(20 * time.Millisecond)
		return nil
	}
	for _, c := range []struct{ parallel, perHost, want int }{{8, 3, 3}, {2, 5, 2}} {
		peak.Store(0)
		res := Run(context.Background(), Databases(targets), job, Options{Parallel: c.parallel, PerHost: c.perHost})
		if got := int(peak.Load()); got != c.want {
			t.Errorf("parallel %d per-host %d: %d ran at once, want %d", c.parallel, c.perHost, got, c.want)
		}
		if strings.Count(outcomes(res), "o") != len(targets) {
			t.Errorf("not all ran: %s", outcomes(res))
		}
	}
}

func TestResultRedactsPassword(t *testing.T) {
	url := "postgres://alice:s3cretpw@127.0.0.1:1/nodb?connect_timeout=1"
	res := Run(context.Background(), Databases([]string{url}), func(context.Context, Target, *Result) error {
		return errors.New("auth failed for " + url)
	}, Options{})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cretpw") || !strings.Contains(string(b), `"outcome":"failed"`) {
		t.Fatalf("json %s", b)
	}
}

func TestReadTargets(t *testing.T) {
	got, err := ReadTargets(strings.NewReader("# fleet\n\npostgres://a/x\n  postgres://b/y  \n"))
	if err != nil || len(got) != 2 || got[1] != "postgres://b/y" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := ReadTargets(strings.NewReader("postgres://a/x\npostgres://a/x\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := ReadTargets(strings.NewReader("# none\n")); err == nil {
		t.Error("empty list accepted")
	}
}
