package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/ddlmig/ddlmig/lint"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
)

// SARIF 2.1.0, the subset code-scanning tools (GitHub, GitLab) read: one
// run, the rules by id, and each result at file:line:col.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string    `json:"id"`
	ShortDescription sarifText `json:"shortDescription"`
	Help             sarifText `json:"help"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifDocument converts findings. Lint and planner hazard codes are rules;
// other findings (a folder problem, a syntax error) use their kind as id.
func sarifDocument(findings []project.Finding) sarifLog {
	rules, seen := []sarifRule{}, map[string]bool{}
	add := func(id, short, help string) {
		if !seen[id] {
			seen[id] = true
			rules = append(rules, sarifRule{ID: id, ShortDescription: sarifText{short}, Help: sarifText{help}})
		}
	}
	for _, r := range lint.Rules {
		add(r.Code, r.Short, r.Help)
	}
	for _, c := range planner.Codes {
		help := c.Safer
		if help == "" {
			help = "There is no safer form: review the statement and mark it reviewed."
		}
		add(c.Code, c.Summary, help)
	}
	results := []sarifResult{}
	for _, f := range findings {
		id, msg := f.Kind, f.Msg
		if f.Kind == "lint" || f.Kind == "unreviewed" {
			if code, rest, ok := strings.Cut(strings.TrimPrefix(f.Msg, "unreviewed "), ":"); ok {
				id, msg = code, strings.TrimSpace(rest)
			}
		}
		add(id, "ddlmig check finding of kind "+id+".", "See `ddlmig check` in the README.")
		level := "error"
		if f.Note {
			level = "note"
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: relativeURI(f.File)}}
		if f.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Col}
		}
		results = append(results, sarifResult{RuleID: id, Level: level, Message: sarifText{msg}, Locations: []sarifLocation{{loc}}})
	}
	return sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:    sarifTool{Driver: sarifDriver{Name: "ddlmig", InformationURI: "https://github.com/ddlmig/ddlmig", Rules: rules}},
			Results: results,
		}},
	}
}

// relativeURI names a file relative to the working directory (the
// repository root in CI), as code-scanning uploads expect.
func relativeURI(name string) string {
	if wd, err := os.Getwd(); err == nil && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(wd, name); err == nil {
			name = rel
		}
	}
	return filepath.ToSlash(name)
}
