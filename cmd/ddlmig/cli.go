package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/schema"
)

// Exit codes, as grep and diff(1) use them: 1 is only ever an answer
// ("no": problems, changes, drift), never a failure, so a script can tell
// "the check failed" from "the check could not run". The README's table
// lists them.
const (
	exitOK = 0
	// exitNo: the command did its job and the answer is no: check found
	// problems, verify or drift found differences, diff --exit-code found
	// changes, status --exit-code found something a person must fix.
	exitNo = 1
	// exitError: the command could not do its job: a bad flag or argument,
	// a config file, folder or schema file it cannot use, no database, a
	// migration that failed. The message is on stderr as "ddlmig: ...".
	exitError = 2
	// exitUsage is exitError; the name says which errors are the user's
	// command line.
	exitUsage = exitError
	// exitPending is status --exit-code's "migrations are pending or
	// running": apply has work to do (a deploy script's cue).
	exitPending = 3
	// exitChanges is diff --exit-code's and drift's "there are
	// differences", as git diff --exit-code.
	exitChanges = exitNo
)

// Globals are the flags every command takes.
type Globals struct {
	Schema []string `help:"Declarative schema file, or folder of *.sql files; repeat for several." default:"schema.sql" env:"DDLMIG_SCHEMA" sep:"none"`
	Dir    string   `help:"Migrations folder." default:"migrations" env:"DDLMIG_DIR"`

	// Set by run, not by flags: commands write here so tests can capture
	// them. Stdout and Stderr escape control characters (see escWriter);
	// Raw is stdout as it is, for SQL that is saved or piped; RawErr is
	// stderr as it is, for the one updating progress line on a terminal.
	Stdin  io.Reader `kong:"-"`
	Stdout io.Writer `kong:"-"`
	Stderr io.Writer `kong:"-"`
	Raw    io.Writer `kong:"-"`
	RawErr io.Writer `kong:"-"`
	// Found is the project around the working directory (see discover).
	Found *found `kong:"-"`
}

// CLI is the whole command line. Each command lives in its own file.
type CLI struct {
	Globals

	Version kong.VersionFlag `help:"Print the version, the commit it was built from and the Go version, and exit."`

	Init     InitCmd     `cmd:"" help:"Create the migrations folder."`
	Generate GenerateCmd `cmd:"" help:"Write the next migration from the changes in the schema file."`
	Diff     DiffCmd     `cmd:"" help:"Print the up SQL that generate would write; write nothing."`
	Check    CheckCmd    `cmd:"" help:"Fail while migrations are unreviewed, behind the schema file, or malformed (for pre-commit and CI)."`
	Lint     LintCmd     `cmd:"" help:"Report lock and data hazards in migrations, hand-written ones too; exit 1 on any not marked reviewed."`
	Apply    ApplyCmd    `cmd:"" help:"Apply pending migrations to a database."`
	Down     DownCmd     `cmd:"" help:"Roll back applied migrations (one by default)."`
	Status   StatusCmd   `cmd:"" help:"Show the database's version and each migration's state."`
	History  HistoryCmd  `cmd:"" help:"List the migrations in the folder; no database needed."`
	Stamp    StampCmd    `cmd:"" help:"Mark migrations up to VERSION as applied without running them."`
	Sum      SumCmd      `cmd:"" help:"Record the migration files as they are in the folder's sum file, after a reviewed hand edit."`
	Renumber RenumberCmd `cmd:"" help:"After a merge, move this branch's migrations after the other branch's and generate the newest again from the schema file."`
	Verify   VerifyCmd   `cmd:"" help:"Replay the migrations up, down and up on a scratch database and compare with the schema file (for CI)."`
	Inspect  InspectCmd  `cmd:"" help:"Print a live database's schema as schema.sql; reads the catalogs only, writes nothing."`
	Drift    DriftCmd    `cmd:"" help:"Compare a live database with its applied migrations (or the schema file); exit 1 on drift, printing the SQL that fixes it. Writes nothing."`
}

// exitError carries a specific exit code through kong's Run.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

// run is the whole program behind main, taking its streams as arguments so
// that tests drive the CLI in-process.
func run(args []string, stdin io.Reader, rawStdout, rawStderr io.Writer) (code int) {
	stdout, stderr := &escWriter{w: rawStdout}, &escWriter{w: rawStderr}
	defer stdout.flush()
	defer stderr.flush()
	var cli CLI
	cli.Stdin, cli.Stdout, cli.Stderr, cli.Raw, cli.RawErr = stdin, stdout, stderr, rawStdout, rawStderr
	cli.Found = &found{}
	exited := false
	options := append([]kong.Option{
		kong.Name("ddlmig"),
		kong.Description("Declarative PostgreSQL schema migrations: edit schema.sql, generate reviewed up/down migrations, apply them."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { exited = true; code = c }),
		kong.Bind(&cli.Globals),
		kong.Vars{"version": versionText()},
	}, discover(cli.Found)...)
	parser, err := kong.New(&cli, options...)
	if err != nil { // a config file that cannot be used
		fmt.Fprintln(stderr, "ddlmig:", err)
		return exitError
	}
	ctx, err := parser.Parse(args)
	if exited { // --help and friends
		return code
	}
	if err != nil {
		fmt.Fprintln(stderr, "ddlmig:", err)
		return exitUsage
	}
	if err := ctx.Run(); err != nil {
		var ee *exitCodeError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintln(stderr, "ddlmig:", ee.err)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "ddlmig:", errorText(err))
		return exitError
	}
	return exitOK
}

// errorText is err's message for the terminal. Errors that point into a
// file (schema.Error, a schema.ErrorList) are one line each, so a newline
// in an identifier they name is escaped as check escapes it; other errors
// keep their lines, and stderr escapes the rest (escWriter).
func errorText(err error) string {
	var list schema.ErrorList
	if errors.As(err, &list) && list.Error() == err.Error() {
		lines := make([]string, len(list))
		for i, e := range list {
			lines[i] = migfile.Escape(e.Error())
		}
		return strings.Join(lines, "\n")
	}
	var one *schema.Error
	if errors.As(err, &one) && one.Error() == err.Error() {
		return migfile.Escape(err.Error())
	}
	return err.Error()
}
