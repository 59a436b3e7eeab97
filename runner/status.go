package runner

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
)

// State is a migration's state as Status reports it.
type State int

const (
	StatePending State = iota + 1
	StateApplied
	// StateDirty: started outside a transaction and not finished.
	StateDirty
	// StateChanged: applied, but the up file changed since.
	StateChanged
	// StateMissing: applied, but the up file is gone.
	StateMissing
	// StatePartial: a file cut by batch markers stopped partway; the
	// next apply (or down, when it was rolling back) resumes it.
	StatePartial
	// StateReused: the version is recorded as applied under another name
	// (AppliedName) and text: another branch reused the version number,
	// and the folder's file of that version never ran.
	StateReused
	// StateRunning: marked dirty or partly done while another session
	// holds the migration lock (Status.HeldBy): a run is working on it
	// now (a no-transaction file, or the batches of a batched one).
	StateRunning
)

func (s State) String() string {
	switch s {
	case StatePending:
		return "pending"
	case StateApplied:
		return "applied"
	case StateDirty:
		return "DIRTY"
	case StateChanged:
		return "applied, file changed since"
	case StateMissing:
		return "applied, file missing"
	case StatePartial:
		return "PARTLY DONE"
	case StateReused:
		return "VERSION REUSED"
	case StateRunning:
		return "running"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// MigrationStatus is one line of Status.
type MigrationStatus struct {
	Version   uint64
	Name      string
	State     State
	AppliedAt time.Time     // zero when pending
	Took      time.Duration // server-side execution time
	Stamped   bool          // recorded by stamp, never run by ddlmig
	// OutOfOrder marks a pending version lower than an applied one.
	OutOfOrder bool
	Failure    string // for StateDirty and StatePartial
	// Batch is the number of batches done, for StatePartial.
	Batch int
	// AppliedName is the name recorded with the version, for
	// StateReused (Name is the folder's).
	AppliedName string
	// Message explains StateReused in a sentence.
	Message string
	// Wait is the lock a running migration waits for, nil when it does
	// not (or when it is not running).
	Wait *LockWait
}

// Status is the database's state against the folder.
type Status struct {
	Table string
	// TableExists is false for a database ddlmig never touched.
	TableExists bool
	// Version is the highest applied version, 0 for none.
	Version    uint64
	Migrations []MigrationStatus // in version order
	// Problems are the folder's layout problems, which make apply refuse
	// to run; status reports them instead of failing.
	Problems []string
	// HeldBy is the process id of the server session holding the
	// migration lock (an apply, down or stamp at work), 0 when none does.
	// Status only looks (pg_locks); it never takes the lock.
	HeldBy int32
	// Wait is the lock the session HeldBy waits for, nil when it does not
	// wait; File is the migration file it runs, when status can tell.
	Wait *LockWait
	File string
}

// Pending returns the number of pending migrations.
func (s *Status) Pending() int {
	n := 0
	for _, m := range s.Migrations {
		if m.State == StatePending {
			n++
		}
	}
	return n
}

// Running returns the number of migrations a run holding the lock is
// working on (StateRunning).
func (s *Status) Running() int {
	n := 0
	for _, m := range s.Migrations {
		if m.State == StateRunning {
			n++
		}
	}
	return n
}

// Dirty returns the dirty or partly done migration, if any.
func (s *Status) Dirty() (MigrationStatus, bool) {
	for _, m := range s.Migrations {
		if m.State == StateDirty || m.State == StatePartial {
			return m, true
		}
	}
	return MigrationStatus{}, false
}

// Status reads the table and compares it with the folder. It takes no lock
// and never writes, so it is safe during a running apply; problems such as
// changed files are reported as states, not errors. A row marked dirty
// while another session holds the migration lock is StateRunning, not
// StateDirty: that run is working on it.
func (r *Runner) Status(ctx context.Context) (*Status, error) {
	f, err := migfile.Read(r.fsys)
	if err != nil {
		return nil, fmt.Errorf("reading migrations folder: %w", err)
	}
	l, err := r.table.inspect(ctx, r.conn)
	if err != nil {
		return nil, err
	}
	recs, err := r.table.load(ctx, r.conn, l)
	if err != nil {
		return nil, err
	}
	holder, err := r.lk.running(ctx)
	if err != nil {
		return nil, err
	}
	st := &Status{Table: r.table.display(), TableExists: l != layoutMissing, HeldBy: holder}
	if holder != 0 {
		if st.File, st.Wait, err = holderActivity(ctx, r.conn, holder); err != nil {
			return nil, err
		}
	}
	for _, p := range f.Problems {
		st.Problems = append(st.Problems, p.String())
	}
	byV := map[uint64]Record{}
	for _, rec := range recs {
		byV[rec.Version] = rec
		st.Version = max(st.Version, rec.Version)
	}
	for _, m := range f.Migrations {
		ms := MigrationStatus{Version: m.Version, Name: m.Name, State: StatePending}
		if rec, ok := byV[m.Version]; ok {
			ms.State = StateApplied
			ms.AppliedAt, ms.Took, ms.Stamped, ms.Failure = rec.AppliedAt, rec.Duration, rec.Stamped, rec.Failure
			ms.Batch = rec.Batch
			if rec.Dirty && holder != 0 {
				ms.State = StateRunning
			} else if rec.Dirty && rec.Batch > 0 {
				ms.State = StatePartial
			} else if rec.Dirty {
				ms.State = StateDirty
			} else if text, err := fs.ReadFile(r.fsys, m.Up); err != nil {
				return nil, err
			} else if migfile.Checksum(text) != rec.Checksum {
				ms.State = StateChanged
				if reusedVersion(rec, m) {
					ms.State, ms.AppliedName, ms.Message = StateReused, rec.Name, reusedMessage(f, rec, m)
				}
			}
			delete(byV, m.Version)
		} else if m.Version < st.Version {
			ms.OutOfOrder = true
		}
		st.running(&ms, m)
		st.Migrations = append(st.Migrations, ms)
	}
	for _, rec := range byV {
		ms := MigrationStatus{Version: rec.Version, Name: rec.Name, State: StateMissing, AppliedAt: rec.AppliedAt, Took: rec.Duration, Stamped: rec.Stamped, Failure: rec.Failure}
		if rec.Dirty {
			ms.State = StateDirty
			if holder != 0 {
				ms.State = StateRunning
			}
		}
		st.Migrations = append(st.Migrations, ms)
	}
	sort.Slice(st.Migrations, func(i, j int) bool { return st.Migrations[i].Version < st.Migrations[j].Version })
	return st, nil
}

// running marks the migration that the run holding the lock is working
// on, as its transactions name it (st.File), as running: a pending one
// being applied, an applied one being rolled back. The migration running
// gets the lock wait, if any.
func (st *Status) running(ms *MigrationStatus, m migfile.Migration) {
	if st.HeldBy == 0 {
		return
	}
	if st.File != "" && (st.File == m.Up || st.File == m.Down) {
		ms.State = StateRunning
	}
	if ms.State == StateRunning {
		ms.Wait = st.Wait
	}
}

// message returns the "-- Message:" header from a file's leading comments.
func message(text []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "--") {
			break
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		if rest, ok := cutPrefixFold(body, "message:"); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
