package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/project"
)

// InitCmd starts a project in the working directory: the config file that
// marks its root, a starter schema file and the migrations folder.
type InitCmd struct {
	Here bool `help:"Start a project here even inside another project (a second service in a monorepo)."`
}

// starterSchema is the schema file init writes when there is none: all
// comments, so the first generate says "no changes" until tables are
// declared.
const starterSchema = `-- The schema you want, as CREATE statements: ddlmig generate writes the
-- migration from the schema your migrations build to this one.
-- For example (remove the leading "-- "):
--
-- CREATE TABLE users (
--     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
--     email text NOT NULL UNIQUE,
--     created_at timestamptz NOT NULL DEFAULT now()
-- );
`

func (c *InitCmd) Run(g *Globals) error {
	f := g.Found
	if f == nil { // not run through run: find the project now
		f = &found{}
		discover(f)
	}
	if f.wd == "" {
		return errors.New("init: cannot tell the working directory")
	}
	if f.Dir != "" && f.Dir != f.wd && !c.Here {
		return &exitCodeError{exitUsage, fmt.Errorf("%s is inside the project at %s (%s): ddlmig works from any folder in it, nothing to init; to start a second project here, run ddlmig init --here",
			".", f.rel(f.Dir), f.marker())}
	}
	if len(g.Schema) != 1 {
		return &exitCodeError{exitUsage, fmt.Errorf("init takes one --schema (a file or a folder), not %d", len(g.Schema))}
	}
	schema, dir := g.Schema[0], g.Dir
	if c.Here { // the outer project's paths are not this one's
		if f.resolved["schema"] {
			schema = project.DefaultSchema
		}
		if f.resolved["dir"] {
			dir = project.DefaultDir
		}
	}
	if _, err := os.Lstat(project.ConfigFile); err == nil {
		return &exitCodeError{exitUsage, fmt.Errorf("%s already exists: this project is initialised", project.ConfigFile)}
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return &exitCodeError{exitUsage, fmt.Errorf("%s already exists and is not a directory; init needs it for the migrations folder", dir)}
	}
	steps := []func() (string, error){
		func() (string, error) { return initFolder(dir) },
		func() (string, error) { return initSchema(schema) },
		func() (string, error) { return initConfig(f, schema, dir) },
	}
	for _, step := range steps {
		said, err := step()
		if err != nil {
			return err
		}
		fmt.Fprintln(g.Stdout, said)
	}
	fmt.Fprintf(g.Stdout, "next: declare your tables in %s, then run ddlmig generate -m \"initial schema\"\n", schema)
	return nil
}

// marker says what marks the project's root.
func (f *found) marker() string {
	if f.Config != "" {
		return "its config file " + f.rel(f.Config)
	}
	return "its migrations folder " + f.rel(filepath.Join(f.Dir, project.DefaultDir))
}

// initFolder creates the migrations folder with a .gitkeep, so that git
// keeps it while it is empty, and its sum file, which generate keeps from
// then on; an existing folder is kept as it is.
func initFolder(dir string) (string, error) {
	if _, err := os.Stat(dir); err == nil {
		return "kept " + dir + " as it is", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	keep := filepath.Join(dir, ".gitkeep")
	if err := writeNew(keep, ""); err != nil {
		return "", err
	}
	if _, err := (project.Project{Dir: dir}).WriteSum(); err != nil {
		return "", err
	}
	return fmt.Sprintf("created %s (git keeps the empty folder) and %s", keep, filepath.Join(dir, migfile.SumFile)), nil
}

// initSchema writes the starter schema file unless there is one.
func initSchema(schema string) (string, error) {
	if _, err := os.Stat(schema); err == nil {
		return "kept " + schema + " as it is", nil
	}
	if err := writeNew(schema, starterSchema); err != nil {
		return "", err
	}
	return "created " + schema + " (an example, in comments)", nil
}

// initConfig writes the config file, last: a failed init leaves none, so
// that init can run again.
func initConfig(f *found, schema, dir string) (string, error) {
	cfg := struct {
		Schema         string `json:"schema"`
		Dir            string `json:"dir"`
		Table          string `json:"table"`
		DatabaseURLEnv string `json:"database_url_env"`
	}{configPath(f.wd, schema), configPath(f.wd, dir), "ddlmig_migrations", "DATABASE_URL"}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return "", err
	}
	if err := writeNew(project.ConfigFile, string(b)+"\n"); err != nil {
		return "", err
	}
	return "created " + project.ConfigFile + " (the project's settings; commands find it from any folder below)", nil
}

// configPath is path as the config file holds it: relative to the root
// (with slashes, so that the file works on every system), absolute only
// when no relative path leads there (another drive).
func configPath(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(root, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return abs
}

// writeNew creates path with text; it never overwrites a file.
func writeNew(path, text string) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; init never overwrites a file", path)
	}
	if err != nil {
		return err
	}
	_, err = fh.WriteString(text)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}
