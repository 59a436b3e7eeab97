package sqltext

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

func TestLineCol(t *testing.T) {
	text := "ab\nçé x\n\nlast"
	tests := []struct {
		name      string
		off       int
		line, col int
	}{
		{"start", 0, 1, 1},
		{"first line", 1, 1, 2},
		{"after newline", 3, 2, 1},
		{"after two multibyte characters", 7, 2, 3},
		{"empty line", 10, 3, 1},
		{"last line", 13, 4, 3},
		{"past the end", 99, 4, 5},
		{"negative", -1, 1, 1},
	}
	lines := NewLines(text)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if l, c := LineCol(text, tt.off); l != tt.line || c != tt.col {
				t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
			}
			if l, c := lines.LineCol(tt.off); l != tt.line || c != tt.col {
				t.Errorf("Lines.LineCol(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	text := "SELECT 'ü';\nSELECT x;"
	tests := []struct {
		name      string
		pos       int
		line, col int
	}{
		{"first character", 1, 1, 1},
		{"zero", 0, 1, 1},
		{"after a multibyte character", 10, 1, 10},
		{"second line", 20, 2, 8},
		{"past the end", 99, 2, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if l, c := Position(text, tt.pos); l != tt.line || c != tt.col {
				t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.pos, l, c, tt.line, tt.col)
			}
		})
	}
}

func TestBlankMetaCommands(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "SELECT 1;\n", "SELECT 1;\n"},
		{"first line", "\\restrict k\nSELECT 1;", "           \nSELECT 1;"},
		{"last line", "SELECT 1;\n\\unrestrict k", "SELECT 1;\n             "},
		{"backslash inside a line", "SELECT '\\x';", "SELECT '\\x';"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BlankMetaCommands(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPositionAfterRestrict is the position of a server error in a pg_dump
// file that starts with \restrict: blanked with spaces, the text sent keeps
// every line and offset, and the position PostgreSQL gives converts on it
// to the line and column of the file (verify once reported 1:44 here, for
// an error on line 3, column 19).
func TestPositionAfterRestrict(t *testing.T) {
	src := "\\restrict 0123456789abcdefghijklmnopqrstuvwxyzABCD\n\nCREATE TABLE t (x nosuchtype);\n\\unrestrict 0123456789abcdefghijklmnopqrstuvwxyzABCD\n"
	sent := BlankMetaCommands(src)
	err := testdb.Exec(t.Context(), testdb.New(t), sent)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Position == 0 {
		t.Fatalf("want a positioned server error, got %v", err)
	}
	if l, c := Position(sent, int(pgErr.Position)); l != 3 || c != 19 {
		t.Errorf("error at %d:%d, want 3:19", l, c)
	}
}

func TestDollarTag(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"$$ body", "$$", true},
		{"$fn$ body", "$fn$", true},
		{"$1 + 2", "", false},
		{"$a1$", "$a1$", true},
		{"$abc", "", false},
	}
	for _, tt := range tests {
		if got, ok := DollarTag(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("DollarTag(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSkipBlockComment(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"/* a */ x", 7},
		{"/* a /* b */ c */ x", 17},
		{"/* open", -1},
	}
	for _, tt := range tests {
		if got := SkipBlockComment(tt.in, 0); got != tt.want {
			t.Errorf("SkipBlockComment(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n          int
		word, want string
	}{{1, "batch", "1 batch"}, {3, "batch", "3 batches"}, {2, "migration", "2 migrations"}, {0, "class", "0 classes"}} {
		if got := Plural(tt.n, tt.word); got != tt.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tt.n, tt.word, got, tt.want)
		}
	}
}
