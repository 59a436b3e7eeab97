package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedIsCurrent fails when decode_gen.go is not what the
// generator writes for the pg_query_go in go.mod: after an upgrade, run
// `go generate ./internal/pgdecode`.
func TestGeneratedIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../decode_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("internal/pgdecode/decode_gen.go is stale: run go generate ./internal/pgdecode")
	}
}
