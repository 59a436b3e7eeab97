package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/runner"
)

// jsonVersion is the version of the JSON documents below; a change that
// removes or renames a field raises it (README, "Machine-readable output").
const jsonVersion = 1

// DiffJSON is the document `diff --format json` writes.
type DiffJSON struct {
	Version int    `json:"version"`
	Command string `json:"command"` // "diff"
	// HasChanges is false when the schema file matches the migrations.
	HasChanges bool `json:"has_changes"`
	// Fingerprint is "sha256:" and the hex sha256 of UpSQL: two runs that
	// would write the same up file have the same fingerprint.
	Fingerprint string `json:"fingerprint"`
	// Changes of the up migration, in the order they run.
	Changes []ChangeJSON `json:"changes"`
	// UpSQL and DownSQL are the files generate would write, as diff and
	// diff --down print them ("" when there are no changes).
	UpSQL   string `json:"up_sql"`
	DownSQL string `json:"down_sql"`
	// PossibleRenames are the drops and adds that may be renames, as
	// --rename takes them ("users.name=users.full_name").
	PossibleRenames []string `json:"possible_renames"`
}

// ChangeJSON is one change of a plan.
type ChangeJSON struct {
	// Kind is the planner's name for the change: "DropColumn", "SetNotNull".
	Kind string `json:"kind"`
	// SQL is the statement without its review markers.
	SQL string `json:"sql"`
	// Lock is the strongest table lock the statement takes, as PostgreSQL
	// names it ("ACCESS EXCLUSIVE"); omitted when ddlmig does not know it.
	Lock    string       `json:"lock,omitempty"`
	Hazards []HazardJSON `json:"hazards"`
	// File is the migration file that holds the change when generate
	// writes the change as several migrations (online forms); omitted
	// otherwise.
	File string `json:"file,omitempty"`
}

// HazardJSON is one hazard of a change.
type HazardJSON struct {
	Code    string `json:"code"`  // stable code, as in the README's table
	Class   string `json:"class"` // "data loss", "lock or failure" or "irreversible"
	Message string `json:"message"`
	// File, Line and Column are where the object is declared: in the old
	// schema (a migration) for what is dropped, in the schema file
	// otherwise; omitted when unknown.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// CheckJSON is the document `check --format json` writes.
type CheckJSON struct {
	Version int    `json:"version"`
	Command string `json:"command"` // "check"
	// OK is true when check passes (exit 0): no problem, notes allowed.
	OK       bool          `json:"ok"`
	Problems []FindingJSON `json:"problems"`
	Notes    []FindingJSON `json:"notes"`
}

// FindingJSON is one problem or note of check.
type FindingJSON struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`   // omitted when the whole file is meant
	Column int    `json:"column,omitempty"` // omitted when only the line is known
	// Kind is "folder", "unreviewed", "rule", "syntax", "rename",
	// "pending", "plan" or "sum" (see project.Finding.Kind).
	Kind string `json:"kind"`
	// Code is the hazard code of an "unreviewed" finding; omitted otherwise.
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

// writeJSON writes doc as one indented JSON document and a newline.
func writeJSON(g *Globals, doc any) error {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = g.Raw.Write(append(b, '\n'))
	return err
}

func diffDocument(m *project.Migration, declined []planner.Rename) DiffJSON {
	doc := DiffJSON{
		Version:         jsonVersion,
		Command:         "diff",
		HasChanges:      !m.Empty(),
		PossibleRenames: []string{},
	}
	if doc.HasChanges {
		doc.UpSQL, doc.DownSQL = m.Up, m.Down
	}
	sum := sha256.Sum256([]byte(doc.UpSQL))
	doc.Fingerprint = "sha256:" + hex.EncodeToString(sum[:])
	doc.Changes = []ChangeJSON{}
	for _, f := range pairs(m) {
		for _, cj := range changesJSON(f.UpPlan) {
			if len(m.Steps) > 0 {
				cj.File = f.UpFile
			}
			doc.Changes = append(doc.Changes, cj)
		}
	}
	for _, pr := range declined {
		old, nu, _ := strings.Cut(pr.Suggestion(), " -> ")
		doc.PossibleRenames = append(doc.PossibleRenames, old+"="+nu)
	}
	return doc
}

// changesJSON is p's changes in order, each with its statement, lock and
// hazards.
func changesJSON(p *planner.Plan) []ChangeJSON {
	out := []ChangeJSON{}
	for _, c := range p.Changes {
		sql := render.Statement(c)
		cj := ChangeJSON{
			Kind:    strings.TrimPrefix(fmt.Sprintf("%T", c), "*planner."),
			SQL:     sql,
			Lock:    lockOf(c, sql),
			Hazards: []HazardJSON{},
		}
		for _, h := range planner.HazardsOf(c) {
			hj := HazardJSON{Code: h.Code, Message: h.Message, File: h.Pos.File, Line: h.Pos.Line, Column: h.Pos.Col}
			if info, ok := planner.Info(h.Code); ok {
				hj.Class = info.Class.String()
			}
			cj.Hazards = append(cj.Hazards, hj)
		}
		out = append(out, cj)
	}
	return out
}

// lockOf is the strongest lock a change's statement takes on an existing
// table, from PostgreSQL's documentation of each statement; "" for the
// changes not listed (a new object, or one that is not a table's).
func lockOf(c planner.Change, sql string) string {
	const (
		accessExclusive      = "ACCESS EXCLUSIVE"
		shareRowExclusive    = "SHARE ROW EXCLUSIVE"
		shareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
		share                = "SHARE"
	)
	switch c := c.(type) {
	case *planner.DropTable, *planner.RenameTable, *planner.AddColumn, *planner.DropColumn,
		*planner.RenameColumn, *planner.AlterColumnType, *planner.SetDefault, *planner.DropDefault,
		*planner.SetNotNull, *planner.DropNotNull, *planner.AddIdentity, *planner.DropIdentity,
		*planner.SetIdentity, *planner.DropExpression, *planner.DropConstraint, *planner.AlterForeignOptions:
		return accessExclusive
	case *planner.AddConstraint:
		if c.Constraint != nil && c.Constraint.RefTable.Name != "" {
			return shareRowExclusive
		}
		return accessExclusive
	case *planner.ValidateConstraint:
		return shareUpdateExclusive
	case *planner.CreateIndex:
		if strings.Contains(strings.SplitN(sql, "(", 2)[0], " CONCURRENTLY ") {
			return shareUpdateExclusive
		}
		return share
	case *planner.DropIndex:
		if strings.HasPrefix(sql, "DROP INDEX CONCURRENTLY") {
			return shareUpdateExclusive
		}
		return accessExclusive
	case *planner.RenameIndex:
		return shareUpdateExclusive
	}
	return ""
}

func checkDocument(findings []project.Finding) CheckJSON {
	doc := CheckJSON{Version: jsonVersion, Command: "check", Problems: []FindingJSON{}, Notes: []FindingJSON{}}
	for _, f := range findings {
		fj := FindingJSON{File: f.File, Line: f.Line, Column: f.Col, Kind: f.Kind, Message: f.Msg}
		if f.Kind == "unreviewed" || f.Kind == "lint" {
			rest := strings.TrimPrefix(f.Msg, "unreviewed ")
			if code, _, ok := strings.Cut(rest, ":"); ok {
				fj.Code = code
			}
		}
		if f.Note {
			doc.Notes = append(doc.Notes, fj)
		} else {
			doc.Problems = append(doc.Problems, fj)
		}
	}
	doc.OK = len(doc.Problems) == 0
	return doc
}

// HistoryJSON is the document `history --format json` writes.
type HistoryJSON struct {
	Version    int                 `json:"version"`
	Command    string              `json:"command"` // "history"
	Migrations []MigrationFileJSON `json:"migrations"`
}

// MigrationFileJSON is one migration of the folder, oldest first.
type MigrationFileJSON struct {
	Version uint64 `json:"version"`
	Name    string `json:"name"` // the slug: "add_users"
	File    string `json:"file"` // the up file, with the folder
	// Message is the "-- Message:" header line; omitted when there is none.
	Message       string `json:"message,omitempty"`
	HasDown       bool   `json:"has_down"`
	NoTransaction bool   `json:"no_transaction"`
	Unreviewed    int    `json:"unreviewed"` // unreviewed markers in the up file
}

func historyDocument(dir string, entries []runner.Entry) HistoryJSON {
	doc := HistoryJSON{Version: jsonVersion, Command: "history", Migrations: []MigrationFileJSON{}}
	for _, e := range entries {
		doc.Migrations = append(doc.Migrations, MigrationFileJSON{
			Version: e.Version, Name: e.Name, File: filepath.Join(dir, e.File), Message: e.Message,
			HasDown: e.HasDown, NoTransaction: e.NoTransaction, Unreviewed: e.Unreviewed,
		})
	}
	return doc
}

// StatusJSON is the document `status --format json` writes.
type StatusJSON struct {
	Version int    `json:"version"`
	Command string `json:"command"` // "status"
	// Table is the bookkeeping table; TableExists is false for a database
	// ddlmig never touched.
	Table       string `json:"table"`
	TableExists bool   `json:"table_exists"`
	// AppliedVersion is the highest applied version, 0 for none.
	AppliedVersion uint64 `json:"applied_version"`
	Pending        int    `json:"pending"`
	Running        int    `json:"running"`
	// HeldBy is the server pid of the session holding the migration lock;
	// omitted when none does.
	HeldBy int32 `json:"held_by,omitempty"`
	// NeedsAttention is true when status --exit-code exits 1: folder
	// problems, or a migration dirty, partly done, reused, changed or
	// missing.
	NeedsAttention bool                  `json:"needs_attention"`
	Problems       []string              `json:"problems"`
	Migrations     []MigrationStatusJSON `json:"migrations"`
}

// MigrationStatusJSON is one migration's state in the database.
type MigrationStatusJSON struct {
	Version uint64 `json:"version"`
	Name    string `json:"name"`
	// State is "pending", "applied", "dirty", "changed", "missing",
	// "partial", "reused" or "running".
	State      string `json:"state"`
	OutOfOrder bool   `json:"out_of_order"`
	// AppliedAt (RFC 3339, UTC) and DurationMS are omitted when pending.
	AppliedAt  string `json:"applied_at,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	Stamped    bool   `json:"stamped"`
	// Failure is the error of a dirty or partly done migration.
	Failure string `json:"failure,omitempty"`
	// Batches is the number of batches done of a partly done migration.
	Batches int `json:"batches,omitempty"`
	// AppliedName is the name recorded with a reused version; Message
	// says what to do about it.
	AppliedName string `json:"applied_name,omitempty"`
	Message     string `json:"message,omitempty"`
	// LockWait is the lock a running migration waits for.
	LockWait *LockWaitJSON `json:"lock_wait,omitempty"`
}

// LockWaitJSON is a lock a migration waits for and the session holding it.
type LockWaitJSON struct {
	PID     int32       `json:"pid"`    // the run's session
	Object  string      `json:"object"` // "table t", "the end of another transaction"
	Mode    string      `json:"mode"`   // the mode asked for, e.g. AccessExclusiveLock
	Blocker SessionJSON `json:"blocker"`
	// Others is the number of further sessions in the way.
	Others int `json:"others,omitempty"`
}

// SessionJSON is a server session; times are RFC 3339 (UTC), omitted when
// unknown, and a password in the query is hidden.
type SessionJSON struct {
	PID         int32  `json:"pid"`
	Application string `json:"application"`
	User        string `json:"user"`
	State       string `json:"state"`
	XactStart   string `json:"xact_start,omitempty"`
	QueryStart  string `json:"query_start,omitempty"`
	Query       string `json:"query"`
}

func lockWaitDocument(w *runner.LockWait) *LockWaitJSON {
	if w == nil {
		return nil
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	b := w.Blocker
	return &LockWaitJSON{PID: w.PID, Object: w.Object, Mode: w.Mode, Others: w.Others, Blocker: SessionJSON{
		PID: b.PID, Application: b.Application, User: b.User, State: b.State,
		XactStart: at(b.XactStart), QueryStart: at(b.QueryStart), Query: b.Query,
	}}
}

// stateNames are the stable names of the states in JSON.
var stateNames = map[runner.State]string{
	runner.StatePending: "pending",
	runner.StateApplied: "applied",
	runner.StateDirty:   "dirty",
	runner.StateChanged: "changed",
	runner.StateMissing: "missing",
	runner.StatePartial: "partial",
	runner.StateReused:  "reused",
	runner.StateRunning: "running",
}

func statusDocument(st *runner.Status) StatusJSON {
	doc := StatusJSON{
		Version: jsonVersion, Command: "status",
		Table: st.Table, TableExists: st.TableExists, AppliedVersion: st.Version,
		Pending: st.Pending(), Running: st.Running(), HeldBy: st.HeldBy,
		NeedsAttention: needsAttention(st),
		Problems:       append([]string{}, st.Problems...),
		Migrations:     []MigrationStatusJSON{},
	}
	for _, m := range st.Migrations {
		state, ok := stateNames[m.State]
		if !ok {
			state = m.State.String()
		}
		mj := MigrationStatusJSON{
			Version: m.Version, Name: m.Name, State: state, OutOfOrder: m.OutOfOrder,
			Stamped: m.Stamped, Failure: m.Failure, Batches: m.Batch, AppliedName: m.AppliedName, Message: m.Message,
			LockWait: lockWaitDocument(m.Wait),
		}
		if !m.AppliedAt.IsZero() {
			mj.AppliedAt = m.AppliedAt.UTC().Format(time.RFC3339Nano)
			mj.DurationMS = m.Took.Milliseconds()
		}
		doc.Migrations = append(doc.Migrations, mj)
	}
	return doc
}

// DriftJSON is the document `drift --format json` writes.
type DriftJSON struct {
	Version int    `json:"version"`
	Command string `json:"command"` // "drift"
	// Against is "migrations" or "schema" (--against); Target says what
	// exactly: "migrations up to version 000003", or the schema file.
	Against string `json:"against"`
	Target  string `json:"target"`
	// Drift is false when the database matches (exit 0).
	Drift bool `json:"drift"`
	// Fingerprint is "sha256:" and the hex sha256 of SQL.
	Fingerprint string `json:"fingerprint"`
	// Changes bring the database back to Target, in the order they run;
	// SQL is all of them with their review markers, as text drift prints.
	Changes []ChangeJSON `json:"changes"`
	SQL     string       `json:"sql"`
}

func driftDocument(against, target string, up *planner.Plan) DriftJSON {
	doc := DriftJSON{
		Version: jsonVersion, Command: "drift", Against: against, Target: target,
		Drift: !up.Empty(), Changes: changesJSON(up), SQL: render.SQL(up),
	}
	// What only the database has is "declared" in inspect's text, which
	// is no file to open.
	for i := range doc.Changes {
		for j, h := range doc.Changes[i].Hazards {
			if h.File == liveFile {
				doc.Changes[i].Hazards[j].File, doc.Changes[i].Hazards[j].Line, doc.Changes[i].Hazards[j].Column = "", 0, 0
			}
		}
	}
	sum := sha256.Sum256([]byte(doc.SQL))
	doc.Fingerprint = "sha256:" + hex.EncodeToString(sum[:])
	return doc
}
