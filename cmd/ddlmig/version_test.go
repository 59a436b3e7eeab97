package main

import (
	"bytes"
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
