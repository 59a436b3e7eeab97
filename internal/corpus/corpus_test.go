package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeT records what Dir and Optional do to a test; Fatalf and Skip stop the
// calling goroutine as the real ones do.
type fakeT struct {
	testing.TB
	fatal, skip, log string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeT) Skip(args ...any) {
	f.skip = fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fakeT) Log(args ...any) { f.log = fmt.Sprint(args...) }

// call runs fn as a test body on its own goroutine, so that Goexit ends only
// that body.
func call(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

func TestRootDefault(t *testing.T) {
	t.Setenv(EnvDir, "")
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	// This package is internal/corpus: the repository root is two up.
	wd, _ := os.Getwd()
	want := filepath.Join(wd, "..", "..", "..", "shared")
	if root != filepath.Clean(want) {
		t.Errorf("Root() = %s, want %s", root, want)
	}
}

func TestRootFromEnv(t *testing.T) {
	abs := t.TempDir()
	t.Setenv(EnvDir, abs)
	if root, _ := Root(); root != abs {
		t.Errorf("absolute %s: Root() = %s", abs, root)
	}
	t.Setenv(EnvDir, "testdata/x")
	wd, _ := os.Getwd()
	want := filepath.Join(wd, "..", "..", "testdata", "x")
	if root, _ := Root(); root != filepath.Clean(want) {
		t.Errorf("relative: Root() = %s, want %s (from the repository root)", root, want)
	}
}

func TestCI(t *testing.T) {
	for v, want := range map[string]bool{"": false, "false": false, "FALSE": false, "0": false, "true": true, "1": true, "yes": true} {
		t.Setenv("CI", v)
		if got := CI(); got != want {
			t.Errorf("CI=%q: CI() = %v, want %v", v, got, want)
		}
	}
}

func TestDirAndOptional(t *testing.T) {
	present := t.TempDir()
	if err := os.MkdirAll(filepath.Join(present, "realworld"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nope")
	tests := []struct {
		name, dir, ci string
		optional      bool
		// what happens to the test: "" (goes on), "skip", "fatal" or
		// "log"; and the returned folder
		want, wantDir string
	}{
		{name: "present", dir: present, want: "", wantDir: filepath.Join(present, "realworld")},
		{name: "present in CI", dir: present, ci: "true", want: "", wantDir: filepath.Join(present, "realworld")},
		{name: "missing", dir: missing, want: "skip"},
		{name: "missing in CI", dir: missing, ci: "true", want: "fatal"},
		{name: "CI=false is not CI", dir: missing, ci: "false", want: "skip"},
		{name: "optional present", dir: present, optional: true, want: "", wantDir: filepath.Join(present, "realworld")},
		{name: "optional missing", dir: missing, optional: true, want: "log"},
		{name: "optional missing in CI", dir: missing, optional: true, ci: "true", want: "fatal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDir, tt.dir)
			t.Setenv("CI", tt.ci)
			f := &fakeT{TB: t}
			var dir string
			ok, returned := false, false
			call(func() {
				if tt.optional {
					dir, ok = Optional(f, "realworld")
				} else {
					dir = Dir(f, "realworld")
					ok = true
				}
				returned = true
			})
			got, msg := "", ""
			switch {
			case f.fatal != "":
				got, msg = "fatal", f.fatal
			case f.skip != "":
				got, msg = "skip", f.skip
			case f.log != "":
				got, msg = "log", f.log
			}
			if got != tt.want {
				t.Fatalf("got %q (%s), want %q", got, msg, tt.want)
			}
			if tt.want == "" {
				if !returned || !ok || dir != tt.wantDir {
					t.Errorf("returned %v, %q, %v; want %q", returned, dir, ok, tt.wantDir)
				}
				return
			}
			if !strings.HasPrefix(msg, Missing) || !strings.Contains(msg, filepath.Join(missing, "realworld")) || !strings.Contains(msg, EnvDir) {
				t.Errorf("message %q: want %q first, the folder looked for and %s", msg, Missing, EnvDir)
			}
			if tt.want == "log" && (!returned || ok) {
				t.Errorf("optional missing: returned %v, ok %v; want the test to go on without it", returned, ok)
			}
		})
	}
}
