package lint

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// defaultBefore is the schema a case's up.sql runs on when the case has no
// "-- before.sql --" section: the migrations before it, folded.
const defaultBefore = `CREATE TABLE p (id bigint PRIMARY KEY);
CREATE TABLE t (id bigint PRIMARY KEY, a int, b text, v varchar(10), n numeric(10,2), ts timestamp, nn text NOT NULL);
CREATE INDEX t_a ON t (a);
CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
CREATE DOMAIN d AS int;
`

// TestGolden lints the "-- up.sql --" section of each testdata/*.txtar file
// on the schema its "-- before.sql --" section (or defaultBefore) folds
// to, and compares the findings with its "-- want --" section. Each file
// holds a rule's flagged case, its near miss, and the same statement on a
// table created in the same file.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			sec := sections(string(data))
			before, ok := sec["before.sql"]
			if !ok {
				before = defaultBefore
			}
			l := New(nil, Config{Style: true, Disable: strings.Fields(sec["disable"])})
			if err := l.Fold("before.sql", []byte(before)); err != nil {
				t.Fatal(err)
			}
			fs, err := l.File("up.sql", []byte(sec["up.sql"]))
			if got := errText(err); got != sec["error"] {
				t.Fatalf("fold error:\n%swant:\n%s", got, sec["error"])
			}
			var b strings.Builder
			for _, f := range fs {
				b.WriteString(f.String() + "\n")
			}
			got := b.String()
			if *update {
				head, _, _ := strings.Cut(string(data), "-- want --\n")
				if err := os.WriteFile(name, []byte(head+"-- want --\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != sec["want"] {
				t.Errorf("got:\n%swant:\n%s", got, sec["want"])
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error() + "\n"
}

// TestRulesExercised: every rule is flagged by at least one golden case, so
// none is documented and dead.
func TestRulesExercised(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	var wants strings.Builder
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		wants.WriteString(sections(string(data))["want"])
	}
	for _, r := range Rules {
		if !strings.Contains(wants.String(), ": "+r.Code+": ") {
			t.Errorf("no golden case flags %s", r.Code)
		}
	}
}

// sections splits a txtar-style file at "-- NAME --" lines.
func sections(s string) map[string]string {
	out, name := map[string]string{}, ""
	for _, l := range strings.SplitAfter(s, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			name = t[3 : len(t)-3]
			out[name] = ""
			continue
		}
		if name != "" {
			out[name] += l
		}
	}
	return out
}

// TestRulesDocumented: every code the linter reports has a rule entry.
func TestRulesDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Code] || r.Short == "" || r.Help == "" {
			t.Errorf("rule %q duplicated or undocumented", r.Code)
		}
		seen[r.Code] = true
	}
	if len(Rules) < 35 {
		t.Errorf("%d rules, want at least 35", len(Rules))
	}
}
