package runner

import "testing"

func TestPluralWording(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{nouns(1, "batch"), "1 batch"},
		{nouns(3, "batch"), "3 batches"},
		{nouns(0, "migration"), "0 migrations"},
		{nouns(1, "migration"), "1 migration"},
		{firstBatches(1, "stays"), "batch 1 stays"},
		{firstBatches(3, "stays"), "batches 1-3 stay"},
		{firstBatches(1, "is"), "batch 1 is"},
		{firstBatches(2, "is"), "batches 1-2 are"},
		{firstBatches(1, ""), "batch 1"},
		{firstBatches(4, ""), "batches 1-4"},
		{(&MigrationError{File: "f.sql", Err: errString("boom"), Batch: 2, Batches: 3, RolledBack: true, Version: 7}).Error(),
			"f.sql: boom\nBatch 2 of 3 was rolled back; batch 1 stays applied, and ddlmig status shows migration 000007 as partly done.\n" +
				"Fix the cause and run ddlmig apply again: it resumes at batch 2 (the batches that ran must not be edited).\n" +
				"To give up instead, undo batch 1 by hand and run ddlmig stamp --force 000006."},
		{(&PartialError{Done: []Result{{Version: 3}}, Err: errString("boom")}).Error(), "boom\n(1 migration completed before the failure: 000003..000003)"},
	} {
		if c.got != c.want {
			t.Errorf("got  %q\nwant %q", c.got, c.want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
