package main

import (
	"fmt"

	"github.com/ddlmig/ddlmig/project"
)

// LintCmd runs the lint rules (package lint) on migrations.
type LintCmd struct {
	Files        []string `arg:"" optional:"" help:"Up migrations to lint (default: every migration in the folder)."`
	Format       string   `help:"Output format: text, json (as check's) or sarif (SARIF 2.1.0 for code scanning)." enum:"text,json,sarif" default:"text"`
	ChangedSince string   `help:"Lint only the migrations git reports as changed or untracked since REF." placeholder:"REF"`
}

func (c *LintCmd) Run(g *Globals) error {
	findings, err := g.project().Lint(c.Files, c.ChangedSince)
	if err != nil {
		return err
	}
	return reportFindings(g, "lint", c.Format, findings)
}

// reportFindings prints findings as text, json or sarif and turns any
// problem into exit 1.
func reportFindings(g *Globals, command, format string, findings []project.Finding) error {
	problems := 0
	for _, f := range findings {
		if !f.Note {
			problems++
		}
	}
	switch format {
	case "json":
		doc := checkDocument(findings)
		doc.Command = command
		if err := writeJSON(g, doc); err != nil {
			return err
		}
	case "sarif":
		if err := writeJSON(g, sarifDocument(findings)); err != nil {
			return err
		}
	default:
		for _, f := range findings {
			fmt.Fprintln(g.Stdout, f.String())
		}
		if problems > 0 {
			fmt.Fprintf(g.Stderr, "%s: %d problem(s)\n", command, problems)
		}
	}
	if problems > 0 {
		return &exitCodeError{code: exitNo}
	}
	return nil
}
