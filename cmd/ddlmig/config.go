package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/ddlmig/ddlmig/project"
)

// The config file (project.ConfigFile) is JSON because kong reads it as
// flag values with no new dependency (kong.JSON, a configuration resolver:
// a key is a flag's name in snake case); kong's YAML resolver has no
// licence.

// configKeys are the keys a config file may hold: the flags a project
// shares, and databaseURLEnv. Any other key is refused, so that a
// misspelt one is not ignored silently.
var configKeys = []string{"schema", "dir", "table", databaseURLEnv, "online",
	"lock_timeout", "statement_timeout", "statement_lock_timeout", "lock_retries", "lock_mode", "lock_ttl",
	"lint_since", "lint_style", "lint_disable"}

// databaseURLEnv names the variable the database URL is read from, for a
// project whose URL is not in DATABASE_URL.
const databaseURLEnv = "database_url_env"

// found is the project run found by walking up from the working
// directory, for init (which must not nest a project in another) and for
// the messages that name where things come from.
type found struct {
	project.Root
	wd string
	// urlEnv is the variable the database URL is read from: DATABASE_URL,
	// or the one the config file names.
	urlEnv string
	// resolved are the flags the project supplied (from the config file or
	// as the root's defaults), not the user.
	resolved map[string]bool
}

// discover finds the project around the working directory and returns
// the kong options that make its config file and root the flags'
// defaults: flags and environment variables still win.
func discover(f *found) []kong.Option {
	f.urlEnv, f.resolved = "DATABASE_URL", map[string]bool{}
	wd, err := os.Getwd()
	if err != nil {
		return nil // no root: paths are the user's, as typed
	}
	f.wd, f.Root = wd, project.FindRoot(wd)
	switch {
	case f.Config != "":
		// kong skips a config file it may not read; ddlmig says so.
		fh, err := os.Open(f.Config)
		if err != nil {
			return []kong.Option{kong.Resolvers(&configResolver{f: f, err: err})}
		}
		fh.Close()
		return []kong.Option{kong.Configuration(f.load, f.rel(f.Config))}
	case f.Dir != "":
		return []kong.Option{kong.Resolvers(&configResolver{f: f})}
	}
	return nil
}

// rel is path as the user sees it from the working directory.
func (f *found) rel(path string) string {
	if r, err := filepath.Rel(f.wd, path); err == nil {
		return r
	}
	return path
}

// load is the kong.ConfigurationLoader of the config file. A file it
// cannot use is an error when the command line is validated, after
// --help and --version had their say.
func (f *found) load(r io.Reader) (kong.Resolver, error) {
	res, err := f.parse(r)
	if err != nil {
		return &configResolver{f: f, err: fmt.Errorf("%s: %w", f.rel(f.Config), err)}, nil
	}
	return res, nil
}

// parse reads the config file: a JSON object of configKeys.
func (f *found) parse(r io.Reader) (kong.Resolver, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var values map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&values); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(configKeys, k) {
			return nil, fmt.Errorf("unknown key %q (the keys are %s)", k, strings.Join(configKeys, ", "))
		}
		if s, ok := values[k].(string); (k == "dir" || k == databaseURLEnv) && (!ok || s == "") {
			return nil, fmt.Errorf("%q must be a non-empty string", k)
		}
		if _, ok := configPaths(values[k]); k == "schema" && !ok {
			return nil, fmt.Errorf("%q must be a path or a list of paths (files or folders of *.sql files)", k)
		}
		if _, ok := values[k].(bool); k == "online" && !ok {
			return nil, fmt.Errorf("%q must be true or false", k)
		}
	}
	if env, ok := values[databaseURLEnv].(string); ok {
		f.urlEnv = env
	}
	inner, err := kong.JSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return &configResolver{f: f, values: values, inner: inner}, nil
}

// configResolver gives the flags the project's values: the config file's
// (none for a root found by its migrations folder), with the schema file
// and the migrations folder relative to the root, printed relative to the
// working directory.
type configResolver struct {
	f      *found
	values map[string]any
	inner  kong.Resolver
	err    error // the config file cannot be used
}

func (r *configResolver) Validate(*kong.Application) error { return r.err }

func (r *configResolver) Resolve(ctx *kong.Context, parent *kong.Path, flag *kong.Flag) (any, error) {
	if r.err != nil {
		return nil, nil // Validate reports it
	}
	if flag.Name == "database-url" && r.f.urlEnv != "DATABASE_URL" {
		// The project names its own variable: DATABASE_URL may well be
		// another application's database, so it is not read.
		r.f.resolved[flag.Name] = true
		return os.Getenv(r.f.urlEnv), nil
	}
	for _, env := range flag.Envs {
		if _, ok := os.LookupEnv(env); ok {
			return nil, nil // the environment wins over the config file
		}
	}
	switch flag.Name {
	case "schema", "dir":
		paths := []string{map[string]string{"schema": project.DefaultSchema, "dir": project.DefaultDir}[flag.Name]}
		if v, ok := configPaths(r.values[flag.Name]); ok {
			paths = v
		}
		out := make([]any, len(paths)) // kong takes a list for --schema, which repeats
		for i, path := range paths {
			if !filepath.IsAbs(path) {
				path = filepath.Join(r.f.Dir, filepath.FromSlash(path))
			}
			out[i] = r.f.rel(path)
		}
		r.f.resolved[flag.Name] = true
		if flag.Name == "dir" {
			return out[0], nil
		}
		return out, nil
	}
	if r.inner == nil {
		return nil, nil
	}
	v, err := r.inner.Resolve(ctx, parent, flag)
	if v != nil {
		r.f.resolved[flag.Name] = true
	}
	return v, err
}

// noDatabase is the error of a command that needs a database and was given
// none: it names the variable the URL is read from.
func (g *Globals) noDatabase() error {
	msg := "no database: pass --database-url or set DATABASE_URL"
	if f := g.Found; f != nil && f.urlEnv != "" && f.urlEnv != "DATABASE_URL" {
		msg = fmt.Sprintf("no database: pass --database-url or set %s (%s names it; DATABASE_URL is not read)", f.urlEnv, f.rel(f.Config))
	}
	return &exitCodeError{exitUsage, errors.New(msg)}
}

// fromProject reports whether flag's value came from the project (its
// config file or its root), not from the command line or the environment.
func (g *Globals) fromProject(flag string) bool {
	return g.Found != nil && g.Found.resolved[flag]
}

// configPaths reads a config value that holds one path or a list of them
// (the schema's files and folders); ok is false for anything else,
// including an empty path or list.
func configPaths(v any) (paths []string, ok bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, v != ""
	case []any:
		for _, e := range v {
			s, isStr := e.(string)
			if !isStr || s == "" {
				return nil, false
			}
			paths = append(paths, s)
		}
		return paths, len(paths) > 0
	}
	return nil, false
}
