package main

import (
	"io"
	"unicode/utf8"

	"github.com/ddlmig/ddlmig/migfile"
)

// escWriter is the terminal side of every message ddlmig prints: it
// escapes the control characters, bidirectional overrides and bytes that are
// not UTF-8 of what it is given (migfile.EscapeLines), keeping newlines and
// tabs. A file name or SQL identifier holding an escape sequence then shows
// as \x1b[31m wherever a message names it, instead of acting on the
// terminal. SQL meant to be saved or piped (diff, apply --dry-run) goes to
// Globals.Raw instead.
type escWriter struct {
	w       io.Writer
	pending []byte // the start of a character split across writes
}

func (e *escWriter) Write(p []byte) (int, error) {
	buf := p
	if len(e.pending) > 0 {
		buf = append(e.pending, p...)
		e.pending = nil
	}
	// Keep back a character that the next write completes.
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	if cut < len(buf) {
		e.pending = append([]byte(nil), buf[cut:]...)
	}
	if _, err := io.WriteString(e.w, migfile.EscapeLines(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes a character left incomplete at the end of the output.
func (e *escWriter) flush() {
	if len(e.pending) > 0 {
		io.WriteString(e.w, migfile.EscapeLines(string(e.pending)))
		e.pending = nil
	}
}
