package migfile

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that could act on a terminal
// instead of being shown written as a Go escape: control characters (\x1b,
// \n, \r, \u009b), the bidirectional overrides that reorder text (\u202e),
// and bytes that are not UTF-8 (\xff). File names and SQL identifiers may
// hold any of them; a message that prints one must show it, never let a
// table named "\x1b[2J" clear the screen or a newline forge a second line.
// Printable text, including any non-ASCII letter, is left alone.
func Escape(s string) string {
	return escape(s, false)
}

// EscapeLines is Escape that keeps newlines and tabs: for text made of
// lines, such as a whole error message.
func EscapeLines(s string) string {
	return escape(s, true)
}

func escape(s string, lines bool) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, n, lines) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s // the common case: nothing to escape
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unsafeRune(r, n, lines) {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		switch {
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports whether the rune r, n bytes long in its text, must be
// escaped. With lines, newlines and tabs are kept.
func unsafeRune(r rune, n int, lines bool) bool {
	switch {
	case r == utf8.RuneError && n <= 1:
		return true // not UTF-8 (a real U+FFFD is 3 bytes)
	case r == '\n' || r == '\t':
		return !lines
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r <= 0x9f: // C1 controls; \u009b starts an escape sequence too
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional marks and overrides
	}
	return false
}

// hasControl reports whether s holds anything Escape would change.
func hasControl(s string) bool {
	return Escape(s) != s
}
