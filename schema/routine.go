package schema

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// View is a view or a materialized view. Its query is kept as canonical SQL
// text: PostgreSQL stores a view as a parsed query, so two spellings that
// deparse alike are the same view.
type View struct {
	Name QualifiedName
	ViewDef
	// Refs are the relations (tables, views) the query reads; Funcs the
	// functions it calls, by name (every overload). Derived from the query;
	// used to order creation and to re-create a view when what it reads
	// changes shape. Not compared.
	Refs  []QualifiedName
	Funcs []QualifiedName
	// Columns are the column names the query mentions (the last part of
	// each column reference), "*" when it selects every column of a
	// relation. A view is re-created when a column of this name of a table
	// it reads is dropped or retyped. Derived; not compared.
	Columns []string
	// Targets are the output expressions of the query as canonical text,
	// and From the rest of the query that decides their types (FROM and
	// set operations). CREATE OR REPLACE VIEW is possible when the old
	// Targets are a prefix of the new ones and From is the same. Not
	// compared.
	Targets []string
	From    string
	// Indexes are the indexes of a materialized view, by name.
	Indexes map[QualifiedName]*Index
	// Src is what a migration writes after "CREATE [MATERIALIZED] VIEW
	// name ": the user's own statement deparsed, its names qualified as
	// the search path resolved them. Def is brought to the server's form
	// to be compared (columns qualified, * expanded, casts dropped), which
	// means the same on the server but is not what the user wrote. Not
	// compared.
	Src string
	Pos Pos
}

// ViewDef is what is compared about a view.
type ViewDef struct {
	Materialized bool
	// Def is the canonical text that follows "CREATE [MATERIALIZED] VIEW
	// name ": optional column list, options, AS query and check option.
	Def     string
	Comment string
	// Statistics are the statistics targets of a materialized view's
	// columns (ALTER MATERIALIZED VIEW ... ALTER COLUMN c SET STATISTICS
	// n, which pg_dump writes as ALTER TABLE ONLY): "column=target" items,
	// the column quoted, in column name order, joined with ", "; "" when
	// every column has the default. A string, so that ViewDef stays a
	// comparable value.
	Statistics string
	// ColumnComments are the comments of the view's columns (COMMENT ON
	// COLUMN v.c), as FormatColumnComments writes them; "" for none. A
	// string, so that ViewDef stays a comparable value.
	ColumnComments string
}

// ColumnCommentMap reads ViewDef.ColumnComments back: comment by column.
func (d ViewDef) ColumnCommentMap() map[string]string {
	m := map[string]string{}
	for s := d.ColumnComments; s != ""; {
		col, err := strconv.QuotedPrefix(s)
		if err != nil {
			break
		}
		s = s[len(col)+1:]
		text, err := strconv.QuotedPrefix(s)
		if err != nil {
			break
		}
		s = strings.TrimPrefix(s[len(text):], " ")
		c, _ := strconv.Unquote(col)
		m[c], _ = strconv.Unquote(text)
	}
	return m
}

// SetColumnComment sets (or, with "", removes) the comment of column col
// in ViewDef.ColumnComments: col=comment items, each Go-quoted, sorted by
// column, joined by spaces.
func (d *ViewDef) SetColumnComment(col, text string) {
	m := d.ColumnCommentMap()
	if text == "" {
		delete(m, col)
	} else {
		m[col] = text
	}
	var items []string
	for _, c := range SortedKeys(m) {
		items = append(items, strconv.Quote(c)+"="+strconv.Quote(m[c]))
	}
	d.ColumnComments = strings.Join(items, " ")
}

// Function is a function or a procedure. PostgreSQL identifies it
// by name and input argument types, so overloads are distinct objects.
type Function struct {
	Name QualifiedName
	// Args are the input argument types, canonical, comma separated (as
	// pg_get_function_identity_arguments prints them without names).
	Args string
	FunctionDef
	// Refs are the relations whose row types the signature uses or that a
	// LANGUAGE sql body reads, sequences it names in nextval('s') included
	// (PostgreSQL checks those when it creates the function). Derived; not
	// compared.
	Refs []QualifiedName
	// Types are the user-defined types (enums, domains, ...) of the
	// signature, so that a function is created after the domain it takes
	// and before a domain whose check calls it. Derived; not compared.
	Types []QualifiedName
	// Users are the column defaults, generated columns, check constraints,
	// indexes and policies whose expressions call a function of this name (any
	// overload), found by the parser in their parse trees. A function
	// dropped to be created again takes them down first. Derived; not
	// compared.
	Users []FunctionUser
	// Calls are the functions (by name, any overload) a LANGUAGE sql body
	// calls: PostgreSQL checks they exist when it creates the function,
	// and a SQL-standard body (RETURN, BEGIN ATOMIC) depends on them until
	// it is dropped. Derived; not compared.
	Calls []QualifiedName
	// BodyPath is the search path of the schema file where a routine with
	// a quoted LANGUAGE sql body and no SET search_path of its own is
	// created, when the body names a relation or function that the path
	// finds outside public: PostgreSQL checks those names when it creates
	// the routine, with the session's path, so a migration creates it on
	// the same path (see render). nil otherwise. Derived; not compared:
	// the routine itself runs on its caller's path, as when the file is
	// loaded directly.
	BodyPath []string
	// Language is the language its body is written in, lower case
	// ("plpgsql"), so that a function in a language CREATE LANGUAGE makes
	// (an opaque object) is created after it. Derived; not compared.
	Language string
	// Src is what a migration runs: the user's own CREATE OR REPLACE
	// statement deparsed, its names qualified as the search path resolved
	// them and its options in Def's order, parameter defaults and
	// SQL-standard body as written. Def brings those to the server's form
	// to be compared. Not compared.
	Src string
	Pos Pos
}

// FunctionUser is a table object whose expression calls a function.
type FunctionUser struct {
	// Kind is "default", "generated", "check", "index" or "policy".
	Kind  string
	Table QualifiedName
	// Name is the column, constraint or index name.
	Name string
}

// FunctionDef is what is compared about a function.
type FunctionDef struct {
	// Kind is KindFunction or KindProcedure.
	Kind Kind
	// Def is the whole canonical statement without its semicolon: CREATE
	// OR REPLACE FUNCTION with the name qualified, default options left
	// out and the body re-quoted, so that dollar-quoting does not matter.
	Def string
	// Params is the parameter list and Result the return clause, canonical.
	// CREATE OR REPLACE keeps a function's identity only when both stay
	// the same (PostgreSQL refuses a new return type or renamed
	// parameters).
	Params  string
	Result  string
	Comment string
}

// Signature is the function's identity as SQL: name(argument types).
func (f *Function) Signature() string { return f.Name.String() + "(" + f.Args + ")" }

// Object is the routine as privileges, owners and comments name it.
func (f *Function) Object() Object {
	return Object{Kind: f.Kind, Name: QualifiedName{Name: f.Signature()}}
}

// TriggerName names a trigger: trigger names are unique per table.
type TriggerName struct {
	Table QualifiedName
	Name  string
}

// Trigger is a trigger on a table or view (no event triggers).
type Trigger struct {
	TriggerName
	TriggerDef
	// Function is the trigger function. Derived; not compared.
	Function QualifiedName
	// Src is what a migration runs: Def with the WHEN condition as the
	// user wrote it. Def's is brought to the form PostgreSQL prints back
	// to be compared, which means the same but is not what the user
	// wrote. "" when Def is both. Not compared.
	Src string
	Pos Pos
}

// DefSQL is the CREATE TRIGGER statement migrations run: the user's own.
func (t *Trigger) DefSQL() string {
	if t.Src != "" {
		return t.Src
	}
	return t.Def
}

// TriggerDef is what is compared about a trigger.
type TriggerDef struct {
	// Def is the canonical CREATE TRIGGER statement without semicolon.
	Def string
	// Enabled is how ALTER TABLE ... ENABLE/DISABLE TRIGGER set it: "" for
	// enabled (the default), "DISABLE", "ENABLE REPLICA" or "ENABLE
	// ALWAYS".
	Enabled string
	Comment string
}

// SortedTriggers returns the names of m in table, name order.
func SortedTriggers[V any](m map[TriggerName]V) []TriggerName {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b TriggerName) int {
		if a.Table != b.Table {
			if a.Table.Less(b.Table) {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return keys
}

func init() {
	Register(KindInfo{
		Noun:  "view",
		Kinds: []Kind{KindView, KindMaterializedView, KindTable},
		Init:  func(c *Catalog) { c.Views = map[QualifiedName]*View{} },
		InSchema: func(c *Catalog, ns string) []Object {
			var out []Object
			for _, q := range SortedNames(c.Views) {
				if q.Schema == ns {
					out = append(out, Object{Kind: c.Views[q].Kind(), Name: q})
				}
			}
			return out
		},
		// GRANT and owners name a view TABLE; comments by its own kind.
		Has: func(c *Catalog, o Object) bool {
			v := c.Views[o.Name]
			return v != nil && (o.Kind == KindTable || v.Kind() == o.Kind)
		},
		Comment: func(c *Catalog, o Object) *string {
			if v := c.Views[o.Name]; v != nil && v.Kind() == o.Kind {
				return &v.Comment
			}
			return nil
		},
		IsType: func(c *Catalog, q QualifiedName) bool { return c.Views[q] != nil },
	})
	Register(KindInfo{
		Noun:  "function",
		Kinds: []Kind{KindFunction, KindProcedure},
		Init:  func(c *Catalog) { c.Functions = map[string]*Function{} },
		InSchema: func(c *Catalog, ns string) []Object {
			return sortedObjects(c.Functions, func(f *Function) (QualifiedName, Object) { return f.Name, f.Object() }, ns)
		},
		Has: func(c *Catalog, o Object) bool { return c.Functions[o.Name.Name] != nil },
		Comment: func(c *Catalog, o Object) *string {
			if f := c.Functions[o.Name.Name]; f != nil && f.Kind == o.Kind {
				return &f.Comment
			}
			return nil
		},
		Remove: func(c *Catalog, o Object) { delete(c.Functions, o.Name.Name) },
	})
	// Triggers belong to their table or view, which comments on them.
	Register(KindInfo{
		Noun:  "trigger",
		Kinds: []Kind{KindTrigger},
		Init:  func(c *Catalog) { c.Triggers = map[TriggerName]*Trigger{} },
	})
}
