package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/schema"
)

// ReadSchema reads the schema as psql would run it: the files named (a
// folder stands for every *.sql file under it, in lexical order of their
// paths), one after the other, with psql's \i, \include (relative to the
// current directory, as psql takes them), \ir and \include_relative
// (relative to the including file) followed where they stand. The result
// is one text to parse, mapped back to the files, so that every position
// names the file and line a person opens. Every command that reads
// schema.sql reads it here.
//
// A file that another file includes is read only where it is included,
// also when it lies in a folder named. The other psql meta-commands are
// refused at their file:line:col, but for those that change nothing ddlmig
// models (noMeta), which are blanked.
func ReadSchema(paths []string) (*sqltext.Spliced, error) {
	r := &schemaReader{sp: sqltext.NewSpliced()}
	var files []string
	for _, p := range paths {
		fs, err := expandSchemaPath(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	if len(files) > 1 {
		r.several = true
		r.included = r.includedFiles(files)
	}
	for _, f := range files {
		if abs, err := filepath.Abs(f); err == nil && r.included[abs] {
			continue
		}
		if len(r.sp.Files()) > 0 {
			// psql runs each file on its own: a statement a file leaves
			// unterminated ends with it.
			last := r.sp.Files()[len(r.sp.Files())-1]
			text, _ := r.sp.FileText(last)
			r.sp.Separate("\n;\n", last, len(text))
		}
		if err := r.file(f, nil); err != nil {
			return nil, err
		}
	}
	if len(r.errs) > 0 {
		r.errs.Sort()
		return nil, r.errs
	}
	return r.sp, nil
}

// expandSchemaPath lists the *.sql files under a folder in lexical order
// of their paths; a file is itself.
func expandSchemaPath(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{p}, nil
	}
	var out []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".sql") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(filepath.ToSlash(a), filepath.ToSlash(b)) })
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: the folder holds no *.sql file", p)
	}
	return out, nil
}

// schemaReader is one ReadSchema in progress.
type schemaReader struct {
	sp       *sqltext.Spliced
	errs     schema.ErrorList
	included map[string]bool // absolute paths of files some file includes
	several  bool            // more than one file named: each must end cleanly
}

// inclusion is a file on the way to the one being read: its name and the
// \i line that includes the next.
type inclusion struct {
	file string
	abs  string
	at   schema.Pos
}

// file splices in one file and, recursively, what it includes. stack is
// the chain of includes that led to it (for cycles).
func (r *schemaReader) file(name string, stack []inclusion) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := textError(name, src); err != nil {
		return err
	}
	text := string(src)
	sc := sqltext.Scan(text)
	text = sqltext.Blank(text, sc.Meta)
	r.sp.AddFile(name, text)
	pos := func(off int) schema.Pos {
		line, col := sqltext.LineCol(text, off)
		return schema.Pos{File: name, Line: line, Col: col}
	}
	if sc.Open >= 0 && (r.several || len(stack) > 0 || hasInclude(sc.Meta)) {
		r.errs.Add(pos(sc.Open), "unterminated %s at the end of the file (psql runs each file on its own)", sc.Unclosed)
		return nil
	}
	abs, _ := filepath.Abs(name)
	cur := 0
	for _, m := range sc.Meta {
		kind, ok := metaKinds[m.Name]
		switch {
		case !ok && !noOpSet(m):
			r.errs.Add(pos(m.Start), "psql meta-command \\%s is not supported in a schema file: ddlmig follows \\i, \\ir, \\include and \\include_relative and ignores %s; remove the line or run it outside the schema", m.Name, noMetaList)
			continue
		case kind != include && kind != includeRelative:
			continue
		}
		target, ok := includeArg(m.Args)
		if !ok {
			r.errs.Add(pos(m.Start), "\\%s needs a file name", m.Name)
			continue
		}
		if kind == includeRelative && !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(name), target)
		}
		here := append(slices.Clip(stack), inclusion{file: name, abs: abs, at: pos(m.Start)})
		if err := r.include(target, m, here); err != nil {
			r.errs.Add(pos(m.Start), "\\%s %s: %v", m.Name, m.Args, err)
			continue
		}
		r.sp.Copy(name, cur, m.End)
		r.sp.Separate("\n;\n", name, m.Start)
		if err := r.file(target, here); err != nil {
			var se *schema.Error
			if errors.As(err, &se) {
				r.errs = append(r.errs, se)
			} else {
				r.errs.Add(pos(m.Start), "\\%s %s: %v", m.Name, m.Args, err)
			}
		}
		r.sp.Separate("\n;\n", target, len(r.fileText(target)))
		cur = m.End
	}
	r.sp.Copy(name, cur, len(text))
	return nil
}

// fileText is the text of a file spliced in.
func (r *schemaReader) fileText(name string) string {
	text, _ := r.sp.FileText(name)
	return text
}

// include checks that target can be included from the chain here: it
// exists and is not one of the files on the way to it.
func (r *schemaReader) include(target string, m sqltext.MetaCommand, here []inclusion) error {
	abs, err := filepath.Abs(target)
	if err != nil {
		return err
	}
	for i, in := range here {
		if in.abs == abs {
			var chain []string
			for _, c := range here[i:] {
				chain = append(chain, c.at.String())
			}
			return fmt.Errorf("include cycle: %s includes %s again (%s)", here[len(here)-1].file, target, strings.Join(chain, " -> "))
		}
	}
	if fi, err := os.Stat(target); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no such file")
		}
		return err
	} else if fi.IsDir() {
		return fmt.Errorf("is a directory (\\%s takes a file; --schema takes folders)", m.Name)
	}
	return nil
}

// includedFiles returns the absolute paths of the files the given files
// include, directly or not. Problems are left for the reading to report.
func (r *schemaReader) includedFiles(files []string) map[string]bool {
	out := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		src, err := os.ReadFile(name)
		if err != nil {
			return
		}
		for _, m := range sqltext.Scan(string(src)).Meta {
			kind := metaKinds[m.Name]
			target, ok := includeArg(m.Args)
			if !ok || (kind != include && kind != includeRelative) {
				continue
			}
			if kind == includeRelative && !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(name), target)
			}
			if abs, err := filepath.Abs(target); err == nil && !out[abs] {
				out[abs] = true
				visit(target)
			}
		}
	}
	for _, f := range files {
		visit(f)
	}
	return out
}

// metaKind is what ddlmig does with a psql meta-command.
type metaKind int

const (
	noOp metaKind = iota + 1
	include
	includeRelative
)

// metaKinds are the meta-commands ddlmig reads: the includes, and those
// that change nothing ddlmig models (pg_dump's \restrict and \unrestrict,
// output), which it ignores. \set is a no-op only for the variables of
// noOpVars (see noOpSet).
var metaKinds = map[string]metaKind{
	"i": include, "include": include,
	"ir": includeRelative, "include_relative": includeRelative,
	"restrict": noOp, "unrestrict": noOp,
	"echo": noOp, "qecho": noOp, "warn": noOp,
}

// noOpVars are the psql variables that change only what psql prints or
// whether it stops at the first error (ddlmig always does).
var noOpVars = []string{"ON_ERROR_STOP", "ECHO", "ECHO_HIDDEN", "QUIET", "VERBOSITY", "SHOW_CONTEXT"}

// noMetaList names the no-ops for messages.
const noMetaList = "\\restrict, \\unrestrict, \\echo, \\qecho, \\warn and \\set of ON_ERROR_STOP, ECHO, ECHO_HIDDEN, QUIET, VERBOSITY or SHOW_CONTEXT"

// noOpSet reports whether m sets one of noOpVars.
func noOpSet(m sqltext.MetaCommand) bool {
	if m.Name != "set" {
		return false
	}
	v, _, _ := strings.Cut(m.Args, " ")
	return slices.Contains(noOpVars, v)
}

// hasInclude reports whether a file includes another.
func hasInclude(meta []sqltext.MetaCommand) bool {
	for _, m := range meta {
		if k := metaKinds[m.Name]; k == include || k == includeRelative {
			return true
		}
	}
	return false
}

// includeArg reads the file name of an include as psql does: the first
// word, or a 'quoted' name (” standing for a quote).
func includeArg(args string) (string, bool) {
	if args == "" {
		return "", false
	}
	if args[0] != '\'' {
		name, _, _ := strings.Cut(strings.ReplaceAll(args, "\t", " "), " ")
		return name, true
	}
	var b strings.Builder
	for i := 1; i < len(args); i++ {
		switch {
		case args[i] == '\'' && i+1 < len(args) && args[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case args[i] == '\'':
			return b.String(), b.Len() > 0
		default:
			b.WriteByte(args[i])
		}
	}
	return "", false
}
