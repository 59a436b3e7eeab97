// Package corpus finds the team's test corpus for the tests that read it:
// sqldef's PostgreSQL conformance cases (conformance/sqldef) and real
// projects' schema files (realworld). The corpus is not in the repository; it
// is a folder beside it, ../shared from the repository root, or wherever
// DDLMIG_CORPUS_DIR says (a relative path is taken from the repository root).
//
// Every test that reads the corpus asks this package where it is, so that the
// location is decided in one place. When the corpus is missing, a test that
// needs it is skipped with a message beginning with Missing (scripts/test
// gathers those into one line), except in CI (the environment variable CI set
// to anything but "" or "false"), where a missing corpus fails the test: a
// CI run without it would look green while checking less.
//
// It must not be imported by non-test code.
package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// EnvDir names the environment variable that overrides the corpus location.
const EnvDir = "DDLMIG_CORPUS_DIR"

// Missing begins the message of a test skipped for want of the corpus;
// scripts/test's report looks for it.
const Missing = "corpus missing: "

// CI reports whether the tests run in CI, where the corpus is required.
func CI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && !strings.EqualFold(v, "false") && v != "0"
}

// Root returns the corpus folder: DDLMIG_CORPUS_DIR, or ../shared from the
// repository root (the first folder holding go.mod at or above the working
// directory). It does not check that the folder exists.
func Root() (string, error) {
	dir := os.Getenv(EnvDir)
	if dir != "" && filepath.IsAbs(dir) {
		return filepath.Clean(dir), nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	if dir == "" {
		dir = filepath.Join("..", "shared")
	}
	return filepath.Join(root, dir), nil
}

// Lookup returns the corpus subfolder sub ("realworld",
// "conformance/sqldef"), or an error saying, for a person, where it was
// looked for and how to provide it.
func Lookup(sub string) (string, error) {
	root, err := Root()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, filepath.FromSlash(sub))
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		if env := os.Getenv(EnvDir); env != "" {
			return dir, fmt.Errorf("%s does not exist (%s=%s)", dir, EnvDir, env)
		}
		return dir, fmt.Errorf("%s does not exist: put the team's shared/ folder beside the repository, or set %s to the corpus folder", dir, EnvDir)
	}
	return dir, nil
}

// Dir returns the corpus subfolder sub for a test that cannot run without
// it. When sub is missing the test is skipped, or failed in CI.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := Lookup(sub)
	if err != nil {
		absent(t, err, true)
	}
	return dir
}

// Optional returns the corpus subfolder sub for a test that only adds the
// corpus to inputs of its own, and whether it is there. When it is missing
// the test goes on without it and logs why, or fails in CI.
func Optional(t testing.TB, sub string) (string, bool) {
	t.Helper()
	dir, err := Lookup(sub)
	if err != nil {
		absent(t, err, false)
		return dir, false
	}
	return dir, true
}

func absent(t testing.TB, err error, skip bool) {
	t.Helper()
	switch {
	case CI():
		t.Fatalf("%s%v (CI is set: the corpus is required)", Missing, err)
	case skip:
		t.Skip(Missing + err.Error())
	default:
		t.Log(Missing + err.Error() + " (this test ran without it)")
	}
}

// repoRoot is the first folder at or above the working directory that holds
// go.mod.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above " + wd + ": cannot locate the repository root")
		}
		dir = parent
	}
}
