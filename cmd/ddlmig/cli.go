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

// Exit codes. 3 is reserved for `status --exit-code` with pending migrations.
const (
	exitOK      = 0
	exitError   = 1
	exitUsage   = 2
	exitPending = 3
	// exitChanges is diff --exit-code's (and drift's) "there are
	// differences", as git diff --exit-code: the same number as exitError,
	// told apart by the "ddlmig: ..." line an error writes on stderr.
	exitChanges = 1
)

// Globals are the flags every command takes.
type Globals struct {
	Schema []string `help:"Declarative schema file, or folder of *.sql files; repeat for several." default:"schema.sql" env:"DDLMIG_SCHEMA" sep:"none"`
	Dir    string   `help:"Migrations folder." default:"migrations" env:"DDLMIG_DIR"`

	// Set by run, not by flags: commands write here so tests can capture
	// them. Stdout and Stderr escape control characters (see escWriter);
	// Raw is stdout as it is, for SQL that is saved or piped.
	Stdin  io.Reader `kong:"-"`
	Stdout io.Writer `kong:"-"`
	Stderr io.Writer `kong:"-"`
	Raw    io.Writer `kong:"-"`
}

// CLI is the whole command line. Each command lives in its own file.
type CLI struct {
	Globals

	Version kong.VersionFlag `help:"Print the version, the commit it was built from and the Go version, and exit."`

	Init     InitCmd     `cmd:"" help:"Create the migrations folder."`
	Generate GenerateCmd `cmd:"" help:"Write the next migration from the changes in the schema file."`
	Diff     DiffCmd     `cmd:"" help:"Print the up SQL that generate would write; write nothing."`
	Check    CheckCmd    `cmd:"" help:"Fail while migrations are unreviewed, behind the schema file, or malformed (for pre-commit and CI)."`
	Apply    ApplyCmd    `cmd:"" help:"Apply pending migrations to a database."`
	Down     DownCmd     `cmd:"" help:"Roll back applied migrations (one by default)."`
	Status   StatusCmd   `cmd:"" help:"Show the database's version and each migration's state."`
	History  HistoryCmd  `cmd:"" help:"List the migrations in the folder; no database needed."`
	Stamp    StampCmd    `cmd:"" help:"Mark migrations up to VERSION as applied without running them."`
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
	cli.Stdin, cli.Stdout, cli.Stderr, cli.Raw = stdin, stdout, stderr, rawStdout
	exited := false
	parser, err := kong.New(&cli,
		kong.Name("ddlmig"),
		kong.Description("Declarative PostgreSQL schema migrations: edit schema.sql, generate reviewed up/down migrations, apply them."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { exited = true; code = c }),
		kong.Bind(&cli.Globals),
		kong.Vars{"version": versionText()},
	)
	if err != nil {
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
