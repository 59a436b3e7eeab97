package schema

import "strings"

// Aggregate is an aggregate function created with CREATE AGGREGATE.
// PostgreSQL identifies it, as it does functions, by name and input
// argument types; Catalog.Aggregates keys it by Signature.
type Aggregate struct {
	Name QualifiedName
	// Args are the input argument types as pg_get_function_identity_arguments
	// prints them without names: "text", "*" for an aggregate over rows,
	// "double precision ORDER BY double precision" for an ordered-set one.
	Args string
	AggregateDef
	// Stmt is the user's CREATE AGGREGATE statement, deparsed from its own
	// parse tree with the aggregate's name qualified: what a migration
	// runs. Not compared.
	Stmt string
	// Funcs are the functions the aggregate names (state, final, combine,
	// ... functions), qualified; Types the user types of its arguments and
	// states. It is created after them and dropped before them. Derived;
	// not compared.
	Funcs []QualifiedName
	Types []QualifiedName
	Pos   Pos
}

// AggregateDef is what is compared about an aggregate.
type AggregateDef struct {
	// Def is the canonical text after the name: the argument list with
	// names, then the options in a fixed order with defaults left out and
	// names qualified, e.g. "(text) (sfunc = public._group_concat, stype =
	// text)". pg_dump's spelling and a hand-written one give the same Def.
	Def     string
	Comment string
}

// Signature is the aggregate's identity as SQL: name(argument types).
func (a *Aggregate) Signature() string { return a.Name.String() + "(" + a.Args + ")" }

// Object is the aggregate as owners and comments name it.
func (a *Aggregate) Object() Object {
	return Object{Kind: KindAggregate, Name: QualifiedName{Name: a.Signature()}}
}

// FlatArgs is Args as DROP, COMMENT and ALTER name an aggregate in pg_query's
// tree, which does not tell direct from aggregated arguments: every type,
// comma separated; "" for "*".
func (a *Aggregate) FlatArgs() string { return FlatAggregateArgs(a.Args) }

// FlatAggregateArgs is Aggregate.FlatArgs of identity arguments args.
func FlatAggregateArgs(args string) string {
	if args == "*" {
		return ""
	}
	args = strings.TrimPrefix(args, "ORDER BY ")
	return strings.ReplaceAll(args, " ORDER BY ", ", ")
}

func init() {
	Register(KindInfo{
		Noun:  "aggregate",
		Kinds: []Kind{KindAggregate},
		Init:  func(c *Catalog) { c.Aggregates = map[string]*Aggregate{} },
		InSchema: func(c *Catalog, ns string) []Object {
			return sortedObjects(c.Aggregates, func(a *Aggregate) (QualifiedName, Object) { return a.Name, a.Object() }, ns)
		},
		Has: func(c *Catalog, o Object) bool { return c.Aggregates[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if a := c.Aggregates[o.Name.Name]; a != nil {
				return &a.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Aggregates, o.Name.Name) },
	})
}
