package project

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/ddlmig/ddlmig/internal/sqltext"
	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// Project is a schema file and its migrations folder.
type Project struct {
	// SchemaFile is the path of schema.sql, or of a folder of *.sql files;
	// MoreSchema are further ones (--schema repeated), read after it (see
	// ReadSchema).
	SchemaFile string
	MoreSchema []string
	Dir        string // path of the migrations folder
	// Lint is how check and lint judge the migrations (see lint.go).
	Lint LintConfig

	// noFoldCache keeps Check's fold out of the fold cache: the staged copy
	// in a folder of its own (see CheckStaged) would only evict entries.
	noFoldCache bool
}

// schemaPaths are the files and folders the schema is read from.
func (p Project) schemaPaths() []string {
	return append([]string{p.SchemaFile}, p.MoreSchema...)
}

// ErrNoFolder is returned (wrapped) when the migrations folder does not
// exist; callers test it with errors.Is to suggest `ddlmig init`.
var ErrNoFolder = errors.New("migrations folder does not exist (run ddlmig init)")

// State is what the project's files say.
type State struct {
	Folder *migfile.Folder
	// Current is the schema the migrations produce: every up file folded in
	// version order. It is what the next migration is diffed against, so
	// deleting a migration pair or editing one by hand changes what the next
	// generate writes, exactly as a user expects.
	Current *schema.Catalog
	// Desired is the schema file parsed.
	Desired  *schema.Catalog
	Warnings []parser.Warning
	// Renames are the renames the schema file's rename comments still ask
	// for (see Renames); Plan adds them to the renames it is given.
	Renames []planner.Rename
	// RenameNotes are the rename comments that ask for nothing (stale, or
	// matching nothing): generate mentions them, check fails on them.
	RenameNotes []Finding
	// Adopted are the unmanaged statements' objects that the schema file
	// now manages (see adoptUnmanaged): Current holds them as modelled
	// objects, and the next migration's header says so.
	Adopted []string
	// Online are the objects the schema file's "-- ddlmig:online off"
	// comments keep in their blocking forms; PlanRun's caller passes them.
	Online planner.OnlineOptions

	amended []migfile.Migration // the pairs LoadAmend left out
}

// Load reads the folder and the schema file. The folder's layout must be
// sound (no duplicate versions, no half pairs): diffing against the state of
// a folder that two branches both wrote to would be wrong silently.
//
// The two parses are independent, so they run concurrently: on a two-core
// machine generate then costs about one parse of the larger input.
func (p Project) Load() (*State, error) {
	return p.load(false)
}

// LoadAmend is Load without the newest migration pair, which it returns:
// the state that generate --amend plans the pair's replacement from. When
// the newest pair is the last step of a run that one generate wrote as
// consecutive migrations (see PlanRun), every pair of the run is left out
// and returned, oldest first. The folder must hold a migration.
func (p Project) LoadAmend() (*State, []migfile.Migration, error) {
	st, err := p.load(true)
	if err != nil {
		return nil, nil, err
	}
	return st, st.amended, nil
}

func (p Project) load(amend bool) (*State, error) {
	type result struct {
		cat  *schema.Catalog
		src  *sqltext.Spliced
		warn []parser.Warning
		err  error
	}
	desired := make(chan result, 1)
	go func() {
		var r result
		r.cat, r.src, r.warn, r.err = p.loadSchema()
		desired <- r
	}()
	var (
		folder  *migfile.Folder
		current *schema.Catalog
		warn    []parser.Warning
		newest  []migfile.Migration
	)
	fsys, folder, err := p.readFolder()
	if err == nil && amend {
		if len(folder.Migrations) == 0 {
			err = fmt.Errorf("%s holds no migration: --amend replaces the newest one; run generate without --amend", p.Dir)
		} else {
			var k int
			if k, err = runLength(fsys, folder.Migrations); err == nil {
				n := len(folder.Migrations) - k
				newest = folder.Migrations[n:]
				folder = &migfile.Folder{Migrations: folder.Migrations[:n:n]}
			}
		}
	}
	if err == nil {
		current, warn, err = Fold(fsys, p.Dir, folder.Migrations)
	}
	d := <-desired
	if err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, d.err
	}
	adopted, err := adoptUnmanaged(current, d.cat, d.src.Text())
	if err != nil {
		return nil, err
	}
	renames, notes, err := renamesIn(d.src, current, d.cat)
	if err != nil {
		return nil, err
	}
	online, err := onlineOptions(d.src)
	if err != nil {
		return nil, err
	}
	return &State{Folder: folder, Current: current, Desired: d.cat, Warnings: append(warn, d.warn...),
		Renames: renames, RenameNotes: notes, Online: online, Adopted: adopted, amended: newest}, nil
}

// LoadSchema parses the schema file.
func (p Project) LoadSchema() (*schema.Catalog, []parser.Warning, error) {
	cat, _, warn, err := p.loadSchema()
	return cat, warn, err
}

func (p Project) loadSchema() (*schema.Catalog, *sqltext.Spliced, []parser.Warning, error) {
	src, err := ReadSchema(p.schemaPaths())
	if err != nil {
		return nil, nil, nil, err
	}
	cat := schema.New()
	warn, err := parser.ParseSpliced(cat, src, parser.Options{})
	if err == nil {
		warn = append(warn, dropBookkeeping(cat)...)
	}
	return cat, src, warn, err
}

// SchemaText returns the schema as one text to run (folders and includes
// spliced in, meta-commands blanked) and converts an offset of it back to
// a file position: for loading the schema into a database (verify).
func (p Project) SchemaText() (string, func(off int) schema.Pos, error) {
	sp, err := ReadSchema(p.schemaPaths())
	if err != nil {
		return "", nil, err
	}
	return sp.Text(), func(off int) schema.Pos {
		f, l, c := sp.Locate(off)
		return schema.Pos{File: f, Line: l, Col: c}
	}, nil
}

// bookkeepingTable is the table ddlmig apply keeps in the database it
// migrates (runner.DefaultTable, in public).
var bookkeepingTable = schema.QualifiedName{Schema: schema.DefaultSchema, Name: "ddlmig_migrations"}

// dropBookkeeping removes ddlmig's own bookkeeping table from a schema
// file, which holds it when it is a pg_dump of a database ddlmig migrates
// (the structure.sql way): a migration that created it would fail against
// the table apply creates first. The table is recognized by its name and
// its version, name and checksum columns.
func dropBookkeeping(cat *schema.Catalog) []parser.Warning {
	t := cat.Tables[bookkeepingTable]
	if t == nil || t.Column("version") == nil || t.Column("name") == nil || t.Column("checksum") == nil {
		return nil
	}
	delete(cat.Tables, bookkeepingTable)
	obj := schema.PrivilegeObject{Kind: schema.KindTable, Name: bookkeepingTable}
	delete(cat.Owners, obj)
	for k := range cat.Privileges {
		if k.Object.Kind == schema.KindTable && k.Object.Name == bookkeepingTable {
			delete(cat.Privileges, k)
		}
	}
	for n, ix := range cat.Indexes {
		if ix.Table == bookkeepingTable {
			delete(cat.Indexes, n)
		}
	}
	return []parser.Warning{{Pos: t.Pos, Msg: "skipped table " + bookkeepingTable.String() + ": it is ddlmig's own bookkeeping, which ddlmig apply creates"}}
}

// LoadMigrations reads the folder and folds its up migrations in version
// order into the schema they produce.
func (p Project) LoadMigrations() (*migfile.Folder, *schema.Catalog, []parser.Warning, error) {
	fsys, folder, err := p.readFolder()
	if err != nil {
		return folder, nil, nil, err
	}
	cat, warn, err := Fold(fsys, p.Dir, folder.Migrations)
	return folder, cat, warn, err
}

// textError refuses a file that is not text PostgreSQL reads (not UTF-8, or
// with a NUL byte) at its first bad byte, as migfile.TextProblem does for
// migration files: parsed, its bytes would be copied into the migrations
// generate writes.
func textError(file string, src []byte) error {
	if pr := migfile.TextProblem(file, src); pr != nil {
		return &schema.Error{Pos: schema.Pos{File: file, Line: pr.Line, Col: pr.Col}, Msg: pr.Msg}
	}
	return nil
}

// statFolder checks that the migrations folder exists and is a folder.
func (p Project) statFolder() error {
	fi, err := os.Stat(p.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", p.Dir, ErrNoFolder)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory: --dir names the migrations folder", p.Dir)
	}
	return nil
}

// readFolder lists the migrations folder and checks its layout.
func (p Project) readFolder() (fs.FS, *migfile.Folder, error) {
	if err := p.statFolder(); err != nil {
		return nil, nil, err
	}
	fsys := os.DirFS(p.Dir)
	folder, err := migfile.Read(fsys)
	if err != nil {
		return nil, nil, err
	}
	if err := folder.Err(); err != nil {
		return nil, folder, fmt.Errorf("%s is malformed:\n%w", p.Dir, prefixErr(p.Dir, err))
	}
	return fsys, folder, nil
}

// Blank returns the next migration pair with no statements in it, for what
// generate does not write: data migrations (backfills, UPDATE, INSERT) and
// statements ddlmig does not model. The user writes both files. Nothing is
// parsed but the folder's file names, whose layout must be sound as for
// Load: the pair takes the next version.
func (p Project) Blank(message string) (*Migration, error) {
	_, folder, err := p.readFolder()
	if err != nil {
		return nil, err
	}
	up, down := render.BlankFiles(message)
	up, down = migfile.WithSum(up), migfile.WithSum(down)
	return newMigration(folder.Latest()+1, message, up, down, &planner.Plan{}, &planner.Plan{}), nil
}

// newMigration is the pair of version v, named after message.
func newMigration(v uint64, message, up, down string, upPlan, downPlan *planner.Plan) *Migration {
	slug := migfile.Slug(message)
	return &Migration{
		Version:  v,
		Slug:     slug,
		UpFile:   migfile.FileName(v, slug, "up"),
		DownFile: migfile.FileName(v, slug, "down"),
		Up:       up,
		Down:     down,
		UpPlan:   upPlan,
		DownPlan: downPlan,
	}
}

// Fold folds the up files of migs, read from fsys, into a new catalog. dir is
// only used to name files in positions. A fold that succeeded before, with
// the same files and the same ddlmig binary, comes from the cache (see
// cache.go; DDLMIG_CACHE=off disables it).
func Fold(fsys fs.FS, dir string, migs []migfile.Migration) (*schema.Catalog, []parser.Warning, error) {
	return foldCached(fsys, dir, migs)
}

// foldOptions are the parser options of a fold; the fold cache's key
// includes them.
var foldOptions = parser.Options{Migration: true}

// foldSources folds the up files' contents, srcs[i] being migs[i].Up, by
// one parser.Session: a file then costs what it changes, not what the
// history made before it.
func foldSources(dir string, migs []migfile.Migration, srcs [][]byte) (*schema.Catalog, []parser.Warning, error) {
	cat := schema.New()
	fold := parser.NewSession(cat)
	var warns []parser.Warning
	for i, m := range migs {
		src := srcs[i]
		srcs[i] = nil // the fold keeps what it needs; let the text go
		if err := textError(filepath.Join(dir, m.Up), src); err != nil {
			return nil, warns, err
		}
		w, err := fold.Parse(filepath.Join(dir, m.Up), src, foldOptions)
		warns = append(warns, w...)
		if err != nil {
			return nil, warns, err
		}
	}
	return cat, warns, nil
}

func prefixErr(dir string, err error) error {
	return errors.New(indent(err.Error(), "  "+dir+string(filepath.Separator)))
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// Migration is a generated migration pair, not yet written.
type Migration struct {
	Version  uint64
	Slug     string
	UpFile   string // file name within the folder
	DownFile string
	Up       string // file contents
	Down     string
	UpPlan   *planner.Plan
	DownPlan *planner.Plan
	// Steps are the consecutive migrations PlanRun writes for one change
	// (versions Version, Version+1, ...), nil when the change is this one
	// migration.
	Steps []*Migration
}

// Empty reports whether nothing changed.
func (m *Migration) Empty() bool { return len(m.UpPlan.Changes) == 0 }

// Plan diffs the state's current schema against the desired one and renders
// the next migration pair. It writes nothing. The renames of the schema
// file's rename comments (s.Renames) are added to opts.Renames.
func (s *State) Plan(message string, opts planner.Options) (*Migration, error) {
	up, down, err := s.plans(opts)
	if err != nil {
		return nil, err
	}
	return s.pair(message, up, down), nil
}

// plans returns the up and the down plan of Plan, unrendered: PlanRun
// renders them only when the change stays one migration.
//
// The up and the down plan are independent (Diff only reads the catalogs),
// so the down plan is made concurrently: by the time Plan runs, parsing is
// over and the second core is idle.
func (s *State) plans(opts planner.Options) (up, down *planner.Plan, err error) {
	opts = mergeRenames(opts, s.Renames)
	type result struct {
		plan *planner.Plan
		err  error
	}
	downc := make(chan result, 1)
	go func() {
		var r result
		r.plan, r.err = planner.Diff(s.Desired, s.Current, opts.Invert())
		downc <- r
	}()
	up, err = planner.Diff(s.Current, s.Desired, opts)
	d := <-downc
	if err != nil {
		return nil, nil, err
	}
	down = d.plan
	if d.err != nil {
		// The way forward is planned; the way back is not (renames onto a
		// name the new schema still uses, say). Writing the up file with a
		// down that stops, loudly and flagged for review, beats refusing
		// both: the user writes the down by hand.
		down = unplannedDown(d.err)
	}
	return up, down, nil
}

// nextVersion is the version of the next migration of the folder.
func (s *State) nextVersion() uint64 {
	if s.Folder != nil {
		return s.Folder.Latest() + 1
	}
	return 1
}

// pair renders up and down as the next migration pair.
func (s *State) pair(message string, up, down *planner.Plan) *Migration {
	// One pair, never cut by batch markers: PlanRun cuts what one
	// transaction cannot hold into consecutive migrations instead.
	upSQL, downSQL := render.Files(up, down, render.Header{Message: message, BatchRelations: -1, Adopt: s.Adopted})
	upSQL, downSQL = migfile.WithSum(upSQL), migfile.WithSum(downSQL)
	return newMigration(s.nextVersion(), message, upSQL, downSQL, up, down)
}

// Write writes the pair into dir, or every pair of its Steps: all files or
// none. It never
// overwrites an existing file. Each file is written to a hidden temporary
// file in dir first (migfile.Read ignores those), then linked to its name;
// on any failure what was written is removed, so a full disk or a name
// already taken never leaves an up file without its down.
func (m *Migration) Write(dir string) (err error) {
	var files []struct{ name, text string }
	for _, f := range m.files() {
		files = append(files, struct{ name, text string }{f.UpFile, f.Up}, struct{ name, text string }{f.DownFile, f.Down})
	}
	var temps, done []string
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
		if err != nil {
			for _, d := range done {
				os.Remove(d)
			}
		}
	}()
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
			return fmt.Errorf("%s already exists; nothing was written", filepath.Join(dir, f.name))
		}
		tmp, err := writeTemp(dir, f.name, f.text)
		if tmp != "" {
			temps = append(temps, tmp)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w; nothing was written", filepath.Join(dir, f.name), err)
		}
	}
	for i, f := range files {
		path := filepath.Join(dir, f.name)
		if err := link(temps[i], path); err != nil {
			return fmt.Errorf("writing %s: %w; nothing was written", path, err)
		}
		done = append(done, path)
	}
	return nil
}

// writeTemp writes text to a new hidden file in dir, flushed to disk, and
// returns its path ("" when it could not be created). The file is created
// with mode 0644 less the umask, as the named file would have been.
func writeTemp(dir, name, text string) (string, error) {
	var fh *os.File
	var err error
	for try := 0; try < 100; try++ {
		path := filepath.Join(dir, fmt.Sprintf(".ddlmig-%s-%d.tmp", name, rand.Uint32()))
		fh, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return "", err
	}
	if _, err = fh.WriteString(text); err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return fh.Name(), err
}

// link is linkNew; tests replace it to fail partway.
var link = linkNew

// linkNew gives the file at tmp the name path, failing if path exists. A
// hard link refuses an existing name atomically; on a file system without
// hard links, the name is checked, then the file renamed.
func linkNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmp, path)
}
