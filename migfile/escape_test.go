package migfile

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"users":               "users",
		"é☃ naïve":            "é☃ naïve",
		"a\x1b[31mred":        `a\x1b[31mred`,
		"nl\nx\ty\r":          `nl\nx\ty\r`,
		"bell\x07del\x7f":     `bell\x07del\x7f`,
		"csi\u009bx":          `csi\u009bx`,
		"rtl\u202eabc":        `rtl\u202eabc`,
		"bad\xffbyte":         `bad\xffbyte`,
		"real \uFFFD is kept": "real \uFFFD is kept",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := EscapeLines("line 1\n\tline\x1b 2\n"), "line 1\n\tline\\x1b 2\n"; got != want {
		t.Errorf("EscapeLines = %q, want %q", got, want)
	}
}
