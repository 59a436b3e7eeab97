// Package runner applies the numbered migration files of a migrations folder
// to a PostgreSQL database and records what it did in a bookkeeping table.
//
// It is the part of ddlmig that touches production data, so it is built
// around a few guarantees:
//
//   - Each migration runs in its own transaction together with its
//     bookkeeping row, sent as one simple-protocol batch, so a failure (or an
//     interrupted client) leaves the database exactly as it was before that
//     migration.
//   - A file whose first line is "-- ddlmig:no-transaction" runs statement by
//     statement outside a transaction; while it runs its row is marked dirty,
//     and a failure leaves it dirty until a person resolves it (Stamp with
//     force).
//   - A session-level advisory lock on the one connection the runner uses
//     keeps two runs from applying the same migration; or, for engines
//     without advisory locks (Options.LockMode LockTable), a row with an
//     owner and an expiry in a lock table, renewed by a second connection
//     while the run lasts and taken over once expired (locktable.go). A
//     run that loses its row stops, its migration rolled back.
//   - Applied files that changed or disappeared, out-of-order versions and
//     unreviewed markers stop a run before anything is executed.
//   - No statement queues the application behind it: each runs with a
//     short lock_timeout, a migration that times out is rolled back and
//     retried after a pause (outside a transaction, only statements safe
//     to run twice), and the final error names the session in the way,
//     which a second connection saw while the statement waited
//     (locktimeout.go, notx.go, watch.go).
//   - Every commit is durable (synchronous_commit is never off for it), so
//     a step reported done survives a server crash.
//   - The bookkeeping table is ddlmig's or is left alone: a relation under
//     its name with other columns is refused untouched (ErrNotBookkeeping),
//     and a privilege missing on it is reported as such (TableError), not
//     as a failure of a migration file.
//
// The runner reads files through fs.FS and returns data (results, statuses,
// typed errors); it never prints. It must not parse schemas or know the
// model in package schema: it applies files, whatever produced them.
package runner
