package migfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered migration: its up file and, normally, its down
// file.
type Migration struct {
	Version uint64
	// Name is the slug after the version: "add_email" in
	// 000002_add_email.up.sql.
	Name string
	// Up and Down are file names relative to the folder; Down is "" when the
	// down file is missing.
	Up   string
	Down string
}

// Problem is something wrong with the folder's layout. Problems are data so
// that `check` can list them all while `generate` and `apply` refuse to work
// on a folder that has any.
type Problem struct {
	File string // the file at fault, relative to the folder
	Msg  string
}

func (p Problem) String() string { return p.File + ": " + p.Msg }

// Folder is the parsed listing of a migrations folder.
type Folder struct {
	// Migrations in version order; for a duplicated version only the first
	// (by file name) is listed and the clash is a Problem.
	Migrations []Migration
	Problems   []Problem
}

// Err returns the folder's problems as one error, or nil.
func (f *Folder) Err() error {
	if len(f.Problems) == 0 {
		return nil
	}
	msgs := make([]string, len(f.Problems))
	for i, p := range f.Problems {
		msgs[i] = p.String()
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// Latest returns the highest version, or 0 for an empty folder.
func (f *Folder) Latest() uint64 {
	if len(f.Migrations) == 0 {
		return 0
	}
	return f.Migrations[len(f.Migrations)-1].Version
}

// Find returns the migration with the given version.
func (f *Folder) Find(version uint64) (Migration, bool) {
	i := sort.Search(len(f.Migrations), func(i int) bool { return f.Migrations[i].Version >= version })
	if i < len(f.Migrations) && f.Migrations[i].Version == version {
		return f.Migrations[i], true
	}
	return Migration{}, false
}

var fileRE = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)

// Read lists the migrations in the root of fsys. Files that do not look like
// migrations are ignored, except *.sql files, which are reported: a
// misnamed migration must not be skipped silently.
func Read(fsys fs.FS) (*Folder, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	f := &Folder{}
	byVersion := map[uint64]*Migration{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		m := fileRE.FindStringSubmatch(name)
		if m == nil {
			if strings.HasSuffix(name, ".sql") {
				f.Problems = append(f.Problems, Problem{name, "not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)"})
			}
			continue
		}
		v, err := strconv.ParseUint(m[1], 10, 64)
		if err != nil || v == 0 {
			f.Problems = append(f.Problems, Problem{name, "version must be a positive number"})
			continue
		}
		mig := byVersion[v]
		if mig == nil {
			mig = &Migration{Version: v, Name: m[2]}
			byVersion[v] = mig
		} else if mig.Name != m[2] {
			other := mig.Up
			if other == "" {
				other = mig.Down
			}
			f.Problems = append(f.Problems, Problem{name, fmt.Sprintf(
				"version %06d is also used by %s (two branches generated the same version: delete this branch's pair, merge, and run generate again)", v, other)})
			continue
		}
		if m[3] == "up" {
			mig.Up = name
		} else {
			mig.Down = name
		}
	}
	for _, m := range byVersion {
		switch {
		case m.Up == "":
			f.Problems = append(f.Problems, Problem{m.Down, "down migration without its up migration"})
			continue
		case m.Down == "":
			f.Problems = append(f.Problems, Problem{m.Up, "up migration without its down migration"})
		}
		f.Migrations = append(f.Migrations, *m)
	}
	sort.Slice(f.Migrations, func(i, j int) bool { return f.Migrations[i].Version < f.Migrations[j].Version })
	sort.Slice(f.Problems, func(i, j int) bool { return f.Problems[i].File < f.Problems[j].File })
	return f, nil
}

// Gaps reports versions missing between the first and the last migration.
// ddlmig numbers migrations consecutively, so a gap means a file was lost
// or a branch was merged in the middle.
func (f *Folder) Gaps() []Problem {
	var ps []Problem
	for i := 1; i < len(f.Migrations); i++ {
		prev, cur := f.Migrations[i-1], f.Migrations[i]
		if cur.Version != prev.Version+1 {
			ps = append(ps, Problem{cur.Up, fmt.Sprintf("gap in versions: %06d follows %06d", cur.Version, prev.Version)})
		}
	}
	return ps
}

// FileName returns the file name of a migration for a version, slug and
// direction ("up" or "down").
func FileName(version uint64, slug, direction string) string {
	return fmt.Sprintf("%06d_%s.%s.sql", version, slug, direction)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug turns a message like "Add e-mail!" into "add_e_mail". An empty
// message gives "migration".
func Slug(message string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(message), "_"), "_")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	if s == "" {
		s = "migration"
	}
	return s
}

// Checksum returns the hex sha256 of a file's contents; the runner records
// it so that an applied migration edited afterwards is noticed.
func Checksum(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// Marker prefixes. A generated migration marks each risky statement with an
// Unreviewed line; a reviewer approves it by changing the word to reviewed
// (keeping the record) or deleting the line.
const (
	UnreviewedMarker = "-- ddlmig:unreviewed"
	ReviewedMarker   = "-- ddlmig:reviewed"
	// NoTransactionMarker on the first line makes the runner apply the file
	// outside a transaction, statement by statement.
	NoTransactionMarker = "-- ddlmig:no-transaction"
)

// Marker is an unreviewed hazard marker found in a file.
type Marker struct {
	Line int    // 1-based
	Text string // the marker line without the "-- ddlmig:unreviewed " prefix
}

// Unreviewed returns the unreviewed markers in a migration's text.
func Unreviewed(content []byte) []Marker {
	if !bytes.Contains(content, []byte(UnreviewedMarker)) {
		return nil // the common case, and the runner asks for every file
	}
	var ms []Marker
	for line, rest := 1, content; len(rest) > 0; line++ {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\n"))
		t := strings.TrimSpace(string(l))
		if rest, ok := strings.CutPrefix(t, UnreviewedMarker); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':') {
			ms = append(ms, Marker{Line: line, Text: strings.TrimLeft(rest, " :")})
		}
	}
	return ms
}

// NoTransaction reports whether a migration asks to run outside a
// transaction: its first line is the no-transaction marker.
func NoTransaction(content []byte) bool {
	first, _, _ := strings.Cut(string(content), "\n")
	return strings.TrimSpace(first) == NoTransactionMarker
}

// BatchMarker on a line of its own (optionally followed by a space and a
// note) splits a transactional migration into batches that the runner
// commits one after another, each with the migration's progress. ddlmig
// generate writes it between statements when one transaction would need
// more locks than a server with default settings has.
const BatchMarker = "-- ddlmig:batch"

// BatchMarkers returns the byte offsets of the lines in content that hold a
// batch marker, in order. It looks at lines only; the runner checks that
// each marker falls between statements.
func BatchMarkers(content []byte) []int {
	if !bytes.Contains(content, []byte(BatchMarker)) {
		return nil
	}
	var offs []int
	for off := 0; off < len(content); {
		l := content[off:]
		end := bytes.IndexByte(l, '\n')
		if end >= 0 {
			l = l[:end]
		}
		t := strings.TrimSpace(string(l))
		if rest, ok := strings.CutPrefix(t, BatchMarker); ok && (rest == "" || rest[0] == ' ') {
			offs = append(offs, off)
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return offs
}
