package project

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Finding is one problem `ddlmig check` reports. It prints as
// "file:line:col: message" (line and col omitted when 0) so editors and CI
// annotators can jump to it.
type Finding struct {
	File string
	Line int
	Col  int // 0 when only the line is known
	Msg  string
	// Kind says what the finding is about, for machine-readable output:
	// "folder" (a misnamed, missing or duplicate file), "unreviewed" (a
	// review marker; Msg starts "unreviewed CODE:"), "rule" (a rule apply
	// enforces), "syntax" (a file that does not parse), "rename" (a rename
	// comment of the schema file), "pending" (schema changes no migration
	// holds), "plan" (the changes cannot be planned) or "sum" (the sum
	// file and the folder differ, see sum.go).
	Kind string
	// Note is true for what is worth saying but fails nothing: a rename
	// comment in the schema file that a migration already holds.
	Note bool
}

// String prints the finding on one line: control characters in the file
// name or the message (a table named with an escape sequence or a newline)
// are escaped (see migfile.Escape).
func (f Finding) String() string {
	s := f.File + ": " + f.Msg
	switch {
	case f.Line > 0 && f.Col > 0:
		s = fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Col, f.Msg)
	case f.Line > 0:
		s = fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg)
	}
	return migfile.Escape(s)
}

// Check finds everything that must be fixed before the project's migrations
// can be committed: a malformed folder, unreviewed hazards, migrations that
// do not parse, and schema changes that no migration holds yet; and notes
// (Finding.Note) that fail nothing. It needs no database. An error is
// returned only when the check itself cannot run.
func (p Project) Check() ([]Finding, error) {
	if err := p.statFolder(); err != nil {
		return nil, err
	}
	fsys := os.DirFS(p.Dir)
	folder, err := migfile.Read(fsys)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, pr := range append(folder.Problems, folder.Gaps()...) {
		out = append(out, Finding{File: filepath.Join(p.Dir, pr.File), Msg: pr.Msg, Kind: "folder"})
	}
	sums, err := p.sumFindings(fsys)
	if err != nil {
		return nil, err
	}
	out = append(out, sums...)
	for _, m := range folder.Migrations {
		for _, name := range []string{m.Up, m.Down} {
			if name == "" {
				continue
			}
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			file := filepath.Join(p.Dir, name)
			for _, mk := range migfile.Unreviewed(src) {
				out = append(out, Finding{File: file, Line: mk.Line, Msg: "unreviewed " + mk.Text, Kind: "unreviewed"})
			}
			// The rules apply and down enforce before running a file.
			for _, pr := range rulesCached(name, src) {
				out = append(out, Finding{File: file, Line: pr.Line, Col: pr.Col, Msg: pr.Msg, Kind: "rule"})
			}
			if name == m.Down && migfile.TextProblem(name, src) == nil {
				// Up files are folded below; a down file is only run, so
				// its syntax is checked here, not at the next rollback.
				out = append(out, errFindings(parser.CheckSyntax(file, src), file)...)
			}
		}
	}
	if len(folder.Problems) > 0 {
		return out, nil // folding a malformed folder would report nonsense
	}
	lintOut, err := p.lintAll(folder.Migrations)
	if err != nil {
		return nil, err
	}
	out = append(out, lintOut...)
	// The schema file and the folder are parsed concurrently, as in Load.
	var (
		desired *schema.Catalog
		src     *sqltext.Spliced
		serr    error
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		desired, src, _, serr = p.loadSchema()
	}()
	current, _, ferr := p.fold(fsys, folder.Migrations)
	wg.Wait()
	for _, f := range errFindings(ferr, p.Dir) {
		if !slices.ContainsFunc(out, func(o Finding) bool { // a file that is not text is a rule too
			return o.File == f.File && o.Line == f.Line && o.Col == f.Col && o.Msg == f.Msg
		}) {
			out = append(out, f)
		}
	}
	out = append(out, errFindings(serr, p.SchemaFile)...)
	if ferr != nil || serr != nil {
		return out, nil
	}
	if _, err := adoptUnmanaged(current, desired, src.Text()); err != nil {
		return append(out, Finding{File: p.SchemaFile, Msg: err.Error(), Kind: "plan"}), nil
	}
	renames, notes, err := renamesIn(src, current, desired)
	if err != nil {
		fs := errFindings(err, p.SchemaFile)
		for i := range fs {
			fs[i].Kind = "rename"
		}
		return append(out, fs...), nil
	}
	out = append(out, notes...)
	plan, err := planner.Diff(current, desired, planner.Options{Renames: renames})
	if err != nil {
		out = append(out, Finding{File: p.SchemaFile, Msg: err.Error(), Kind: "plan"})
	} else if n := len(plan.Changes); n > 0 {
		what := fmt.Sprintf("%d changes", n)
		if n == 1 {
			what = "1 change"
		}
		out = append(out, Finding{File: p.SchemaFile, Msg: what + " that no migration holds yet: run ddlmig generate", Kind: "pending"})
	}
	return out, nil
}

// errFindings turns a parse error into findings, one per positioned error;
// an error without a position (the file cannot be read) is file's.
func errFindings(err error, file string) []Finding {
	if err == nil {
		return nil
	}
	var list schema.ErrorList
	if errors.As(err, &list) {
		out := make([]Finding, 0, len(list))
		for _, e := range list {
			out = append(out, posFinding(e))
		}
		return out
	}
	var e *schema.Error
	if errors.As(err, &e) {
		return []Finding{posFinding(e)}
	}
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Op + ": " + pe.Err.Error() // the path is the finding's file
	}
	return []Finding{{File: file, Msg: msg, Kind: "syntax"}}
}

func posFinding(e *schema.Error) Finding {
	return Finding{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col, Msg: strings.TrimSpace(e.Msg), Kind: "syntax"}
}

// rulesCacheMin is the size from which check remembers that a file keeps
// migfile.Rules: a generated migration of thousands of tables holds batch
// markers, and placing them takes a split of the whole file (0.1-0.3 s for
// 7 MB), on every check between two generates.
const rulesCacheMin = 256 << 10

// rulesCached is migfile.Rules, remembering in the user cache directory the
// large files that keep every rule (by their contents and the ddlmig
// binary, as the fold cache; DDLMIG_CACHE=off disables it). A file that
// breaks a rule is checked every time.
func rulesCached(name string, src []byte) []migfile.Problem {
	path := rulesCachePath(src)
	if path != "" {
		now := time.Now()
		if os.Chtimes(path, now, now) == nil { // touched, so pruning keeps it
			return nil
		}
	}
	ps := migfile.Rules(name, src)
	if len(ps) == 0 && path != "" {
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			if f, err := os.Create(path); err == nil {
				f.Close()
				pruneCache(filepath.Dir(path), ".ok")
			}
		}
	}
	return ps
}

// rulesCachePath returns the file whose existence says that src keeps the
// rules, or "" when the cache is off, cannot be used or src is small.
func rulesCachePath(src []byte) string {
	if len(src) < rulesCacheMin || os.Getenv(CacheEnv) == "off" {
		return ""
	}
	exe := executableID()
	root, err := os.UserCacheDir()
	if exe == "" || err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "ddlmig rules 1\x00%s\x00", exe)
	h.Write(src)
	return filepath.Join(root, "ddlmig", "rules", hex.EncodeToString(h.Sum(nil))+".ok")
}
