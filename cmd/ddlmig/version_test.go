package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionFlag: ddlmig --version prints the version, the commit and the
// Go version, and exits 0 without running a command.
func TestVersionFlag(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--version"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ddlmig ") || !strings.HasPrefix(lines[1], "commit ") || !strings.HasPrefix(lines[2], runtime.Version()+" ") {
		t.Errorf("--version printed:\n%s", out.String())
	}
}

func TestFormatVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: "github.com/ddlmig/ddlmig", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.modified", Value: "true"}}}
	want := "ddlmig v0.3.0\ncommit 0123456789abcdef (modified)\ngo1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH
	if got := formatVersion(bi, true); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := formatVersion(nil, false); !strings.HasPrefix(got, "ddlmig unknown\ncommit unknown\n") {
		t.Errorf("without build info: %q", got)
	}
}

// TestVersionFromTag builds ddlmig from a clone of this repository tagged
// v0.1.0 (-f: the repository holds that tag itself, on another commit), as
// a release is built: --version prints the tag, read from the
// build information go build stamps (no -ldflags).
func TestVersionFromTag(t *testing.T) {
	if testing.Short() {
		t.Skip("clones the repository and builds the binary")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "ddlmig")
	for _, args := range [][]string{
		{"clone", "-q", strings.TrimSpace(string(top)), clone},
		{"-C", clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "tag", "-f", "-a", "v0.1.0", "-m", "v0.1.0"},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	bin := filepath.Join(t.TempDir(), "ddlmig")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/ddlmig")
	build.Dir = clone
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "ddlmig v0.1.0\ncommit ") || strings.Contains(string(out), "(modified)") {
		t.Errorf("--version of a build of tag v0.1.0 (err %v):\n%s", err, out)
	}
}
