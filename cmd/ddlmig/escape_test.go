package main

import (
	"bytes"
	"testing"
)

// TestEscWriter: control characters are escaped, lines and tabs kept, and
// a character split across two writes (tabwriter, a buffered pipe) is
// kept whole.
func TestEscWriter(t *testing.T) {
	var b bytes.Buffer
	w := &escWriter{w: &b}
	for _, s := range []string{"a\tb\n", "red \x1b[31m", "snow \xe2", "\x98\x83 ok\n", "bad \xff", "\xe2"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	w.flush()
	if got, want := b.String(), "a\tb\nred \\x1b[31msnow ☃ ok\nbad \\xff\\xe2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
