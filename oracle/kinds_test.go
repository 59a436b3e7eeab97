package oracle_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/schema"
)

// readBy says which of the oracle's kinds reads each set of ddlmig's
// model. It is kept here, in a test, so that the oracle itself stays
// independent of the model it judges; TestEveryKindCompared fails for a
// set missing here or read by no reader, so that verify cannot pass a
// migration that gets a new kind of object wrong.
var readBy = map[string]oracle.Kind{
	"schema":                    oracle.KindSchema,
	"extension":                 oracle.KindExtension,
	"enum":                      oracle.KindType,
	"composite type":            oracle.KindType,
	"domain":                    oracle.KindType,
	"collation":                 oracle.KindCollation,
	"sequence":                  oracle.KindSequence,
	"table":                     oracle.KindTable,
	"column":                    oracle.KindColumn,
	"constraint":                oracle.KindConstraint,
	"index":                     oracle.KindIndex,
	"policy":                    oracle.KindPolicy,
	"view":                      oracle.KindView,
	"function":                  oracle.KindFunction,
	"trigger":                   oracle.KindTrigger,
	"aggregate":                 oracle.KindAggregate,
	"range type":                oracle.KindType,
	"text search dictionary":    oracle.KindTSDictionary,
	"text search configuration": oracle.KindTSConfiguration,
	"event trigger":             oracle.KindEventTrigger,
	"publication":               oracle.KindPublication,
	"operator":                  oracle.KindOperator,
	"operator class":            oracle.KindOpClass,
	"operator family":           oracle.KindOpFamily,
	"opaque object":             oracle.KindOpaque,
	"cast":                      oracle.KindCast,
	"default privileges":        oracle.KindDefaultPrivileges,
	"rule":                      oracle.KindRule,
	"statistics":                oracle.KindStatistics,
	"foreign data wrapper":      oracle.KindForeignDataWrapper,
	"foreign server":            oracle.KindServer,
	"foreign table":             oracle.KindTable,
}

func TestEveryKindCompared(t *testing.T) {
	read := oracle.Kinds()
	has := func(noun string) bool {
		r, ok := readBy[noun]
		return ok && slices.Contains(read, r)
	}
	for _, m := range schema.Unregistered("oracle", has, slices.Collect(maps.Keys(readBy))) {
		t.Error(m)
	}
}
