package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/jackc/pgx/v5"
)

// /dev/null is a character device but not a terminal (stdin under cron,
// ssh -n, docker run without -t); a pseudo-terminal is one.
func TestIsTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Error("/dev/null is taken for a terminal")
	}
	if isTerminal(strings.NewReader("y\n")) {
		t.Error("a strings.Reader is taken for a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}

	_, pts := openPTY(t)
	if !isTerminal(pts) {
		t.Error("a pseudo-terminal is not taken for a terminal")
	}
}

// openPTY opens a pseudo-terminal pair, closed when the test ends; it
// skips the test where there are none.
func openPTY(t *testing.T) (ptmx, pts *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Skipf("ptsname: %v", e)
	}
	pts, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	return ptmx, pts
}

// TestDownAsksOnPTY: on a real (pseudo-)terminal, down lists what the down
// file drops and asks; the answer typed on the terminal decides.
func TestDownAsksOnPTY(t *testing.T) {
	for _, tt := range []struct {
		answer string
		code   int
		tables string
	}{
		{"n", exitError, "1"},
		{"y", exitOK, "0"},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			dir, dbURL := appliedUsers(t)
			ptmx, pts := openPTY(t)
			if _, err := ptmx.WriteString(tt.answer + "\n"); err != nil {
				t.Fatal(err)
			}
			var out, errb strings.Builder
			code := run([]string{"--schema", dir + "/schema.sql", "--dir", dir + "/migrations", "down", "--database-url", dbURL}, pts, &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), "drop-table: drops table public.users") || !strings.Contains(errb.String(), "Roll back anyway? [y/N] ") {
				t.Fatalf("down answered %q: exit %d, want %d\n%s%s", tt.answer, code, tt.code, out.String(), errb.String())
			}
			conn, err := pgx.Connect(context.Background(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var n string
			if err := conn.QueryRow(context.Background(), `SELECT count(*)::text FROM pg_tables WHERE tablename = 'users'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tt.tables {
				t.Errorf("tables named users after down: %s, want %s", n, tt.tables)
			}
		})
	}
}

// generate does not ask about a possible rename when stdin is /dev/null:
// it writes the migration and prints the generate --amend --rename command.
func TestGenerateDevNullDoesNotAsk(t *testing.T) {
	dir := renameProject(t)
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var out, errb strings.Builder
	code := run([]string{"--schema", dir + "/schema.sql", "--dir", dir + "/migrations", "generate", "-m", "rename"}, null, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if strings.Contains(errb.String(), "Did you rename") || !strings.Contains(errb.String(), "--rename users.name=users.full_name") {
		t.Errorf("stderr:\n%s", errb.String())
	}
}
