package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Operator families, operators and classes are created in one block and
// dropped in another.
var blockOperator, blockDropOperator = newBlock(), newBlock()

func init() {
	registerKind("operator", operatorChange)
	registerKind("operator class", nil)
	registerKind("operator family", nil)
}

// operatorChange renders the changes of planner/operator.go. CREATE
// OPERATOR is the user's own statement with COMMUTATOR, NEGATOR,
// RESTRICT and JOIN taken from the model, which keeps the links that
// PostgreSQL keeps on both operators.
func operatorChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateOperator:
		return createOperator(c.Operator), block(blockOperator), true
	case *planner.SetOperatorEstimators:
		return "ALTER OPERATOR " + c.Operator.Signature() + " SET (RESTRICT = " + orNone(c.Restrict) + ", JOIN = " + orNone(c.Join) + ");", block(blockOperator), true
	case *planner.DropOperator:
		return "DROP OPERATOR " + c.Operator.Signature() + ";", block(blockDropOperator), true
	case *planner.CreateOpFamily:
		return "CREATE OPERATOR FAMILY " + c.Family.Signature() + ";", block(blockOperator), true
	case *planner.DropOpFamily:
		return "DROP OPERATOR FAMILY " + c.Family.Signature() + ";", block(blockDropOperator), true
	case *planner.CreateOpClass:
		return c.Class.Stmt + ";", block(blockOperator), true
	case *planner.DropOpClass:
		return "DROP OPERATOR CLASS " + c.Class.Signature() + ";", block(blockDropOperator), true
	}
	return "", alone, false
}

// createOperator is the operator's statement with its links and
// estimators added before the closing parenthesis of its option list.
func createOperator(op *schema.Operator) string {
	var extra []string
	for _, o := range []struct{ name, sig string }{{"commutator", op.Commutator}, {"negator", op.Negator}} {
		if q, ok := schema.OperatorName(o.sig); ok {
			extra = append(extra, o.name+" = OPERATOR("+q+")")
		}
	}
	if op.Restrict != "" {
		extra = append(extra, "restrict = "+op.Restrict)
	}
	if op.Join != "" {
		extra = append(extra, "join = "+op.Join)
	}
	stmt := op.Stmt
	if len(extra) > 0 && strings.HasSuffix(stmt, ")") {
		stmt = stmt[:len(stmt)-1] + ", " + strings.Join(extra, ", ") + ")"
	}
	return stmt + ";"
}

func orNone(fn string) string {
	if fn == "" {
		return "NONE"
	}
	return fn
}
