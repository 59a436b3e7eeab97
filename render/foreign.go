package render

import (
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// Foreign data wrappers, servers and user mappings are created and
// dropped in blocks of their own. The SQL holds a user mapping's options
// as schema.sql writes them, password included: the migration must set it.
var blockForeign, blockDropForeign = newBlock(), newBlock()

func init() {
	registerKind("foreign data wrapper", foreignChange)
	registerKind("foreign server", nil)
}

// foreignChange renders the changes of planner/foreign.go.
func foreignChange(c planner.Change) (string, group, bool) {
	switch c := c.(type) {
	case *planner.CreateWrapper:
		w := c.Wrapper
		s := "CREATE FOREIGN DATA WRAPPER " + schema.QuoteIdent(w.Name)
		if w.Handler != (schema.QualifiedName{}) {
			s += " HANDLER " + w.Handler.String()
		}
		if w.Validator != (schema.QualifiedName{}) {
			s += " VALIDATOR " + w.Validator.String()
		}
		return s + options(w.Options) + ";", block(blockForeign), true
	case *planner.AlterWrapper:
		s := "ALTER FOREIGN DATA WRAPPER " + schema.QuoteIdent(c.Wrapper.Name)
		s += wrapperFunc("HANDLER", c.From.Handler, c.Wrapper.Handler) + wrapperFunc("VALIDATOR", c.From.Validator, c.Wrapper.Validator)
		return s + optionChanges(c.From.Options, c.Wrapper.Options) + ";", block(blockForeign), true
	case *planner.DropWrapper:
		return "DROP FOREIGN DATA WRAPPER " + schema.QuoteIdent(c.Wrapper.Name) + ";", block(blockDropForeign), true
	case *planner.CreateServer:
		v := c.Server
		s := "CREATE SERVER " + schema.QuoteIdent(v.Name)
		if v.Type != "" {
			s += " TYPE " + v.Type
		}
		if v.Version != "" {
			s += " VERSION " + v.Version
		}
		return s + " FOREIGN DATA WRAPPER " + schema.QuoteIdent(v.Wrapper) + options(v.Options) + ";", block(blockForeign), true
	case *planner.AlterServer:
		s := "ALTER SERVER " + schema.QuoteIdent(c.Server.Name)
		if c.From.Version != c.Server.Version {
			s += " VERSION " + orNull(c.Server.Version)
		}
		return s + optionChanges(c.From.Options, c.Server.Options) + ";", block(blockForeign), true
	case *planner.DropServer:
		return "DROP SERVER " + schema.QuoteIdent(c.Server.Name) + ";", block(blockDropForeign), true
	case *planner.CreateUserMapping:
		return "CREATE USER MAPPING " + c.Mapping.Name() + options(c.Mapping.Options) + ";", block(blockForeign), true
	case *planner.AlterUserMapping:
		return "ALTER USER MAPPING " + c.Mapping.Name() + optionChanges(c.From.Options, c.Mapping.Options) + ";", block(blockForeign), true
	case *planner.DropUserMapping:
		return "DROP USER MAPPING " + c.Mapping.Name() + ";", block(blockDropForeign), true
	}
	return "", alone, false
}

func orNull(lit string) string {
	if lit == "" {
		return "NULL"
	}
	return lit
}

// wrapperFunc is " HANDLER f" or " NO HANDLER" when the function changes.
func wrapperFunc(what string, from, to schema.QualifiedName) string {
	switch {
	case from == to:
		return ""
	case to == (schema.QualifiedName{}):
		return " NO " + what
	}
	return " " + what + " " + to.String()
}

// options is " OPTIONS (...)" of a created object; "" for none.
func options(o schema.ForeignOptions) string {
	if len(o) == 0 {
		return ""
	}
	return " OPTIONS (" + o.SQL() + ")"
}

// optionChanges is " OPTIONS (DROP a, SET b 'x', ADD c 'y')" turning from
// into to; "" when they are the same.
func optionChanges(from, to schema.ForeignOptions) string {
	var parts []string
	for _, o := range from {
		if _, ok := to.Get(o.Name); !ok {
			parts = append(parts, "DROP "+schema.QuoteIdent(o.Name))
		}
	}
	for _, o := range to {
		switch v, ok := from.Get(o.Name); {
		case !ok:
			parts = append(parts, "ADD "+schema.QuoteIdent(o.Name)+" "+o.Value)
		case v != o.Value:
			parts = append(parts, "SET "+schema.QuoteIdent(o.Name)+" "+o.Value)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " OPTIONS (" + strings.Join(parts, ", ") + ")"
}
