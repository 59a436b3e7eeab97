// Package migfile reads a migrations folder in golang-migrate's layout:
// NNNNNN_slug.up.sql and NNNNNN_slug.down.sql pairs, versions compared as
// numbers.
//
// It knows file names, file contents, the markers that ddlmig writes into
// them and the file-level rules a migration must keep to be run (Rules); it
// splits files into statements with PostgreSQL's grammar for those rules,
// but models no schema and talks to no database, so that the generator,
// the review gate (check) and the runner all read the folder, and judge its
// files, the same way.
package migfile
