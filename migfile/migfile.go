package migfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
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

// Problem is something wrong with the folder's layout or with a file's
// contents. Problems are data so that `check` can list them all while
// `generate` and `apply` refuse to work on a folder that has any.
type Problem struct {
	File string // the file at fault, relative to the folder
	// Line and Col (1-based, Col in characters) point into the file; 0
	// when the problem is the file's name or the file as a whole.
	Line, Col int
	Msg       string
}

// String prints "file:line:col: msg", leaving out what is unknown. Control
// characters in the file name or the message are escaped (see Escape).
func (p Problem) String() string {
	pos := p.File
	switch {
	case p.Line > 0 && p.Col > 0:
		pos = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		pos = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return Escape(pos + ": " + p.Msg)
}

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

// MaxVersion is the largest version a migration can have: the runner's
// bookkeeping table keeps versions in a bigint column. A larger one is a
// folder problem, so that check refuses it rather than apply.
const MaxVersion = math.MaxInt64

// nearMiss matches names that look meant as migrations but are not named
// like one: anything with "sql" in it (0001_x.up.SQL, 0001_x.upsql,
// seed.sql) or with up or down as a word (0001_x.up, 0001_x.down.txt).
var nearMiss = regexp.MustCompile(`sql|(^|[._-])(up|down)([._-]|$)`)

// Ignored reports whether a file of the folder is not ddlmig's business:
// hidden files (.gitkeep, .DS_Store, an editor's .x.swp, the temporary
// files generate writes before renaming them) and backups (name~,
// name.bak, name.orig, name.swp, name.tmp). Read neither lists nor reports
// them.
func Ignored(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".bak", ".orig", ".swp", ".tmp":
		return true
	}
	return false
}

// Read lists the migrations in the root of fsys. Versions compare as
// numbers: 1_init.up.sql and 000001_init.up.sql are both version 1, and a
// version used by two migrations is a problem. Files that are not named like
// a migration are reported when they look meant as one (see nearMiss), and
// ignored otherwise (README.md, and see Ignored), so that a misnamed
// migration is never skipped silently.
func Read(fsys fs.FS) (*Folder, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	f := &Folder{}
	type entry struct {
		Migration
		stem string // the file name up to .up.sql or .down.sql
	}
	byVersion := map[uint64]*entry{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || Ignored(name) || name == SumFile {
			continue // the sum file is check's (see SumProblems)
		}
		if hasControl(name) {
			f.Problems = append(f.Problems, Problem{File: name, Msg: "file name holds a control character or a byte that is not UTF-8; rename the file"})
			continue
		}
		m := fileRE.FindStringSubmatch(name)
		if m == nil {
			if msg := misnamed(name); msg != "" {
				f.Problems = append(f.Problems, Problem{File: name, Msg: msg})
			}
			continue
		}
		v, err := strconv.ParseUint(m[1], 10, 64)
		switch {
		case err == nil && v == 0:
			f.Problems = append(f.Problems, Problem{File: name, Msg: "version must be a positive number"})
			continue
		case err != nil || v > MaxVersion:
			f.Problems = append(f.Problems, Problem{File: name, Msg: fmt.Sprintf(
				"version %s is too large: the bookkeeping table keeps versions as bigint, at most %d", strings.TrimLeft(m[1], "0"), uint64(MaxVersion))})
			continue
		}
		stem := m[1] + "_" + m[2]
		mig := byVersion[v]
		if mig == nil {
			mig = &entry{Migration{Version: v, Name: m[2]}, stem}
			byVersion[v] = mig
		} else if mig.stem != stem {
			other := mig.Up
			if other == "" {
				other = mig.Down
			}
			why := "two branches generated the same version: on the branch that merged the other, run ddlmig renumber to move this branch's migrations after the other's"
			if mig.Name == m[2] {
				why = "versions compare as numbers, so " + strings.SplitN(other, "_", 2)[0] + " and " + m[1] + " are the same; delete or renumber one of them"
			}
			f.Problems = append(f.Problems, Problem{File: name, Msg: fmt.Sprintf("version %06d is also used by %s (%s)", v, other, why)})
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
			f.Problems = append(f.Problems, Problem{File: m.Down, Msg: "down migration without its up migration"})
			continue
		case m.Down == "":
			f.Problems = append(f.Problems, Problem{File: m.Up, Msg: "up migration without its down migration"})
		}
		f.Migrations = append(f.Migrations, m.Migration)
	}
	sort.Slice(f.Migrations, func(i, j int) bool { return f.Migrations[i].Version < f.Migrations[j].Version })
	sort.Slice(f.Problems, func(i, j int) bool { return f.Problems[i].File < f.Problems[j].File })
	return f, nil
}

// misnamed says what is wrong with the name of a file that is not named
// like a migration but looks meant as one, or returns "" for a file that
// does not (README.md).
func misnamed(name string) string {
	lower := strings.ToLower(name)
	if !nearMiss.MatchString(lower) {
		return ""
	}
	const want = "not a migration file name (want NNNNNN_name.up.sql or NNNNNN_name.down.sql)"
	if m := fileRE.FindStringSubmatch(lower); m != nil {
		// Only the suffix has letters that can be upper case.
		suffix := "." + m[3] + ".sql"
		return want + ": rename it to " + name[:len(name)-len(suffix)] + suffix
	}
	return want
}

// Gaps reports versions missing between the first and the last migration.
// ddlmig numbers migrations consecutively, so a gap means a file was lost
// or a branch was merged in the middle.
func (f *Folder) Gaps() []Problem {
	var ps []Problem
	for i := 1; i < len(f.Migrations); i++ {
		prev, cur := f.Migrations[i-1], f.Migrations[i]
		if cur.Version != prev.Version+1 {
			ps = append(ps, Problem{File: cur.Up, Msg: fmt.Sprintf("gap in versions: %06d follows %06d", cur.Version, prev.Version)})
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

// Marker prefixes. A generated up migration marks each risky statement with
// an Unreviewed line; a reviewer approves it by changing the word to
// reviewed (keeping the record) or deleting the line. check and apply
// refuse a file with an Unreviewed line (down too, in a down file written
// by hand or by an older ddlmig).
//
// A generated down migration marks its risky statements (the table or
// column it drops) with DownHazardMarker instead: that is the cost of
// undoing, which nothing gates at commit time; ddlmig down lists these
// lines and asks before it runs the file.
const (
	UnreviewedMarker = "-- ddlmig:unreviewed"
	ReviewedMarker   = "-- ddlmig:reviewed"
	DownHazardMarker = "-- ddlmig:down-hazard"
	// NoTransactionMarker on the first line makes the runner apply the file
	// outside a transaction, statement by statement.
	NoTransactionMarker = "-- ddlmig:no-transaction"
)

// Marker is a hazard marker found in a file.
type Marker struct {
	Line int    // 1-based
	Text string // the marker line without its prefix ("-- ddlmig:unreviewed ")
}

// Unreviewed returns the unreviewed markers in a migration's text.
func Unreviewed(content []byte) []Marker {
	return markers(content, UnreviewedMarker)
}

// DownHazards returns the down-hazard markers in a down migration's text:
// what running it destroys, which ddlmig down asks about.
func DownHazards(content []byte) []Marker {
	return markers(content, DownHazardMarker)
}

// markers returns the lines of content that start with prefix, as a word.
func markers(content []byte, prefix string) []Marker {
	if !bytes.Contains(content, []byte(prefix)) {
		return nil // the common case, and the runner asks for every file
	}
	var ms []Marker
	for line, rest := 1, content; len(rest) > 0; line++ {
		var l []byte
		l, rest, _ = bytes.Cut(rest, []byte("\n"))
		t := strings.TrimSpace(string(l))
		if rest, ok := strings.CutPrefix(t, prefix); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':') {
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

// SumMarker starts the line generate writes into each file of a pair:
// the sha256 of the file without that line. While it matches, the file is
// as generate wrote it, so that generate --amend may replace it outside a
// git work tree (see Untouched).
const SumMarker = "-- ddlmig:sum"

// WithSum returns text with a SumMarker line after its first block of
// comment lines (the header), or at its start when it has none.
func WithSum(text string) string {
	at := 0
	for at < len(text) && strings.HasPrefix(text[at:], "--") && !strings.HasPrefix(text[at:], "--\n") {
		nl := strings.IndexByte(text[at:], '\n')
		if nl < 0 {
			at = len(text)
			break
		}
		at += nl + 1
	}
	if at == len(text) && at > 0 && text[at-1] != '\n' {
		text += "\n"
		at++
	}
	return text[:at] + SumMarker + " " + Checksum([]byte(text)) + "\n" + text[at:]
}

// Untouched reports whether content holds a SumMarker line that matches
// the rest of it: the file is byte for byte as generate wrote it.
func Untouched(content []byte) bool {
	s := string(content)
	i := strings.Index(s, SumMarker+" ")
	if i < 0 || (i > 0 && s[i-1] != '\n') {
		return false
	}
	end := strings.IndexByte(s[i:], '\n')
	if end < 0 {
		return false
	}
	sum := s[i+len(SumMarker)+1 : i+end]
	return sum == Checksum([]byte(s[:i]+s[i+end+1:]))
}
