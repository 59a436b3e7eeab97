package main

import (
	"context"
	"os"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// TestResume is the benchmark's failure scenario at a small size (12
// databases, 2 of them made to fail at migration 5 of 8): the other 10
// end at the newest version, and the rerun after the fix finishes only
// the 2. It checks behaviour, not time.
func TestResume(t *testing.T) {
	urls := make([]string, 12)
	for i := range urls {
		urls[i] = testdb.New(t)
	}
	rep, err := resume(context.Background(), urls, []int{3, 10}, 8, 5, 4)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 2 || rep.Finished != 2 {
		t.Errorf("failed %d, finished by the rerun %d; want 2 and 2", rep.Failed, rep.Finished)
	}
}
