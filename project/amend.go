package project

import (
	"errors"
	"fmt"
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

// Replace writes m in place of the pair old: old's files are removed, m
// written (see Write); if writing fails, old's files are put back.
func (m *Migration) Replace(dir string, old migfile.Migration) error {
	saved := map[string][]byte{}
	for _, f := range []string{old.Up, old.Down} {
		if f == "" {
			continue
		}
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
