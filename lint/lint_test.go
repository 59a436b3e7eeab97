package lint

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// TestGolden lints the "-- up.sql --" section of each testdata/*.txtar file
// and compares the findings with its "-- want --" section. Each file holds a
// rule's flagged case, its near miss, and the same statement on a table
// created in the same file.
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
			fs, err := File([]byte(sec["up.sql"]))
			if err != nil {
				t.Fatal(err)
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
	if len(Rules) != 18 {
		t.Errorf("%d rules, want 18", len(Rules))
	}
}
