package main

import (
	"fmt"
	"strconv"

	"github.com/ddlmig/ddlmig/lint"
	"github.com/ddlmig/ddlmig/project"
)

// LintCmd runs the lint rules (package lint) on migrations.
type LintCmd struct {
	Files        []string `arg:"" optional:"" help:"Up migrations to lint (default: every migration in the folder from --lint-since on)."`
	Format       string   `help:"Output format: text, json (as check's) or sarif (SARIF 2.1.0 for code scanning)." enum:"text,json,sarif" default:"text"`
	ChangedSince string   `help:"Lint only the migrations git reports as changed or untracked since REF." placeholder:"REF"`
	Rules        bool     `help:"List the rules (code, what it catches, the safer form) and exit."`
	LintFlags    `embed:""`
}

// LintFlags are the lint settings check and lint share; a project keeps
// them in ddlmig.json as lint_since and lint_disable.
type LintFlags struct {
	LintSince   string   `help:"Baseline: fold the migrations before this version but do not lint them (for a project adopting lint)." placeholder:"VERSION"`
	LintStyle   bool     `help:"Also apply the style rules (column types, primary keys; see lint --rules)."`
	LintDisable []string `help:"Never report this rule code. Repeatable." placeholder:"CODE"`
}

// config turns the flags into the project's lint settings.
func (f LintFlags) config() (project.LintConfig, error) {
	c := project.LintConfig{Style: f.LintStyle, Disable: f.LintDisable}
	if f.LintSince != "" {
		v, err := strconv.ParseUint(f.LintSince, 10, 64)
		if err != nil {
			return c, &exitCodeError{exitUsage, fmt.Errorf("--lint-since %q: want a migration version such as 000005", f.LintSince)}
		}
		c.Since = v
	}
	known := map[string]bool{}
	for _, r := range lint.Rules {
		known[r.Code] = true
	}
	for _, code := range c.Disable {
		if !known[code] {
			return c, &exitCodeError{exitUsage, fmt.Errorf("--lint-disable %q: no such rule (ddlmig lint --rules lists them)", code)}
		}
	}
	return c, nil
}

func (c *LintCmd) Run(g *Globals) error {
	if c.Rules {
		for _, r := range lint.Rules {
			kind := "hazard"
			if r.Style {
				kind = "style"
			}
			fmt.Fprintf(g.Stdout, "%-28s %-6s %s Safer: %s\n", r.Code, kind, r.Short, r.Help)
		}
		return nil
	}
	cfg, err := c.config()
	if err != nil {
		return err
	}
	p := g.project()
	p.Lint = cfg
	findings, err := p.LintFiles(c.Files, c.ChangedSince)
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
