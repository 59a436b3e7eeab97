package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotBookkeeping: the relation named as the bookkeeping table
// (Options.Table) exists but is not a table ddlmig made. The runner leaves
// it untouched. Test for it with errors.Is.
var ErrNotBookkeeping = errors.New("not a ddlmig bookkeeping table")

// ErrTablePrivilege: the user lacks a privilege the bookkeeping table needs
// (SELECT, INSERT, UPDATE or DELETE on it, CREATE on its schema to create
// it); a *TableError says which. Test for it with errors.Is.
var ErrTablePrivilege = errors.New("missing privilege on the bookkeeping table")

// TableError is a failure to create, read or write the bookkeeping table,
// told apart from a failure of a migration's own statements: the fix is a
// GRANT (or another --table), not an edit of the migration file. Inside a
// MigrationError it replaces the file:line of a statement.
type TableError struct {
	Table string // schema.name
	User  string // current_user, "" when unknown
	// Action is what failed: "creating it", "reading it", "recording
	// 000003_x.up.sql in it".
	Action string
	// Missing lists the privileges the user lacks ("INSERT", "CREATE on
	// schema app"); empty when the failure is another one (a row level
	// security policy, say).
	Missing []string
	// Grant is the statement that would give them, "" if none applies.
	Grant string
	// Advice is a sentence of what else to do, "" if none.
	Advice string
	Err    error // the server's error; nil for a check made before running
}

func (e *TableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bookkeeping table %s: ", e.Table)
	switch {
	case len(e.Missing) > 0 && e.Err == nil:
		fmt.Fprintf(&b, "user %q lacks %s on it, which %s needs; nothing was run", e.User, strings.Join(e.Missing, ", "), e.Action)
	case len(e.Missing) > 0:
		fmt.Fprintf(&b, "%s failed: user %q lacks %s (%s)", e.Action, e.User, strings.Join(e.Missing, ", "), describe(e.Err))
	default:
		fmt.Fprintf(&b, "%s failed: %s", e.Action, describe(e.Err))
	}
	if e.Grant != "" {
		b.WriteString("\nGrant it (as the owner or a superuser): " + e.Grant)
	}
	if e.Advice != "" {
		b.WriteString("\n" + e.Advice)
	}
	return b.String()
}

// Unwrap gives ErrTablePrivilege when a privilege is missing, and the
// server's error.
func (e *TableError) Unwrap() []error {
	var out []error
	if len(e.Missing) > 0 {
		out = append(out, ErrTablePrivilege)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// currentUser returns the session's current_user, or "" if it cannot be
// read. It is called after failures, so it does not use the caller's
// context, which may be cancelled.
func currentUser(ctx context.Context, conn *pgx.Conn) string {
	if conn.IsClosed() {
		return ""
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var u string
	if err := conn.QueryRow(c, `SELECT current_user`).Scan(&u); err != nil {
		return ""
	}
	return u
}

// isPermissionDenied recognises a missing privilege (SQLSTATE 42501, which
// a row level security policy also uses, with another message).
func isPermissionDenied(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501" &&
		(strings.HasPrefix(pe.Message, "permission denied") || strings.HasPrefix(pe.Message, "must be owner"))
}

// privilegeError turns a failure of action on the table into a
// *TableError. priv is the privilege the statement needed ("SELECT",
// "INSERT, UPDATE"); for "" it is worked out from the error (creating the
// table or its schema, altering it).
func (t table) privilegeError(ctx context.Context, conn *pgx.Conn, err error, action, priv string) error {
	if err == nil {
		return nil
	}
	te := &TableError{Table: t.display(), Action: action, Err: err}
	if !isPermissionDenied(err) {
		return te
	}
	te.User = currentUser(ctx, conn)
	var pe *pgconn.PgError
	errors.As(err, &pe)
	role := pgx.Identifier{te.User}.Sanitize()
	switch {
	case strings.HasPrefix(pe.Message, "must be owner"):
		te.Missing = []string{"ownership of the table"}
		te.Advice = "Only its owner may add the columns this ddlmig version needs (batch, batch_file): run ddlmig apply or stamp once as the owner."
	case strings.HasPrefix(pe.Message, "permission denied for schema"):
		te.Missing = []string{"CREATE on schema " + t.schema}
		te.Grant = fmt.Sprintf("GRANT CREATE ON SCHEMA %s TO %s;", pgx.Identifier{t.schema}.Sanitize(), role)
		te.Advice = "Or have the table created by a user who may (ddlmig apply or stamp run once as that user, then GRANT SELECT, INSERT, UPDATE, DELETE on it), or name a table in a schema where " + te.User + " may create (--table SCHEMA.NAME)."
	case strings.HasPrefix(pe.Message, "permission denied for database"):
		db := strings.TrimPrefix(pe.Message, "permission denied for database ")
		te.Missing = []string{"CREATE on database " + db + " (to create schema " + t.schema + ")"}
		te.Grant = fmt.Sprintf("GRANT CREATE ON DATABASE %s TO %s;", pgx.Identifier{db}.Sanitize(), role)
		te.Advice = "Or name a table in a schema that exists (--table SCHEMA.NAME)."
	case priv != "":
		te.Missing = strings.Split(priv, ", ")
		te.Grant = fmt.Sprintf("GRANT %s ON %s TO %s;", priv, t, role)
	}
	return te
}

// checkPrivileges makes sure, before a command runs anything, that the
// user may write the table as it will: need holds "INSERT", "UPDATE" and
// "DELETE" as the steps require. Column privileges count (the runtime
// error catches a column left out).
func (t table) checkPrivileges(ctx context.Context, conn *pgx.Conn, command string, need ...string) error {
	if len(need) == 0 {
		return nil
	}
	var user string
	var missing []string
	for _, p := range need {
		fn := "has_any_column_privilege"
		if p == "DELETE" {
			fn = "has_table_privilege"
		}
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT `+fn+`($1, $2), current_user`, t.String(), p).Scan(&ok, &user); err != nil {
			return fmt.Errorf("checking privileges on table %s: %w", t.display(), err)
		}
		if !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &TableError{Table: t.display(), User: user, Action: command, Missing: missing,
		Grant: fmt.Sprintf("GRANT %s ON %s TO %s;", strings.Join(missing, ", "), t, pgx.Identifier{user}.Sanitize())}
}

// stepPrivileges is what running steps writes to the table: a row inserted
// per migration going up, deleted going down, and updated for files that
// record progress (no-transaction files, batches).
func stepPrivileges(steps []Step) []string {
	var ins, upd, del bool
	for _, st := range steps {
		ins = ins || st.Direction == Up
		del = del || st.Direction == Down
		upd = upd || st.NoTransaction || st.Batches > 1
	}
	return privs(ins, upd, del)
}

func privs(ins, upd, del bool) []string {
	var out []string
	if ins {
		out = append(out, "INSERT")
	}
	if upd {
		out = append(out, "UPDATE")
	}
	if del {
		out = append(out, "DELETE")
	}
	return out
}

// bookPrivilege is the privilege a bookkeeping statement needs, from its
// first word (an upsert needs INSERT and UPDATE).
func bookPrivilege(book string) string {
	w := words(book, 1)
	if len(w) == 0 {
		return ""
	}
	if w[0] == "INSERT" && strings.Contains(book, "ON CONFLICT") {
		return "INSERT, UPDATE"
	}
	switch w[0] {
	case "INSERT", "UPDATE", "DELETE":
		return w[0]
	}
	return ""
}
