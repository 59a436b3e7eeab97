package migfile

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func sumFolder(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for n, t := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(t)}
	}
	return fsys
}

// TestSumProblems: the sum file records the folder as generate left it;
// each way the folder or the file can differ is one problem naming the
// command that settles it, and approving a review marker is none.
func TestSumProblems(t *testing.T) {
	base := map[string]string{
		"000001_a.up.sql":   "-- (change ddlmig:unreviewed to ddlmig:reviewed)\n-- ddlmig:unreviewed drop-column: x\nALTER TABLE t DROP COLUMN x;\n",
		"000001_a.down.sql": "ALTER TABLE t ADD COLUMN x int;\n",
		"README.md":         "notes\n",
	}
	s, err := SumOf(sumFolder(base))
	if err != nil {
		t.Fatal(err)
	}
	text := string(s.Bytes())
	if lines := strings.Split(text, "\n"); len(lines) != 4 || !strings.HasPrefix(lines[1], "000001_a.down.sql h1:") || !strings.HasPrefix(lines[2], "000001_a.up.sql h1:") {
		t.Fatalf("sum file:\n%s", text)
	}
	edit := func(name, content string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		if content == "" {
			delete(m, name)
		} else {
			m[name] = content
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		folder map[string]string
		sum    string
		want   string // "" for no problem
	}{
		{"unchanged", base, text, ""},
		{"approved", edit("000001_a.up.sql", "-- (change ddlmig:unreviewed to ddlmig:reviewed)\n-- ddlmig:reviewed drop-column: x\nALTER TABLE t DROP COLUMN x;\n"), text, ""},
		{"approved with sed", edit("000001_a.up.sql", "-- (change ddlmig:reviewed to ddlmig:reviewed)\n-- ddlmig:reviewed drop-column: x\nALTER TABLE t DROP COLUMN x;\n"), text, ""},
		{"approval line deleted", edit("000001_a.up.sql", "-- (change ddlmig:unreviewed to ddlmig:reviewed)\nALTER TABLE t DROP COLUMN x;\n"), text, ""},
		{"header edited", edit("000001_a.up.sql", "-- (approve)\n-- ddlmig:unreviewed drop-column: x\nALTER TABLE t DROP COLUMN x;\n"), text, "000001_a.up.sql: changed since"},
		{"hand edit", edit("000001_a.up.sql", "ALTER TABLE t DROP COLUMN y;\n"), text, "000001_a.up.sql: changed since ddlmig generate wrote it"},
		{"new file", edit("000002_b.up.sql", "SELECT 1;\n"), text, "000002_b.up.sql: is not in ddlmig.sum"},
		{"removed file", edit("000001_a.down.sql", ""), text, "000001_a.down.sql: is listed in ddlmig.sum but is not in the folder"},
		{"total edited", base, "h1:x" + text[strings.IndexByte(text, '\n'):], "ddlmig.sum:1: the total hash does not match"},
		{"conflict", base, "<<<<<<< HEAD\nh1:a\n=======\nh1:b\n>>>>>>> main\n", "ddlmig.sum: holds git merge conflict markers: two branches added migrations; resolve any conflict in the schema file, then run ddlmig renumber"},
		{"garbage", base, "hello\n", "ddlmig.sum: line 1: want the total hash (h1:...); it is written by ddlmig, not by hand: run ddlmig sum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now, err := SumOf(sumFolder(tc.folder))
			if err != nil {
				t.Fatal(err)
			}
			ps := SumProblems([]byte(tc.sum), now)
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			switch {
			case tc.want == "" && len(ps) > 0:
				t.Errorf("problems: %q", got)
			case tc.want != "" && (len(ps) != 1 || !strings.HasPrefix(got[0], tc.want)):
				t.Errorf("problems: %q, want one starting %q", got, tc.want)
			}
		})
	}
}

// Two branches that each add a migration change the sum file's first
// line, so that git cannot merge them without a conflict.
func TestSumFirstLineChangesWithEveryFile(t *testing.T) {
	a, _ := SumOf(sumFolder(map[string]string{"000001_a.up.sql": "x", "000002_b.up.sql": "y"}))
	b, _ := SumOf(sumFolder(map[string]string{"000001_a.up.sql": "x", "000002_c.up.sql": "y"}))
	la, _, _ := strings.Cut(string(a.Bytes()), "\n")
	lb, _, _ := strings.Cut(string(b.Bytes()), "\n")
	if la == lb {
		t.Errorf("first lines equal: %s", la)
	}
	if p, err := ParseSum(a.Bytes()); err != nil || p.Total != la || len(p.Files) != 2 {
		t.Errorf("ParseSum: %+v, %v", p, err)
	}
}

// BenchmarkFileHash is the hash check computes for every migration file
// on each run, for a 1 MiB file with review markers (the slow path) and
// without, next to sha256 of the same bytes (the floor, same run).
func BenchmarkFileHash(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "-- ddlmig:unreviewed drop-column: drops column public.t%d.c\nALTER TABLE public.t%d DROP COLUMN c;\n", i, i)
	}
	marked := []byte(sb.String())
	plain := bytes.ReplaceAll(marked, []byte("-- ddlmig:"), []byte("-- ddlmix:"))
	b.Run("floor", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			sha256.Sum256(plain)
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			FileHash(plain)
		}
	})
	b.Run("markers", func(b *testing.B) {
		b.SetBytes(int64(len(marked)))
		for b.Loop() {
			FileHash(marked)
		}
	})
}
