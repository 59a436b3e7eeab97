package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindRoot lays out folders (a name ending in / is a folder, others are
// files) and walks up from each start.
func TestFindRoot(t *testing.T) {
	for _, tc := range []struct {
		name   string
		layout []string
		start  string
		dir    string // "" when no project is found
		config bool
	}{
		{"config at the start", []string{"ddlmig.json"}, ".", ".", true},
		{"config above", []string{"ddlmig.json", "app/models/"}, "app/models", ".", true},
		{"migrations folder above", []string{"migrations/", "app/"}, "app", ".", false},
		{"inside the migrations folder", []string{"migrations/"}, "migrations", ".", false},
		{"config wins over a nearer migrations folder", []string{"ddlmig.json", "app/migrations/"}, "app", ".", true},
		{"nearest config", []string{"ddlmig.json", "svc/ddlmig.json", "svc/x/"}, "svc/x", "svc", true},
		{"a folder named ddlmig.json is no config", []string{"ddlmig.json/", "app/"}, "app", "", false},
		{"a file named migrations is no folder", []string{"migrations", "app/"}, "app", "", false},
		{"nothing", []string{"app/"}, "app", "", false},
		{"not past the git work tree", []string{"ddlmig.json", "repo/.git/", "repo/app/"}, "repo/app", "", false},
		{"git root itself", []string{"repo/.git", "repo/migrations/", "repo/app/"}, "repo/app", "repo", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The walk must stop at the temp folder: start below a .git.
			base := filepath.Join(t.TempDir(), "top")
			lay(t, base, append([]string{".git/"}, tc.layout...))
			got := FindRoot(filepath.Join(base, tc.start))
			want := Root{}
			if tc.dir != "" {
				want.Dir = filepath.Join(base, tc.dir)
				if tc.config {
					want.Config = filepath.Join(want.Dir, ConfigFile)
				}
			}
			if got != want {
				t.Errorf("FindRoot = %+v, want %+v", got, want)
			}
		})
	}
}

func lay(t *testing.T, base string, layout []string) {
	t.Helper()
	for _, p := range layout {
		full := filepath.Join(base, p)
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
