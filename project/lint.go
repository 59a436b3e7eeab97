package project

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/lint"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/schema"
)

// LintConfig is a project's lint settings (ddlmig.json "lint_since",
// "lint_style" and "lint_disable", or the flags of the same names).
type LintConfig struct {
	// Style turns on the style rules (see lint.Config).
	Style bool
	// Since is the baseline: the migrations before this version are folded
	// (they shape the schema the later ones are judged on) but not linted,
	// so an existing project adopts the rules for its new files only.
	// 0 lints every migration.
	Since uint64
	// Disable lists the codes never reported.
	Disable []string
}

// Lint runs the lint rules on migrations, each against the schema the
// migrations before it fold to. With no files it lints every up migration
// of the folder from the baseline (LintConfig.Since) on; changedSince (a
// git ref) narrows that to the files git reports as changed or untracked
// since it. Files outside the folder are linted after all of it, as the
// next migration would be. A migration that does not fold is reported
// (kind "syntax"), and so are the findings of its statements that did.
func (p Project) LintFiles(files []string, changedSince string) ([]Finding, error) {
	if len(files) == 0 {
		var err error
		if files, err = p.lintTargets(changedSince); err != nil {
			return nil, err
		}
	}
	targets := map[string]bool{}
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		targets[abs] = true
	}
	out, foldErr, done, err := p.lintFolder(targets)
	if err != nil {
		return nil, err
	}
	out = append(out, foldErr...)
	l := lint.New(done, p.Lint.config())
	for _, name := range files {
		abs, _ := filepath.Abs(name)
		if !targets[abs] {
			continue // linted in its place in the folder
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		found, err := l.File(name, src)
		out = append(out, lintFindings(name, found)...)
		out = append(out, errFindings(err, name)...)
	}
	return out, nil
}

// lintFolder folds the folder's migrations, linting those in targets
// (which it removes from the map): the fold of the migrations before the
// first target comes from the fold cache. It returns the findings, the
// findings of fold errors apart (check reports those from its own fold),
// and the catalog the folder folds to (nil when it did not fold).
func (p Project) lintFolder(targets map[string]bool) (out, foldErrs []Finding, done *schema.Catalog, err error) {
	if _, err := os.Stat(p.Dir); err != nil {
		return nil, nil, nil, nil // no folder: only the files given
	}
	folder, err := migfile.Read(os.DirFS(p.Dir))
	if err != nil || len(folder.Problems) > 0 {
		return nil, nil, nil, err // check reports the problems; lint lints the files alone
	}
	migs := folder.Migrations
	first := len(migs)
	for i, m := range migs {
		if targets[absPath(p.Dir, m.Up)] {
			first = i
			break
		}
	}
	cat := schema.New()
	if first > 0 {
		var ferr error
		if cat, _, ferr = p.fold(os.DirFS(p.Dir), migs[:first]); ferr != nil {
			return nil, errFindings(ferr, p.Dir), nil, nil
		}
	}
	l := lint.New(cat, p.Lint.config())
	for _, m := range migs[first:] {
		name := filepath.Join(p.Dir, m.Up)
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, nil, err
		}
		abs := absPath(p.Dir, m.Up)
		if !targets[abs] {
			if err := l.Fold(name, src); err != nil {
				return out, errFindings(err, name), nil, nil
			}
			continue
		}
		delete(targets, abs)
		found, err := l.File(name, src)
		out = append(out, lintFindings(name, found)...)
		if err != nil {
			return out, errFindings(err, name), nil, nil
		}
	}
	return out, nil, l.Catalog(), nil
}

// lintAll lints the migrations from the baseline on, for check: hand-written
// files are gated as generated ones are. A migration that does not fold is
// left to check's own fold to report.
func (p Project) lintAll(migs []migfile.Migration) ([]Finding, error) {
	targets := map[string]bool{}
	for _, m := range migs {
		if m.Version >= p.Lint.Since {
			targets[absPath(p.Dir, m.Up)] = true
		}
	}
	if len(targets) == 0 {
		return nil, nil
	}
	path := p.lintCachePath(migs)
	// The rules apply enforces (migfile.Rules) report these two already,
	// in apply's words; check says what apply says.
	p.Lint.Disable = append(slices.Clip(p.Lint.Disable), lint.CodeTransactionNesting, lint.CodeConcurrentInTransaction)
	if out, ok := readLintCache(path); ok {
		return out, nil
	}
	out, _, _, err := p.lintFolder(targets)
	if err == nil {
		writeLintCache(path, out)
	}
	return out, err
}

// lintCacheVersion changes whenever the encoding of a lint cache entry or
// what lintAll reports changes without a change of the binary.
const lintCacheVersion = "ddlmig lint cache 1"

// lintCachePath returns the file that holds lintAll's findings for these
// migrations, or "" when the cache is off or cannot be used. check lints
// every up file against the fold of the files before it, which takes as
// long as a fold without its cache: between two generates nothing changed,
// so check repeats the last run's findings. The key covers what the
// findings depend on, as the fold cache's does: the binary, the folder's
// path, the lint settings and each up file's name and contents.
func (p Project) lintCachePath(migs []migfile.Migration) string {
	if os.Getenv(CacheEnv) == "off" {
		return ""
	}
	exe := executableID()
	root, err := os.UserCacheDir()
	if exe == "" || err != nil {
		return ""
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%#v\x00%s\x00%#v\x00%d\x00", lintCacheVersion, exe, foldOptions, dir, p.Lint, len(migs))
	for _, m := range migs {
		src, err := os.ReadFile(filepath.Join(p.Dir, m.Up))
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s\x00%x\x00", m.Up, sha256.Sum256(src))
	}
	return filepath.Join(root, "ddlmig", "lint", hex.EncodeToString(h.Sum(nil))+".json")
}

// readLintCache returns the findings stored at path; false when there are
// none or they cannot be read.
func readLintCache(path string) ([]Finding, bool) {
	if path == "" {
		return nil, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var out []Finding
	if json.Unmarshal(b, &out) != nil {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(path, now, now) // touched, so pruning keeps it
	return out, true
}

// writeLintCache stores out at path; errors are ignored: the next run
// lints again.
func writeLintCache(path string, out []Finding) {
	if path == "" {
		return
	}
	if b, err := json.Marshal(out); err == nil {
		storeCache(path, b)
	}
}

func (c LintConfig) config() lint.Config {
	return lint.Config{Style: c.Style, Disable: c.Disable}
}

func absPath(dir, name string) string {
	abs, _ := filepath.Abs(filepath.Join(dir, name))
	return abs
}

func lintFindings(name string, fs []lint.Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{File: name, Line: f.Pos.Line, Col: f.Pos.Col, Msg: f.Code + ": " + f.Msg, Kind: "lint"})
	}
	return out
}

// lintTargets lists the folder's up migrations from the baseline on, or
// those of them changed since ref.
func (p Project) lintTargets(ref string) ([]string, error) {
	if err := p.statFolder(); err != nil {
		return nil, err
	}
	folder, err := migfile.Read(os.DirFS(p.Dir))
	if err != nil {
		return nil, err
	}
	var changed map[string]bool
	if ref != "" {
		if changed, err = gitChanged(p.Dir, ref); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, m := range folder.Migrations {
		name := filepath.Join(p.Dir, m.Up)
		abs, _ := filepath.Abs(name)
		if m.Version >= p.Lint.Since && (changed == nil || changed[abs]) {
			out = append(out, name)
		}
	}
	return out, nil
}

// gitChanged returns the files under dir that differ from ref in the work
// tree, plus untracked ones, as paths relative to the working directory.
func gitChanged(dir, ref string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, args := range [][]string{
		{"diff", "--name-only", "--relative", ref, "--", dir},
		{"ls-files", "--others", "--exclude-standard", "--", dir},
	} {
		b, err := exec.Command("git", args...).Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return nil, &gitError{args: args, stderr: strings.TrimSpace(string(ee.Stderr))}
			}
			return nil, err
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l != "" {
				abs, _ := filepath.Abs(l)
				out[abs] = true
			}
		}
	}
	return out, nil
}

type gitError struct {
	args   []string
	stderr string
}

func (e *gitError) Error() string {
	return "git " + strings.Join(e.args, " ") + ": " + e.stderr
}
