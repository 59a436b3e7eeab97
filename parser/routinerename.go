package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// renameTrigger folds ALTER TRIGGER name ON table RENAME TO new. The
// trigger keeps its definition, state and comment; only its name changes.
func (f *folder) renameTrigger(st *stmt, rs *pg_query.RenameStmt) error {
	tq := rangeVarName(rs.Relation)
	key := schema.TriggerName{Table: tq, Name: rs.Subname}
	tr := f.cat.Triggers[key]
	if tr == nil {
		return f.missingf(st.pos, "trigger %s for table %s does not exist", schema.QuoteIdent(rs.Subname), schema.QuoteIdent(tq.Name))
	}
	nkey := schema.TriggerName{Table: tq, Name: truncIdent(rs.Newname)}
	if f.cat.Triggers[nkey] != nil {
		return f.errorf(st.pos, "trigger %s for relation %s already exists", schema.QuoteIdent(nkey.Name), schema.QuoteIdent(tq.Name))
	}
	delete(f.cat.Triggers, key)
	tr.TriggerName = nkey
	rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) { n.Trigname = nkey.Name })
	f.cat.Triggers[nkey] = tr
	return nil
}

// renameFunction folds ALTER FUNCTION/PROCEDURE ... RENAME TO. PostgreSQL
// refers to a routine by its OID, so the triggers that call it follow the
// rename; its owner, grants and comment stay with it. Expressions that call
// it by name (column defaults, checks, indexes, policies, views,
// SQL-standard bodies) name it anew (renameCallers), unless another
// function shares its name, when such a rename is refused rather than
// folded wrongly.
func (f *folder) renameFunction(st *stmt, rs *pg_query.RenameStmt) error {
	key, err := f.functionKey(st, rs.Object.GetObjectWithArgs())
	if err != nil {
		return err
	}
	q := f.cat.Functions[key].Name
	return f.followRoutine(st, key, schema.QualifiedName{Schema: q.Schema, Name: truncIdent(rs.Newname)})
}

// followRoutine renames or moves routine or aggregate key to nq (ALTER
// ... RENAME TO, SET SCHEMA) and the expressions that call it by name
// (renameCallers), unless another function or aggregate shares its name:
// such a call may be that one's, so a routine that is called is refused
// rather than folded wrongly.
func (f *folder) followRoutine(st *stmt, key string, nq schema.QualifiedName) error {
	var old schema.QualifiedName
	if fn := f.cat.Functions[key]; fn != nil {
		old = fn.Name
	} else {
		old = f.cat.Aggregates[key].Name
	}
	if user := f.functionCaller(old); user != "" && f.nameShared(key, old) {
		what := "rename"
		if nq.Schema != old.Schema {
			what = "move"
		}
		return f.errorf(st.pos, "ddlmig cannot follow the %s of %s into %s, which calls a function of that name that another function or aggregate shares; "+
			"way out: drop %[3]s, %[1]s the function, and create %[3]s again calling the new name", what, key, user)
	}
	shared := f.nameShared(key, old)
	if f.cat.Functions[key] != nil {
		if _, err := f.moveFunction(st, key, nq); err != nil {
			return err
		}
	} else if err := f.moveAggregate(st, key, nq); err != nil {
		return err
	}
	if !shared {
		f.renameCallers(old, nq)
	}
	return nil
}

// moveFunction re-keys routine key under name nq (ALTER ... RENAME TO,
// SET SCHEMA, ALTER SCHEMA ... RENAME TO) with its texts, owner and
// privileges, and the triggers that execute it, which PostgreSQL stores
// by OID; it returns the new key. The texts that call it are the caller's
// (renameCallers).
func (f *folder) moveFunction(st *stmt, key string, nq schema.QualifiedName) (string, error) {
	fn := f.cat.Functions[key]
	renamed := *fn
	renamed.Name = nq
	nkey := renamed.Signature()
	if f.cat.Functions[nkey] != nil || f.cat.Aggregates[nkey] != nil {
		return "", f.errorf(st.pos, "function %s already exists in schema %s", nkey, schema.QuoteIdent(nq.Schema))
	}
	for _, text := range []*string{&renamed.Def, &renamed.Src, &renamed.Params} {
		var err error
		if *text, err = renameRoutineText(*text, nq); err != nil {
			return "", f.errorf(st.pos, "function: %v", err)
		}
	}
	f.rekeyRoutine(key, &renamed)
	if fn.Args != "" {
		return nkey, nil
	}
	for _, tn := range schema.SortedTriggers(f.cat.Triggers) {
		if tr := f.cat.Triggers[tn]; tr.Function == fn.Name {
			tr.Function = nq
			rewriteTrigger(tr, func(n *pg_query.CreateTrigStmt) {
				n.Funcname = []*pg_query.Node{pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)}
			})
		}
	}
	return nkey, nil
}

// functionCaller names the first object whose stored expression calls a
// function named q, or returns "".
func (f *folder) functionCaller(q schema.QualifiedName) string {
	for _, fn := range f.cat.Functions {
		if fn.Name == q && len(fn.Users) > 0 {
			u := fn.Users[0]
			return u.Kind + " " + u.Name + " of " + u.Table.String()
		}
	}
	for _, vq := range schema.SortedNames(f.cat.Views) {
		if slices.Contains(f.cat.Views[vq].Funcs, q) {
			return "view " + vq.String()
		}
	}
	return ""
}

// renameRoutineText gives a routine's CREATE FUNCTION text (canonical or
// the user's) a new name, keeping the body's quoting.
func renameRoutineText(def string, nq schema.QualifiedName) (string, error) {
	return editRoutineText(def, func(cf *pg_query.CreateFunctionStmt) {
		cf.Funcname = []*pg_query.Node{pg_query.MakeStrNode(nq.Schema), pg_query.MakeStrNode(nq.Name)}
	})
}

// editRoutineText changes a routine's CREATE FUNCTION text (canonical or
// the user's) with edit, keeping the body's quoting.
func editRoutineText(def string, edit func(cf *pg_query.CreateFunctionStmt)) (string, error) {
	tree, err := pgdecode.Parse(def)
	if err != nil {
		return "", err
	}
	cf := tree.Stmts[0].Stmt.GetCreateFunctionStmt()
	edit(cf)
	body := ""
	for _, o := range cf.Options {
		if d := o.GetDefElem(); d.Defname == "as" {
			if items := d.Arg.GetList().GetItems(); len(items) > 0 {
				body = items[0].GetString_().GetSval()
			}
		}
	}
	s, err := deparse(tree.Stmts[0].Stmt)
	if err != nil {
		return "", err
	}
	return requoteBody(s, body), nil
}

// alterConstraint folds ALTER TABLE ... ALTER CONSTRAINT name [NOT]
// DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE], which PostgreSQL allows on
// foreign keys only.
func (f *folder) alterConstraint(st *stmt, t *schema.Table, cmd *pg_query.Constraint) error {
	c := t.Constraint(cmd.Conname)
	if c == nil {
		return f.errorf(st.pos, "constraint %s of relation %s does not exist", schema.QuoteIdent(cmd.Conname), schema.QuoteIdent(t.Name.Name))
	}
	if c.Kind != schema.ForeignKey {
		return f.errorf(st.pos, "constraint %s of relation %s is not a foreign key constraint", schema.QuoteIdent(cmd.Conname), schema.QuoteIdent(t.Name.Name))
	}
	rewriteConstraint(c, func(n *pg_query.Constraint) {
		n.Deferrable, n.Initdeferred = cmd.Deferrable, cmd.Initdeferred
	})
	f.noteTable(t)
	return nil
}

// retypeRoutines follows relation or type old, renamed or moved to nq, in
// the signatures of the routines that name it (a parameter or result of
// a table's row type, an enum): PostgreSQL stores the type's OID and
// prints them with the new name. A routine's identity is its argument
// types, so it is re-keyed, with its owner and privileges. A quoted body
// is left as written, as PostgreSQL leaves it; the type's name in a
// SQL-standard body (a cast) follows, as the server stores that by OID.
func (f *folder) retypeRoutines(old, nq schema.QualifiedName) error {
	for _, key := range schema.SortedKeys(f.cat.Functions) {
		fn := f.cat.Functions[key]
		if !slices.Contains(fn.Types, old) {
			continue
		}
		renamed, err := retypeRoutine(fn, old, nq)
		if err != nil {
			return err
		}
		f.rekeyRoutine(key, renamed)
	}
	return nil
}

// rekeyRoutine replaces routine key with renamed, its new name or
// signature, and moves to it what names it by key: its owner, its
// privileges, and the casts converting with it (whose statement names it
// anew, as PostgreSQL, which stores its OID, prints them).
func (f *folder) rekeyRoutine(key string, renamed *schema.Function) {
	fn := f.cat.Functions[key]
	if o, ok := f.cat.Owners[fn.Object()]; ok {
		delete(f.cat.Owners, fn.Object())
		f.cat.Owners[renamed.Object()] = o
	}
	f.moveAggregatePrivileges(fn.Object(), renamed.Object())
	delete(f.cat.Functions, key)
	f.cat.Functions[renamed.Signature()] = renamed
	for _, c := range f.cat.Casts {
		if c.Func != key {
			continue
		}
		c.Func = renamed.Signature()
		tree, err := pgdecode.Parse(c.Stmt)
		if err != nil || len(tree.Stmts) != 1 || tree.Stmts[0].Stmt.GetCreateCastStmt().GetFunc() == nil {
			continue
		}
		tree.Stmts[0].Stmt.GetCreateCastStmt().Func.Objname = []*pg_query.Node{pg_query.MakeStrNode(renamed.Name.Schema), pg_query.MakeStrNode(renamed.Name.Name)}
		if stmt, err := deparse(tree.Stmts[0].Stmt); err == nil {
			c.Stmt = strings.TrimRight(stmt, " ")
		}
	}
}

// retypeRoutine returns fn with type old named nq in its texts, signature
// and references.
func retypeRoutine(fn *schema.Function, old, nq schema.QualifiedName) (*schema.Function, error) {
	renamed := *fn
	// A SQL-standard body's canonical text names public's types bare.
	retype := func(cf *pg_query.CreateFunctionStmt) { renameTypeRefs(cf.ProtoReflect(), old, nq) }
	var err error
	for _, text := range []*string{&renamed.Def, &renamed.Src, &renamed.Params} {
		if *text, err = editRoutineText(*text, retype); err != nil {
			return nil, err
		}
	}
	tree, err := pgdecode.Parse(renamed.Params)
	if err != nil {
		return nil, err
	}
	args, err := signatureArgs(tree.Stmts[0].Stmt.GetCreateFunctionStmt())
	if err != nil {
		return nil, err
	}
	renamed.Args = strings.Join(args, ", ")
	swap := func(q schema.QualifiedName) schema.QualifiedName {
		if q == old {
			return nq
		}
		return q
	}
	renamed.Types = mapNames(fn.Types, swap)
	renamed.Refs = mapNames(fn.Refs, swap)
	return &renamed, nil
}

// mapNames maps each name of qs with fn; nil stays nil, as a fold of the
// same routine written anew leaves it.
func mapNames(qs []schema.QualifiedName, fn func(schema.QualifiedName) schema.QualifiedName) []schema.QualifiedName {
	if qs == nil {
		return nil
	}
	out := make([]schema.QualifiedName, len(qs))
	for i, q := range qs {
		out[i] = fn(q)
	}
	return out
}

// retypeRoutinesAt is retypeRoutines for the statement st renaming old.
func (f *folder) retypeRoutinesAt(st *stmt, old, nq schema.QualifiedName) error {
	if err := f.retypeRoutines(old, nq); err != nil {
		return f.errorf(st.pos, "routine taking %s: %v", old, err)
	}
	return nil
}
