package schema

// Rule is a rewrite rule made with CREATE RULE on a table or view (not the
// _RETURN rule of a view, which is the view). Catalog.Rules keys it by its
// relation and name (a TriggerName: rule names are per relation, as
// trigger names are).
type Rule struct {
	Name TriggerName
	RuleDef
	// Stmt is the user's CREATE RULE deparsed from its own parse tree, its
	// relation qualified: what a migration runs. Not compared.
	Stmt string
	Pos  Pos
}

// RuleDef is what is compared about a rule.
type RuleDef struct {
	// Def is the rule normalized as view queries are (public unqualified,
	// expressions canonical), after "AS ": the event, the condition, the
	// actions.
	Def     string
	Comment string
}

// Object is the rule as comments name it (Sub is the rule's name).
func (r *Rule) Object() Object {
	return Object{Kind: KindRule, Name: r.Name.Table, Column: r.Name.Name}
}

func init() {
	Register(KindInfo{
		Noun:  "rule",
		Kinds: []Kind{KindRule},
		Init:  func(c *Catalog) { c.Rules = map[TriggerName]*Rule{} },
		Has: func(c *Catalog, o Object) bool {
			return c.Rules[TriggerName{Table: o.Name, Name: o.Column}] != nil
		},
		Comment: func(c *Catalog, o Object) *string {
			if r := c.Rules[TriggerName{Table: o.Name, Name: o.Column}]; r != nil {
				return &r.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Rules, TriggerName{Table: o.Name, Name: o.Column}) },
	})
}
