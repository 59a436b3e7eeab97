package project

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// CheckStaged is Check on what the next commit holds: the versions of the
// schema file and of the migrations folder's files in the git index (git
// ls-files -s, git cat-file), not in the work tree. A pre-commit hook runs
// it, so that a staged file still carrying an unreviewed marker is refused
// even when the work tree's copy is fixed, and a fixed copy that is not
// staged does not let it through. The staged files are written to a
// folder of the git directory (see folder) and checked there; findings
// name the project's paths.
//
// During a merge, a conflicted file has no staged version, only its stages
// 1-3: that is an error naming the files, not a check of either side.
func (p Project) CheckStaged() ([]Finding, error) {
	idx, err := p.index()
	if err != nil {
		return nil, err
	}
	tmp, release, err := idx.folder()
	if err != nil {
		return nil, err
	}
	defer release()
	staged := Project{SchemaFile: filepath.Join(tmp.SchemaFile, filepath.Base(p.SchemaFile)), Dir: tmp.Dir, Lint: p.Lint, noFoldCache: tmp.noFoldCache}
	if err := idx.write(staged); err != nil {
		return nil, err
	}
	findings, err := staged.Check()
	back := strings.NewReplacer(staged.SchemaFile, p.SchemaFile, staged.Dir, p.Dir)
	if err != nil {
		return nil, errors.New(back.Replace(err.Error()))
	}
	for i := range findings {
		findings[i].File = back.Replace(findings[i].File)
		findings[i].Msg = back.Replace(findings[i].Msg)
	}
	return findings, nil
}

// stagedLockAge is how old a lock of the staged folder must be to be taken
// for one a killed run left behind.
const stagedLockAge = 10 * time.Minute

// folder returns where the staged files are written (SchemaFile is a
// folder there) and the function that removes them. It is the same folder
// in the git directory every time, so that the fold of unchanged staged
// migrations comes from the fold cache, whose key holds the folder's path;
// while another run holds it, a temporary folder is used, without the
// cache.
func (idx *index) folder() (Project, func(), error) {
	stable := filepath.Join(idx.gitDir, "ddlmig-staged")
	lock := stable + ".lock"
	if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > stagedLockAge {
		os.Remove(lock)
	}
	if os.Mkdir(lock, 0o755) == nil {
		os.RemoveAll(stable)
		release := func() { os.RemoveAll(stable); os.Remove(lock) }
		return Project{SchemaFile: filepath.Join(stable, "schema"), Dir: filepath.Join(stable, "migrations")}, release, nil
	}
	tmp, err := os.MkdirTemp("", "ddlmig-staged-")
	if err != nil {
		return Project{}, nil, err
	}
	release := func() { os.RemoveAll(tmp) }
	return Project{SchemaFile: filepath.Join(tmp, "schema"), Dir: filepath.Join(tmp, "migrations"), noFoldCache: true}, release, nil
}

// fold is Fold of p's folder, through the fold cache unless p says not to.
func (p Project) fold(fsys fs.FS, migs []migfile.Migration) (*schema.Catalog, []parser.Warning, error) {
	if !p.noFoldCache {
		return Fold(fsys, p.Dir, migs)
	}
	srcs := make([][]byte, len(migs))
	for i, m := range migs {
		src, err := fs.ReadFile(fsys, m.Up)
		if err != nil {
			return nil, nil, err
		}
		srcs[i] = src
	}
	return foldSources(p.Dir, migs, srcs)
}

// index is what the git index holds of a project.
type index struct {
	gitDir string // the repository's git directory, absolute
	git    func(stdin io.Reader, args ...string) ([]byte, error)
	schema indexEntry            // Object "" when the schema file is not staged
	files  map[string]indexEntry // the folder's files, by path within it
}

type indexEntry struct{ Mode, Object string }

// index reads the index entries of the schema file and the folder.
func (p Project) index() (*index, error) {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return nil, fmt.Errorf("check --staged reads the git index, and the working directory is not in a git work tree (%v)", gitErr(err))
	}
	root := strings.TrimSpace(string(top))
	schema, err := indexPath(root, p.SchemaFile)
	if err != nil {
		return nil, err
	}
	dir, err := indexPath(root, p.Dir)
	if err != nil {
		return nil, err
	}
	idx := &index{files: map[string]indexEntry{}, git: func(stdin io.Reader, args ...string) ([]byte, error) {
		cmd := exec.Command("git", append([]string{"-C", root, "--literal-pathspecs"}, args...)...)
		cmd.Stdin = stdin
		out, err := cmd.Output()
		return out, gitErr(err)
	}}
	gitDir, err := idx.git(nil, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return nil, fmt.Errorf("git rev-parse: %w", err)
	}
	idx.gitDir = strings.TrimSpace(string(gitDir))
	out, err := idx.git(nil, "ls-files", "--stage", "-z", "--", schema, dir)
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	var conflicts []string
	sumConflict := false
	for _, rec := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		// "<mode> <object> <stage>\t<path>"
		meta, name, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if len(f) != 3 {
			return nil, fmt.Errorf("git ls-files printed %q", rec)
		}
		if f[2] != "0" {
			conflicts = append(conflicts, p.shown(schema, dir, name))
			sumConflict = sumConflict || name == dir+"/"+migfile.SumFile
			continue
		}
		e := indexEntry{Mode: f[0], Object: f[1]}
		switch {
		case name == schema:
			idx.schema = e
		case strings.HasPrefix(name, dir+"/"):
			idx.files[strings.TrimPrefix(name, dir+"/")] = e
		}
	}
	if len(conflicts) > 0 {
		slices.Sort(conflicts)
		conflicts = slices.Compact(conflicts)
		way := "resolve each, git add it, and commit again"
		if sumConflict { // both branches added migrations
			way = "resolve the schema file's conflicts, run ddlmig renumber (it rewrites " + migfile.SumFile + "), git add, and commit again"
		}
		return nil, fmt.Errorf("the git index holds unresolved merge conflicts in %s: a conflicted file has no staged version to check; %s", strings.Join(conflicts, ", "), way)
	}
	if idx.schema.Object == "" {
		return nil, fmt.Errorf("%s is not in the git index, so the commit would not hold it: git add it (check --staged checks what the next commit holds)", p.SchemaFile)
	}
	return idx, nil
}

// shown is an index path as the user names it: under the project's paths.
func (p Project) shown(schema, dir, name string) string {
	if name == schema {
		return p.SchemaFile
	}
	if rest, ok := strings.CutPrefix(name, dir+"/"); ok {
		return filepath.Join(p.Dir, filepath.FromSlash(rest))
	}
	return name
}

// indexPath is file's path as the index names it: relative to the work
// tree's root, with slashes.
func indexPath(root, file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	// The root git prints has its symbolic links resolved; so must abs,
	// as far as it exists (a deleted file's folder still does).
	dir, base := abs, ""
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			abs = filepath.Join(real, base)
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		base = filepath.Join(filepath.Base(dir), base)
		dir = parent
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the git work tree %s: check --staged reads only that repository's index", file, root)
	}
	return filepath.ToSlash(rel), nil
}

// write writes the staged files into p's paths.
func (idx *index) write(p Project) error {
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return err
	}
	names := []string{""}
	for name := range idx.files {
		names = append(names, name)
	}
	slices.Sort(names[1:])
	entries := make([]indexEntry, len(names))
	entries[0] = idx.schema
	var objects bytes.Buffer
	for i, name := range names {
		if i > 0 {
			entries[i] = idx.files[name]
		}
		if e := entries[i]; e.Mode != "100644" && e.Mode != "100755" {
			what := p.SchemaFile
			if i > 0 {
				what = name
			}
			return fmt.Errorf("%s is staged as mode %s, not as a file: check --staged reads files only", what, e.Mode)
		}
		objects.WriteString(entries[i].Object + "\n")
	}
	out, err := idx.git(&objects, "cat-file", "--batch")
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	for i, name := range names {
		data, err := readBlob(r)
		if err != nil {
			return fmt.Errorf("git cat-file: %w", err)
		}
		dest := p.SchemaFile
		if i > 0 {
			dest = filepath.Join(p.Dir, filepath.FromSlash(path.Clean(name)))
		}
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dest, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readBlob reads one "<object> blob <size>\n<data>\n" of git cat-file --batch.
func readBlob(r *bufio.Reader) ([]byte, error) {
	header, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 || f[1] != "blob" {
		return nil, fmt.Errorf("unexpected %q", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, err
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, err
	}
	return data[:size], nil
}

// gitErr is err with git's own message, when it said one.
func gitErr(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(bytes.TrimSpace(ee.Stderr)) > 0 {
		return errors.New(strings.TrimSpace(string(ee.Stderr)))
	}
	return err
}
