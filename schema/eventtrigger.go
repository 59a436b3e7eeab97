package schema

// EventTrigger is a database-wide trigger created with CREATE EVENT
// TRIGGER: it runs a function on DDL events, whatever the schema. Its
// name is unqualified; Catalog.EventTriggers keys it by that name.
type EventTrigger struct {
	Name string
	EventTriggerDef
	// Func is the function it runs (RETURNS event_trigger, no arguments),
	// qualified: created before it, dropped after it. Derived from Def.
	Func QualifiedName
	// Stmt is the user's CREATE EVENT TRIGGER, deparsed from its own parse
	// tree with the function's name qualified: what a migration runs. Not
	// compared.
	Stmt string
	Pos  Pos
}

// EventTriggerDef is what is compared about an event trigger.
type EventTriggerDef struct {
	// Def is the canonical text after the name: the event, the tags
	// upper-cased and sorted, the qualified function, e.g.
	// "ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION
	// public.f()". What PostgreSQL cannot alter.
	Def string
	// Enabled is ALTER EVENT TRIGGER's state as pg_event_trigger.evtenabled
	// holds it: "D" disabled, "R" replica, "A" always, "" the default
	// (enabled, origin).
	Enabled string
	Comment string
}

// Object is the event trigger as owners and comments name it.
func (e *EventTrigger) Object() Object {
	return Object{Kind: KindEventTrigger, Name: QualifiedName{Name: e.Name}}
}

func init() {
	Register(KindInfo{
		Noun:  "event trigger",
		Kinds: []Kind{KindEventTrigger},
		Init:  func(c *Catalog) { c.EventTriggers = map[string]*EventTrigger{} },
		Has:   func(c *Catalog, o Object) bool { return c.EventTriggers[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if e := c.EventTriggers[o.Name.Name]; e != nil {
				return &e.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.EventTriggers, o.Name.Name) },
	})
}
