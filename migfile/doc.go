// Package migfile reads a migrations folder in golang-migrate's layout:
// NNNNNN_slug.up.sql and NNNNNN_slug.down.sql pairs, six-digit versions.
//
// It knows file names, file contents and the review markers that ddlmig
// writes into them; it knows nothing about SQL or databases, so that the
// generator, the review gate and the runner all read the folder the same way.
package migfile
