package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/render"
)

// Amendable says whether generate --amend may replace the pair m, the
// newest of the folder, and returns an error saying why not otherwise.
// ddlmig cannot know without a database whether a pair was applied; it
// takes "not shared yet" instead:
//
//   - in a git work tree, neither file is in the HEAD commit (untracked,
//     or staged but not committed);
//   - outside git, both files are byte for byte as generate wrote them
//     (their -- ddlmig:sum line matches, see migfile.Untouched).
//
// A pair applied to a database and then amended is caught by apply, which
// refuses an applied migration whose file changed.
//
// A pair written by generate --empty is never replaced: what a person wrote
// in it would be lost.
func (p Project) Amendable(m migfile.Migration) error {
	files := []string{m.Up, m.Down}
	up, err := os.ReadFile(filepath.Join(p.Dir, m.Up))
	if err != nil {
		return err
	}
	if strings.Contains(string(up), "\n"+render.BlankGenerator+".\n") || strings.HasPrefix(string(up), render.BlankGenerator+".\n") {
		return fmt.Errorf("%s was written by generate --empty, to be filled in by hand: --amend would replace what you wrote; run generate without --amend", filepath.Join(p.Dir, m.Up))
	}
	inGit, err := gitWorkTree(p.Dir)
	if err != nil {
		return err
	}
	if inGit {
		for _, f := range files {
			if f != "" && gitCommitted(p.Dir, f) {
				return fmt.Errorf("--amend replaces only a migration that is not committed yet, and %s is in git's HEAD commit: run generate without --amend to write the next migration", filepath.Join(p.Dir, f))
			}
		}
		return nil
	}
	for _, f := range files {
		if f == "" {
			continue
		}
		path := filepath.Join(p.Dir, f)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !migfile.Untouched(b) {
			return fmt.Errorf("--amend replaces only a migration as generate wrote it (outside git, its %s line must match), and %s was edited: delete the pair by hand if it was never applied, then run generate", migfile.SumMarker, path)
		}
	}
	return nil
}

// gitWorkTree reports whether dir is inside a git work tree. Without git
// on PATH it is not.
func gitWorkTree(dir string) (bool, error) {
	cmd := exec.Command("git", "-C", dir, "rev-parse", "--is-inside-work-tree")
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.As(err, &ee):
		return false, nil
	case err != nil:
		return false, err
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// gitCommitted reports whether file, in dir, is in the HEAD commit (false
// in a repository without commits).
func gitCommitted(dir, file string) bool {
	return exec.Command("git", "-C", dir, "cat-file", "-e", "HEAD:./"+file).Run() == nil
}

// Replace writes m in place of the pairs old: old's files are removed, m
// written (see Write); if writing fails, old's files are put back.
func (m *Migration) Replace(dir string, old []migfile.Migration) error {
	saved := map[string][]byte{}
	for _, f := range files(old) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		saved[f] = b
	}
	for f := range saved {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			restore(dir, saved)
			return err
		}
	}
	if m == nil {
		return nil
	}
	if err := m.Write(dir); err != nil {
		restore(dir, saved)
		return err
	}
	return nil
}

// restore writes back the files Replace removed.
func restore(dir string, saved map[string][]byte) {
	for f, b := range saved {
		path := filepath.Join(dir, f)
		if _, err := os.Lstat(path); err != nil {
			os.WriteFile(path, b, 0o644)
		}
	}
}

// files are the names of the files of pairs, up and down of each, leaving
// out a missing down.
func files(pairs []migfile.Migration) []string {
	var fs []string
	for _, m := range pairs {
		fs = append(fs, m.Up)
		if m.Down != "" {
			fs = append(fs, m.Down)
		}
	}
	return fs
}

// runLength returns how many of migs, counted from the newest, one
// generate wrote as consecutive migrations of a run (render.StepMarker
// "K of N" in each up file's header): 1 for a pair of its own. A run whose
// files no longer read 1 of N to N of N is an error: --amend would
// replace part of it.
func runLength(fsys fs.FS, migs []migfile.Migration) (int, error) {
	last := migs[len(migs)-1]
	k, n, err := stepOf(fsys, last.Up)
	if err != nil || n == 0 {
		return 1, err
	}
	if k != n || n > len(migs) {
		return 0, fmt.Errorf("%s is migration %d of %d of one generate run, whose other files are missing: --amend replaces a whole run; delete its files by hand if they were never applied", last.Up, k, n)
	}
	for i := 1; i < n; i++ {
		m := migs[len(migs)-n+i-1]
		if j, nn, err := stepOf(fsys, m.Up); err != nil || j != i || nn != n {
			return 0, fmt.Errorf("%s is migration %d of %d of one generate run, but %s is not migration %d of %d: --amend replaces a whole run; delete its files by hand if they were never applied", last.Up, n, n, m.Up, i, n)
		}
	}
	return n, nil
}

// stepOf reads the "K of N" of render.StepMarker in the header (the
// leading comment lines) of file; 0, 0 when there is none.
func stepOf(fsys fs.FS, file string) (k, n int, err error) {
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "--") {
			break
		}
		if rest, ok := strings.CutPrefix(line, render.StepMarker+" "); ok {
			if _, err := fmt.Sscanf(rest, "%d of %d", &k, &n); err == nil && k >= 1 && k <= n {
				return k, n, nil
			}
		}
	}
	return 0, 0, nil
}
