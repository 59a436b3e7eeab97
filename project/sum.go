package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ddlmig/ddlmig/migfile"
)

// The sum file (migfile.SumFile) records every migration file's hash as
// generate left it. Check compares it with the folder, so that a hand edit
// after generate is seen by a reviewer once (ddlmig sum records it), and
// its first line makes two branches that each add a migration conflict in
// git. A project without one keeps working: check notes how to create it.

// sumPath is the sum file's path.
func (p Project) sumPath() string { return filepath.Join(p.Dir, migfile.SumFile) }

// WriteSum rewrites the sum file from the folder as it is now (ddlmig sum,
// after a reviewed hand edit) and returns how many files it records.
func (p Project) WriteSum() (int, error) {
	if err := p.statFolder(); err != nil {
		return 0, err
	}
	s, err := migfile.SumOf(os.DirFS(p.Dir))
	if err != nil {
		return 0, err
	}
	return len(s.Files), writeFileAtomic(p.sumPath(), s.Bytes())
}

// SumReady returns an error when generate must not write: the sum file
// holds merge conflict markers, or cannot be read. Missing is fine.
func (p Project) SumReady() error {
	if p.statFolder() != nil {
		return nil // the command's own reading of the folder says what is wrong
	}
	_, err := p.readSum()
	return err
}

// readSum reads the sum file; nil without one.
func (p Project) readSum() (*migfile.Sum, error) {
	b, err := os.ReadFile(p.sumPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s, err := migfile.ParseSum(b)
	if errors.Is(err, migfile.ErrSumConflict) {
		return nil, fmt.Errorf("%s holds git merge conflict markers (two branches added migrations): run ddlmig renumber first, which moves this branch's migrations after the other branch's and rewrites it", p.sumPath())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: run ddlmig sum to rewrite it", p.sumPath(), err)
	}
	return &s, nil
}

// RecordSum updates the sum file for the files generate removed and wrote
// (names within the folder); the other files keep the hash recorded, so
// that a hand edit stays visible to check. Without a sum file, it creates
// one recording the whole folder.
func (p Project) RecordSum(removed, written []string) error {
	old, err := p.readSum()
	if err != nil {
		return err
	}
	if old == nil {
		_, err := p.WriteSum()
		return err
	}
	for _, f := range removed {
		delete(old.Files, f)
	}
	for _, f := range written {
		b, err := os.ReadFile(filepath.Join(p.Dir, f))
		if err != nil {
			return err
		}
		old.Files[f] = migfile.FileHash(b)
	}
	return writeFileAtomic(p.sumPath(), old.Bytes())
}

// sumFindings compares the sum file with the folder for check.
func (p Project) sumFindings(fsys fs.FS) ([]Finding, error) {
	b, err := fs.ReadFile(fsys, migfile.SumFile)
	if errors.Is(err, fs.ErrNotExist) {
		if inGit, _ := gitWorkTree(p.Dir); !inGit {
			return nil, nil // the sum file is for git merges: say nothing outside git
		}
		return []Finding{{File: p.sumPath(), Kind: "sum", Note: true,
			Msg: "does not exist: run ddlmig sum to create it (generate then keeps it), so that two branches that each add a migration conflict in git when merged"}}, nil
	}
	if err != nil {
		return nil, err
	}
	now, err := migfile.SumOf(fsys)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, pr := range migfile.SumProblems(b, now) {
		out = append(out, Finding{File: filepath.Join(p.Dir, pr.File), Line: pr.Line, Msg: pr.Msg, Kind: "sum"})
	}
	return out, nil
}

// writeFileAtomic writes b to path through a temporary file in its folder
// (see writeTemp), so a reader never sees half a file.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := writeTemp(filepath.Dir(path), filepath.Base(path), string(b))
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
