package main

import (
	"fmt"
	"path/filepath"

	"github.com/ddlmig/ddlmig/migfile"
)

// SumCmd is `ddlmig sum`: it records the folder as it is in the sum file,
// after a person reviewed a hand edit (a pair from generate --empty filled
// in, a generated file changed) that check reports.
type SumCmd struct{}

func (c *SumCmd) Help() string {
	return `generate keeps migrations/` + migfile.SumFile + ` (one line per migration file with its hash, below a
first line hashing all of them) and check compares it with the folder, so that an edit made
after generate is reviewed once. Run sum after that review; approving a review marker
(ddlmig:unreviewed to ddlmig:reviewed, or deleting the line) needs no sum. After a merge
conflict in the file, run ddlmig renumber instead.`
}

func (c *SumCmd) Run(g *Globals) error {
	n, err := g.project().WriteSum()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "wrote %s (%s)\n", filepath.Join(g.Dir, migfile.SumFile), plural(n, "file"))
	return nil
}
