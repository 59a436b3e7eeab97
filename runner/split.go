package runner

import "github.com/ddlmig/ddlmig/migfile"

// The runner splits files as migfile does: migfile.Rules, which check
// shares, decides what may run, and the runner runs what it split.
type statement = migfile.Statement

var (
	split                = migfile.Split
	splitLoose           = migfile.SplitLoose
	words                = migfile.Keywords
	skipSpaceAndComments = migfile.TokenStart
)
