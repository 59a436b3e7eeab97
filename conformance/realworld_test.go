package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/corpus"
)

const realworldKnown = "testdata/realworld-known-failures.txt"

// realworldPair is a line of pairs.jsonl: two versions of one project's
// schema.
type realworldPair struct {
	Name     string
	FromFile string `json:"from_file"`
	ToFile   string `json:"to_file"`
}

// TestRealworld checks real projects' schema files: each must migrate from
// an empty database to the file's schema and back, and each pair of versions
// in pairs.jsonl from the older to the newer and back. Cases not listed in
// testdata/realworld-known-failures.txt must pass.
func TestRealworld(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t, "realworld")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no schema files in %s/*/", dir)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return blankMetaCommands(string(b))
	}
	type job struct {
		name string
		mc   migCase
	}
	var jobs []job
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		jobs = append(jobs, job{"file " + filepath.ToSlash(rel), migCase{NewSQL: read(rel)}})
	}
	fh, err := os.Open(filepath.Join(dir, "pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var p realworldPair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("pairs.jsonl: %v", err)
		}
		jobs = append(jobs, job{"pair " + p.Name, migCase{OldSQL: read(p.FromFile), NewSQL: read(p.ToFile)}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2) // each takes hundreds of locks
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			results[i] = retry(func() Result { return check(ctx, j.mc) })
			results[i].Name = j.name
		}()
	}
	wg.Wait()
	counts := map[Status]int{}
	for _, r := range results {
		counts[r.Status]++
	}
	summarize("realworld round trips: %d passed, %d failed, %d unsupported", counts[Pass], counts[Fail], counts[Unsupported])
	t.Logf("%d files and pairs in %s", len(jobs), time.Since(start).Round(time.Second))
	writeDetails(t, "realworld", results)
	if serverErrors(t, results) && *update {
		t.Fatal("-update: not writing the list while the server failed some cases")
	}
	if *update {
		writeKnown(t, realworldKnown, fmt.Sprintf(`Realworld schema files and pairs that do not round trip yet: name, fail|unsupported, reason.
Written by go test ./conformance -update; the test fails when a case missing here fails.
%d cases: %d pass, %d fail, %d unsupported.`, len(results), counts[Pass], counts[Fail], counts[Unsupported]), results)
		return
	}
	checkKnown(t, realworldKnown, readKnown(t, realworldKnown), results)
}
