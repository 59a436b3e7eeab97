package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
)

func (g *Globals) project() project.Project {
	p := project.Project{SchemaFile: "schema.sql", Dir: g.Dir}
	if len(g.Schema) > 0 {
		p.SchemaFile, p.MoreSchema = g.Schema[0], g.Schema[1:]
	}
	return p
}

// schemaName names the schema files and folders in messages.
func (g *Globals) schemaName() string { return strings.Join(g.Schema, ", ") }

// GenerateCmd writes the next migration pair.
type GenerateCmd struct {
	Message string   `short:"m" help:"What the migration does; becomes the file name's slug."`
	Rename  []string `help:"Treat a drop + add as a rename: [schema.]table.old=new for a column, [schema.]old=new for a table. Repeatable." placeholder:"FROM=TO"`
	NoInput bool     `help:"Never ask questions (the default when stdin is not a terminal)."`
	Empty   bool     `help:"Write an empty migration pair to fill in by hand (a data migration, or SQL ddlmig does not model); the schema file is not read."`
	Amend   bool     `help:"Replace the newest migration pair instead of writing the next one: it must not be committed in git yet (outside git: unedited since generate wrote it)."`
	Online  bool     `help:"Write the online forms of lock-heavy changes to existing tables (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, ...) as consecutive migrations; --online=false writes the blocking forms." default:"true"`
}

func (c *GenerateCmd) Run(g *Globals) error {
	if err := g.project().SumReady(); err != nil {
		return err
	}
	if c.Empty {
		return c.blank(g)
	}
	var (
		m        *project.Migration
		declined []planner.Rename
		err      error
	)
	if c.Amend {
		m, declined, err = c.amend(g)
	} else {
		_, m, declined, err = plan(g, g.project().Load, c.Rename, c.Message, !c.NoInput, c.Online)
	}
	if err != nil {
		return err
	}
	if m == nil {
		return nil // amend removed the pair and said so
	}
	if m.Empty() {
		fmt.Fprintln(g.Stdout, "no changes")
		return nil
	}
	if !c.Amend {
		if err := m.Write(g.Dir); err != nil {
			return err
		}
		if err := g.project().RecordSum(nil, newFiles(m)); err != nil {
			return err
		}
	}
	for _, f := range pairs(m) {
		up, down := filepath.Join(g.Dir, f.UpFile), filepath.Join(g.Dir, f.DownFile)
		fmt.Fprintf(g.Stdout, "wrote %s\nwrote %s\n", up, down)
		reportHazards(g, [][2]string{{up, f.Up}, {down, f.Down}})
	}
	c.renameHint(g, m, declined)
	return nil
}

// pairs are the migrations m writes: its steps, or itself.
func pairs(m *project.Migration) []*project.Migration {
	if len(m.Steps) > 0 {
		return m.Steps
	}
	return []*project.Migration{m}
}

// newFiles are the names of the files m writes, for the sum file.
func newFiles(m *project.Migration) []string {
	var names []string
	for _, f := range pairs(m) {
		names = append(names, f.UpFile, f.DownFile)
	}
	return names
}

// oldFiles are the names of the files of pairs, for the sum file.
func oldFiles(pairs []migfile.Migration) []string {
	var names []string
	for _, p := range pairs {
		names = append(names, p.Up)
		if p.Down != "" {
			names = append(names, p.Down)
		}
	}
	return names
}

// fileNames lists the files of pairs as "a, b and c", each in dir.
func fileNames(dir string, pairs []migfile.Migration) string {
	var names []string
	for _, p := range pairs {
		names = append(names, filepath.Join(dir, p.Up))
		if p.Down != "" {
			names = append(names, filepath.Join(dir, p.Down))
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// amend plans the newest pair again from the state before it and puts the
// result in its place (a pair with no changes left is removed).
func (c *GenerateCmd) amend(g *Globals) (*project.Migration, []planner.Rename, error) {
	st, old, err := g.project().LoadAmend()
	if err != nil {
		return nil, nil, err
	}
	for _, o := range old {
		if err := g.project().Amendable(o); err != nil {
			return nil, nil, err
		}
	}
	message := c.Message
	if message == "" {
		message = strings.ReplaceAll(old[0].Name, "_", " ")
	}
	_, m, declined, err := plan(g, func() (*project.State, error) { return st, nil }, c.Rename, message, !c.NoInput, c.Online)
	if err != nil {
		return nil, nil, err
	}
	if m.Empty() {
		if err := (*project.Migration)(nil).Replace(g.Dir, old); err != nil {
			return nil, nil, err
		}
		if err := g.project().RecordSum(oldFiles(old), nil); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(g.Stdout, "no changes without it: removed %s\n", fileNames(g.Dir, old))
		return nil, nil, nil
	}
	if err := m.Replace(g.Dir, old); err != nil {
		return nil, nil, err
	}
	if err := g.project().RecordSum(oldFiles(old), newFiles(m)); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(g.Stdout, "replaced %s\n", fileNames(g.Dir, old))
	return m, declined, nil
}

// renameHint prints, for each possible rename generate did not ask about,
// the command that replaces the pair just written with one that renames:
// generate --amend with the same message and renames, plus the new one.
func (c *GenerateCmd) renameHint(g *Globals, m *project.Migration, declined []planner.Rename) {
	if len(declined) == 0 {
		return
	}
	args := []string{"ddlmig"}
	// The project's paths are found again from the same folder: only
	// those the user typed are repeated.
	if !slices.Equal(g.Schema, []string{"schema.sql"}) && !g.fromProject("schema") {
		for _, s := range g.Schema {
			args = append(args, "--schema", shellQuote(s))
		}
	}
	if g.Dir != "migrations" && !g.fromProject("dir") {
		args = append(args, "--dir", shellQuote(g.Dir))
	}
	msg := c.Message
	if msg == "" {
		msg = strings.ReplaceAll(m.Slug, "_", " ")
	}
	args = append(args, "generate", "--amend", "-m", shellQuote(msg))
	for _, r := range c.Rename {
		args = append(args, "--rename", shellQuote(r))
	}
	for _, pr := range declined {
		fmt.Fprintf(g.Stderr, "possible rename %s: to write it as a rename instead, run\n  %s --rename %s\n",
			migfile.Escape(pr.Suggestion()), strings.Join(args, " "), renameFlag(pr))
	}
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if migfile.Escape(s) != s {
		return "$'" + migfile.Escape(strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s)) + "'"
	}
	for _, c := range s {
		if !(c == '_' || c == '.' || c == '=' || c == '-' || c == '/' || c == ',' || c == ':' || c == '+' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// blank writes an empty pair for the user to fill in.
func (c *GenerateCmd) blank(g *Globals) error {
	if len(c.Rename) > 0 {
		return &exitCodeError{exitUsage, errors.New("--empty writes an empty migration: --rename has nothing to rename")}
	}
	m, err := g.project().Blank(c.Message)
	if err != nil {
		return err
	}
	if err := m.Write(g.Dir); err != nil {
		return err
	}
	if err := g.project().RecordSum(nil, []string{m.UpFile, m.DownFile}); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s\nwrote %s\n", filepath.Join(g.Dir, m.UpFile), filepath.Join(g.Dir, m.DownFile))
	fmt.Fprintf(g.Stdout, "both are empty: write the migration in them, then run ddlmig sum to record them in %s once reviewed\n", migfile.SumFile)
	return nil
}

// DiffCmd prints the up SQL that generate would write.
type DiffCmd struct {
	Rename   []string `help:"As for generate." placeholder:"FROM=TO"`
	Down     bool     `help:"Print the down SQL instead."`
	ExitCode bool     `help:"Exit 1 when there are changes, 0 when there are none (as git diff --exit-code)."`
	Format   string   `help:"Output format: text, json (see Machine-readable output in the README) or markdown (a pull-request comment: summary, hazards, SQL, a Mermaid diagram of the changed tables)." enum:"text,json,markdown" default:"text"`
	Online   bool     `help:"As for generate: the online forms, as consecutive migrations each under a -- file: line." default:"true"`
}

func (c *DiffCmd) Run(g *Globals) error {
	st, m, declined, err := plan(g, g.project().Load, c.Rename, "", false, c.Online)
	if err != nil {
		return err
	}
	for _, pr := range declined {
		fmt.Fprintf(g.Stderr, "possible rename %s: rerun with --rename %s\n", migfile.Escape(pr.Suggestion()), renameFlag(pr))
	}
	if c.Format == "json" {
		if err := writeJSON(g, diffDocument(m, declined)); err != nil {
			return err
		}
	} else if c.Format == "markdown" {
		fmt.Fprint(g.Raw, diffMarkdown(m, st.Desired))
	} else if m.Empty() {
		fmt.Fprintln(g.Stderr, "no changes")
	} else if c.Down {
		// The SQL goes out as it is: escaped, a quoted identifier would change.
		fmt.Fprint(g.Raw, m.Down)
	} else {
		fmt.Fprint(g.Raw, m.Up)
	}
	if c.ExitCode && !m.Empty() {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// plan loads the project and plans the next migration, resolving renames
// from flags, schema comments and, when allowed, questions on the terminal.
// It returns the possible renames nobody was asked about, for the caller's
// hint; those answered no on the terminal are not among them.
//
// With online, the change is planned in its online forms, except for the
// objects the schema file keeps blocking (project.State.Online).
func plan(g *Globals, load func() (*project.State, error), renames []string, message string, ask, online bool) (*project.State, *project.Migration, []planner.Rename, error) {
	st, err := load()
	if err != nil {
		return nil, nil, nil, err
	}
	for _, w := range st.Warnings {
		fmt.Fprintf(g.Stderr, "warning: %s\n", migfile.Escape(w.Pos.String()+": "+w.Msg))
	}
	// Stale rename comments ask for nothing: generate goes on, and check
	// fails on those that match nothing (a rename a migration holds is a
	// note there too).
	for _, n := range st.RenameNotes {
		fmt.Fprintf(g.Stderr, "note: %s\n", n)
	}
	var opts planner.Options
	for _, r := range renames {
		rn, err := st.ResolveRename(r)
		if err != nil {
			return nil, nil, nil, err
		}
		opts.Renames = append(opts.Renames, rn)
	}
	var on *planner.OnlineOptions
	if online {
		on = &st.Online
	}
	m, err := st.PlanRun(message, opts, on)
	if err != nil {
		return nil, nil, nil, err
	}
	var declined []planner.Rename
	if len(m.UpPlan.PossibleRenames) > 0 {
		interactive := ask && stdinIsTerminal(g.Stdin)
		changed := false
		for _, pr := range m.UpPlan.PossibleRenames {
			old, nu, _ := strings.Cut(migfile.Escape(pr.Suggestion()), " -> ")
			if !interactive {
				declined = append(declined, pr)
				continue
			}
			if confirm(g, fmt.Sprintf("Did you rename %s to %s? [y/N] ", old, nu)) {
				opts.Renames = append(opts.Renames, pr)
				changed = true
			}
		}
		if changed {
			if m, err = st.PlanRun(message, opts, on); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	return st, m, declined, nil
}

// renameFlag prints a rename as --rename takes it: "users.name=users.full_name"
// for a column, "users=people" for a table; the public schema is left out,
// and the argument is quoted for the shell when it needs to be: in $'...'
// when a name holds a control character, which is printed escaped.
func renameFlag(r planner.Rename) string {
	old, nu, _ := strings.Cut(r.Suggestion(), " -> ")
	arg := old + "=" + nu
	if migfile.Escape(arg) != arg {
		return "$'" + migfile.Escape(strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(arg)) + "'"
	}
	for _, c := range arg {
		if !(c == '_' || c == '.' || c == '=' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
		}
	}
	return arg
}

// stdinIsTerminal decides whether generate may ask about renames; tests
// replace it to drive the questions without a terminal.
var stdinIsTerminal = isTerminal

// isTerminal reports whether r is a terminal. A character device is not
// enough: /dev/null is one too (stdin under cron, ssh -n, docker run
// without -t), so it asks the terminal driver (isatty, per platform).
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	return isatty(f.Fd())
}

func confirm(g *Globals, question string) bool {
	fmt.Fprint(g.Stderr, question)
	var answer string
	fmt.Fscanln(g.Stdin, &answer)
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

// reportHazards prints what the new pair asks of people: the unreviewed
// markers of the up file (the count by kind, then file:line of each),
// which check and apply refuse until a person reviews them, and the
// down-hazard markers of the down file, which ddlmig down asks about
// when it runs.
//
// files are the pair as {name, text}: the up file, then the down file.
func reportHazards(g *Globals, files [][2]string) {
	upName, up, downName, down := files[0][0], files[0][1], files[1][0], files[1][1]
	if ms := migfile.Unreviewed([]byte(up)); len(ms) > 0 {
		listMarkers(g, "hazard", "to review", upName, ms)
		fmt.Fprintf(g.Stderr, "review each statement, then change ddlmig:unreviewed to ddlmig:reviewed (or delete the line); until then ddlmig check and ddlmig apply refuse %s\n", migfile.Escape(upName))
	}
	if ms := migfile.DownHazards([]byte(down)); len(ms) > 0 {
		listMarkers(g, "hazard", "when rolled back", downName, ms)
		fmt.Fprintln(g.Stderr, "nothing to review now: ddlmig down lists these and asks before it runs the file (--yes when there is no terminal)")
	}
}

// listMarkers prints "N hazards <what> (counts by code):" and file:line of
// each marker.
func listMarkers(g *Globals, noun, what, file string, ms []migfile.Marker) {
	counts := map[string]int{}
	for _, mk := range ms {
		code, _, _ := strings.Cut(mk.Text, ":")
		counts[code]++
	}
	codes := make([]string, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d %s", counts[c], c)
	}
	fmt.Fprintf(g.Stderr, "%s %s (%s):\n", plural(len(ms), noun), what, strings.Join(parts, ", "))
	for _, mk := range ms {
		fmt.Fprintf(g.Stderr, "  %s\n", migfile.Escape(fmt.Sprintf("%s:%d: %s", file, mk.Line, mk.Text)))
	}
}

// CheckCmd is the review gate for pre-commit hooks and CI.
type CheckCmd struct {
	Format    string `help:"Output format: text, json (see Machine-readable output in the README) or sarif (SARIF 2.1.0 for code scanning)." enum:"text,json,sarif" default:"text"`
	Staged    bool   `help:"Check the versions in the git index, which the next commit holds, not the work tree's (for a pre-commit hook)."`
	LintFlags `embed:""`
}

func (c *CheckCmd) Run(g *Globals) error {
	cfg, err := c.config()
	if err != nil {
		return err
	}
	p := g.project()
	p.Lint = cfg
	check, what := p.Check, ""
	if c.Staged {
		check, what = p.CheckStaged, " (as staged)"
	}
	findings, err := check()
	if err != nil {
		return err
	}
	if c.Format == "sarif" {
		return reportFindings(g, "check", c.Format, findings)
	}
	if c.Format == "json" {
		doc := checkDocument(findings)
		if err := writeJSON(g, doc); err != nil {
			return err
		}
		if !doc.OK {
			return &exitCodeError{code: exitNo}
		}
		return nil
	}
	problems := 0
	for _, f := range findings {
		if f.Note {
			fmt.Fprintf(g.Stdout, "note: %s\n", f)
		}
	}
	for _, f := range findings {
		if !f.Note {
			fmt.Fprintln(g.Stdout, f)
			problems++
		}
	}
	if problems == 0 {
		fmt.Fprintf(g.Stdout, "ok: %s matches %s%s; nothing unreviewed\n", g.Dir, g.schemaName(), what)
		return nil
	}
	return &exitCodeError{code: exitNo, err: errors.New(plural(problems, "problem") + " found")}
}

// plural returns n and word in the number n takes: "1 batch", "3 batches",
// "2 migrations".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ch") || strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
