package project

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ddlmig/ddlmig/lint"
	"github.com/ddlmig/ddlmig/migfile"
)

// Lint runs the lint rules on migrations, so hand-written files are gated as
// generated ones are. With no files it lints every up migration in the
// folder; changedSince (a git ref) narrows that to the files git reports as
// changed or untracked since it.
func (p Project) Lint(files []string, changedSince string) ([]Finding, error) {
	if len(files) == 0 {
		var err error
		if files, err = p.lintTargets(changedSince); err != nil {
			return nil, err
		}
	}
	var out []Finding
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fs, err := lint.File(src)
		if err != nil {
			out = append(out, Finding{File: name, Msg: err.Error(), Kind: "syntax"})
			continue
		}
		for _, f := range fs {
			out = append(out, Finding{File: name, Line: f.Line, Col: f.Col, Msg: f.Code + ": " + f.Msg, Kind: "lint"})
		}
	}
	return out, nil
}

// lintTargets lists the folder's up migrations, or those changed since ref.
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
		if changed == nil || changed[abs] {
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
