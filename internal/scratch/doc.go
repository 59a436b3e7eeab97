// Package scratch creates throwaway databases on a PostgreSQL server and
// hands out connection configs that can reach nothing else. ddlmig verify,
// the oracle's round trips and the tests' helpers share it.
//
// A connection string can name its database in several ways at once (the
// URL's path, dbname= and database= parameters, a later key=value pair
// overriding an earlier one), so scratch never edits one: each database's
// config is the server's parsed config with Database set, and every
// connection made from it checks current_database() before its first
// statement and refuses to go on anywhere else.
//
// Databases are named PREFIX_PID_START_RAND_ROLE after the server session
// that created them (its backend pid and start time), which stays open until
// Drop. Create first drops the databases of its prefix whose creating
// session is gone, left behind by a process that was killed; those of a
// session still connected (a verify running now) are never touched.
//
// It imports pgx and the standard library only: the oracle uses it and must
// stay independent of ddlmig's own packages.
package scratch
