package migfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// SumFile is the sum file of a migrations folder, as go.sum is a module's
// and atlas.sum an Atlas folder's: one line per migration file with the
// hash of its text, below a first line that hashes all of them. generate
// rewrites it with every pair it writes, so two branches that each add a
// migration both change that first line, and git stops their merge on a
// conflict in it instead of merging two migrations of one version.
const SumFile = "ddlmig.sum"

// ErrSumConflict is returned (wrapped) by ParseSum for a sum file holding
// git's merge conflict markers.
var ErrSumConflict = errors.New("merge conflict markers")

// Sum is a sum file: file name to hash ("h1:" and the base64 of a
// sha256), and the total its first line records.
type Sum struct {
	Files map[string]string
	Total string
}

// FileHash is the hash a sum file records for a migration file's text.
// Review marker lines (-- ddlmig:unreviewed, -- ddlmig:reviewed) do not
// count, nor does the word's change elsewhere (the header names it):
// approving a statement, by editing its marker or deleting the line, is
// the review, not an edit to record.
func FileHash(content []byte) string {
	h := sha256.New()
	// "reviewed" is in both words: one scan tells the common case, a
	// file without markers, which is hashed as it is.
	if bytes.Contains(content, []byte("ddlmig:")) && bytes.Contains(content, []byte("reviewed")) {
		content = bytes.ReplaceAll(content, []byte("ddlmig:unreviewed"), []byte("ddlmig:reviewed"))
		content = withoutLines(content, []byte(ReviewedMarker))
	}
	h.Write(content)
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// withoutLines returns content without the lines that hold marker, as a
// word, after their leading blanks. It copies kept runs of lines whole.
func withoutLines(content, marker []byte) []byte {
	out := make([]byte, 0, len(content))
	kept := 0 // start of the run of kept lines not yet copied
	for off := 0; off < len(content); {
		end := bytes.IndexByte(content[off:], '\n')
		next := len(content)
		if end >= 0 {
			next = off + end + 1
		}
		line := bytes.TrimLeft(content[off:next], " \t")
		if rest, ok := bytes.CutPrefix(line, marker); ok && (len(bytes.TrimSpace(rest)) == 0 || rest[0] == ' ' || rest[0] == ':' || rest[0] == '\t') {
			out = append(out, content[kept:off]...)
			kept = next
		}
		off = next
	}
	return append(out, content[kept:]...)
}

func isMarker(line, prefix string) bool {
	rest, ok := strings.CutPrefix(line, prefix)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == ':')
}

// SumOf hashes every file of fsys's root that is named like a migration
// (duplicates and half pairs too: the sum records the folder, and check
// reports its layout apart).
func SumOf(fsys fs.FS) (Sum, error) {
	s := Sum{Files: map[string]string{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return s, err
	}
	for _, e := range entries {
		if e.IsDir() || Ignored(e.Name()) {
			continue
		}
		if _, _, _, ok := ParseName(e.Name()); !ok {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return s, err
		}
		s.Files[e.Name()] = FileHash(b)
	}
	s.Total = s.total()
	return s, nil
}

// ParseName splits a migration file name into its version, name and
// direction ("up" or "down"); ok is false for other names.
func ParseName(name string) (version uint64, slug, direction string, ok bool) {
	m := fileRE.FindStringSubmatch(name)
	if m == nil {
		return 0, "", "", false
	}
	v, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil || v == 0 {
		return 0, "", "", false
	}
	return v, m[2], m[3], true
}

// names returns the file names in version order, then by name.
func (s Sum) names() []string {
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		vi, _, _, _ := ParseName(names[i])
		vj, _, _, _ := ParseName(names[j])
		if vi != vj {
			return vi < vj
		}
		return names[i] < names[j]
	})
	return names
}

// body is the file lines of the sum file, which the first line hashes.
func (s Sum) body() string {
	var b strings.Builder
	for _, n := range s.names() {
		fmt.Fprintf(&b, "%s %s\n", n, s.Files[n])
	}
	return b.String()
}

func (s Sum) total() string {
	sum := sha256.Sum256([]byte(s.body()))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

// Bytes is the sum file's text, its total line recomputed.
func (s Sum) Bytes() []byte {
	return []byte(s.total() + "\n" + s.body())
}

// ParseSum reads a sum file. Lines it cannot read are errors at their
// line; conflict markers wrap ErrSumConflict.
func ParseSum(b []byte) (Sum, error) {
	s := Sum{Files: map[string]string{}}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i, l := range lines {
		for _, mk := range []string{"<<<<<<<", "=======", ">>>>>>>", "|||||||"} {
			if strings.HasPrefix(l, mk) {
				return s, fmt.Errorf("line %d: %w", i+1, ErrSumConflict)
			}
		}
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "h1:") || strings.ContainsRune(lines[0], ' ') {
		return s, errors.New("line 1: want the total hash (h1:...)")
	}
	s.Total = lines[0]
	for i, l := range lines[1:] {
		name, hash, ok := strings.Cut(l, " ")
		if _, _, _, named := ParseName(name); !ok || !named || !strings.HasPrefix(hash, "h1:") {
			return s, fmt.Errorf("line %d: want a migration file name and its hash (h1:...)", i+2)
		}
		s.Files[name] = hash
	}
	return s, nil
}

// SumProblems compares the sum file text b with the folder's sum now and
// says what differs, each problem naming the command that settles it.
// Problems are the folder's (File is the sum file, or the migration file
// at fault).
func SumProblems(b []byte, now Sum) []Problem {
	old, err := ParseSum(b)
	if errors.Is(err, ErrSumConflict) {
		return []Problem{{File: SumFile, Msg: "holds git merge conflict markers: two branches added migrations; " +
			"resolve any conflict in the schema file, then run ddlmig renumber to move this branch's migrations after the other branch's (it rewrites " + SumFile + ")"}}
	}
	if err != nil {
		return []Problem{{File: SumFile, Msg: err.Error() + "; it is written by ddlmig, not by hand: run ddlmig sum to rewrite it"}}
	}
	var ps []Problem
	for _, n := range now.names() {
		switch h, ok := old.Files[n]; {
		case !ok:
			ps = append(ps, Problem{File: n, Msg: "is not in " + SumFile + ": it was not written by ddlmig generate (copied in or renamed by hand?); once it is reviewed, run ddlmig sum to record it"})
		case h != now.Files[n]:
			ps = append(ps, Problem{File: n, Msg: "changed since ddlmig generate wrote it (" + SumFile + " records another hash): once the edit is reviewed, run ddlmig sum to record it; to undo it, restore the file (git checkout -- FILE) or, if it is not committed yet, rewrite the pair with ddlmig generate --amend"})
		}
	}
	for _, n := range old.names() {
		if _, ok := now.Files[n]; !ok {
			ps = append(ps, Problem{File: n, Msg: "is listed in " + SumFile + " but is not in the folder: restore it, or run ddlmig sum if it was removed on purpose"})
		}
	}
	if len(ps) == 0 && old.Total != old.total() {
		ps = append(ps, Problem{File: SumFile, Line: 1, Msg: "the total hash does not match the lines below it (edited by hand?): run ddlmig sum to rewrite it"})
	}
	return ps
}
