package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
)

// Renumbering is the plan of ddlmig renumber, made before any file is
// touched: after a git merge in which both branches added migrations,
// this branch's pairs (those the other branch's tree does not hold) move
// after the other branch's, in their order. The newest of them (with the
// pairs generate wrote in the same run: consecutive versions of one name),
// when generate wrote it, is planned again from the merged schema file as
// generate plans, so that its SQL starts from the merged state (both
// branches may have changed the same table); earlier ones keep their
// text. A pair written by generate --empty is kept as written.
type Renumbering struct {
	p    Project
	Onto string // the other branch's commit, as given or found
	// Moves are this branch's pairs in their new order.
	Moves []Move
	// Replaced counts the last Moves that Regenerated replaces (or that
	// are removed, see Dropped); 0 when all are kept.
	Replaced int
	// Regenerated replaces the newest moves; nil when they are kept
	// (written by hand) or dropped (the merged migrations already hold
	// their changes, see Dropped).
	Regenerated *Migration
	Dropped     bool
	// Pending counts the schema file's changes that no migration holds
	// after the renumbering (only when the newest pair is kept).
	Pending int
	// Message is the regenerated pair's message, from the old header.
	Message string
	// Declined are the possible renames of the regenerated pair that its
	// old text did not hold, for generate --amend's hint.
	Declined []planner.Rename
}

// Move is one of this branch's pairs, renumbered.
type Move struct {
	Old     migfile.Migration
	Version uint64 // its new version
}

// NewName returns the file name of the pair's up or down file after the
// move.
func (m Move) NewName(direction string) string {
	return migfile.FileName(m.Version, m.Old.Name, direction)
}

// pair is a migration-named pair of files of the folder, duplicates and
// all (migfile.Read keeps only the first of a duplicated version).
func (p Project) pairs() ([]migfile.Migration, error) {
	entries, err := os.ReadDir(p.Dir)
	if err != nil {
		return nil, err
	}
	byStem := map[string]*migfile.Migration{}
	var out []*migfile.Migration
	for _, e := range entries {
		v, slug, dir, ok := migfile.ParseName(e.Name())
		if e.IsDir() || migfile.Ignored(e.Name()) || !ok {
			continue
		}
		stem := fmt.Sprintf("%d_%s", v, slug)
		m := byStem[stem]
		if m == nil {
			m = &migfile.Migration{Version: v, Name: slug}
			byStem[stem] = m
			out = append(out, m)
		}
		if dir == "up" {
			m.Up = e.Name()
		} else {
			m.Down = e.Name()
		}
	}
	res := make([]migfile.Migration, len(out))
	for i, m := range out {
		res[i] = *m
	}
	sort.Slice(res, func(i, j int) bool {
		if res[i].Version != res[j].Version {
			return res[i].Version < res[j].Version
		}
		return res[i].Name < res[j].Name
	})
	return res, nil
}

// OtherBranch returns the commit a merge in progress merges (MERGE_HEAD),
// or else the second parent of a merge commit at HEAD; "" when there is
// neither.
func (p Project) OtherBranch() string {
	for _, ref := range []string{"MERGE_HEAD", "HEAD^2"} {
		out, err := exec.Command("git", "-C", p.Dir, "rev-parse", "-q", "--verify", ref+"^{commit}").Output()
		if err == nil {
			return strings.TrimSpace(string(out))
		}
	}
	return ""
}

// MergeInProgress reports whether git is merging in the folder's work
// tree (MERGE_HEAD exists).
func (p Project) MergeInProgress() bool {
	return exec.Command("git", "-C", p.Dir, "rev-parse", "-q", "--verify", "MERGE_HEAD").Run() == nil
}

// RefName names commit id for a message: a local branch pointing at it,
// else the id's first 12 digits.
func (p Project) RefName(id string) string {
	out, err := exec.Command("git", "-C", p.Dir, "for-each-ref", "--points-at", id, "--format=%(refname:short)", "refs/heads/").Output()
	if name, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n"); err == nil && name != "" {
		return name
	}
	return id[:12]
}

// treeFiles lists the files that the commit ref holds in the folder.
func (p Project) treeFiles(ref string) (map[string]bool, error) {
	out, err := exec.Command("git", "-C", p.Dir, "ls-tree", "--name-only", ref, "--", ".").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git ls-tree %s: %s", ref, strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("renumber reads the other branch from git: %w", err)
	}
	files := map[string]bool{}
	for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f != "" {
			files[f] = true
		}
	}
	return files, nil
}

// PlanRenumber plans the renumbering after the other branch onto (a git
// revision; "" finds it, see OtherBranch). It writes nothing.
//
// online is generate's --online: the regenerated migration gets the
// online forms of lock-heavy changes, as consecutive migrations.
func (p Project) PlanRenumber(onto string, online bool) (*Renumbering, error) {
	if err := p.statFolder(); err != nil {
		return nil, err
	}
	if onto == "" {
		onto = p.OtherBranch()
		if onto == "" {
			return nil, errors.New("no merge in progress (and HEAD is not a merge commit): name the other branch with --onto, for example ddlmig renumber --onto main")
		}
	}
	theirs, err := p.treeFiles(onto)
	if err != nil {
		return nil, err
	}
	all, err := p.pairs()
	if err != nil {
		return nil, err
	}
	var base, ours []migfile.Migration
	for _, m := range all {
		if theirs[m.Up] || theirs[m.Down] {
			base = append(base, m)
		} else {
			ours = append(ours, m)
		}
	}
	for i := 1; i < len(base); i++ {
		if base[i].Version == base[i-1].Version {
			return nil, fmt.Errorf("%s and %s, both in %s, have one version: renumber moves only this branch's migrations; fix that branch first", base[i-1].Up, base[i].Up, onto)
		}
	}
	r := &Renumbering{p: p, Onto: onto}
	var latest uint64
	if len(base) > 0 {
		latest = base[len(base)-1].Version
	}
	for i, m := range ours {
		if m.Up == "" || m.Down == "" {
			return nil, fmt.Errorf("%s: a pair needs both files before renumber can move it", filepath.Join(p.Dir, m.Up+m.Down))
		}
		r.Moves = append(r.Moves, Move{Old: m, Version: latest + 1 + uint64(i)})
	}
	if len(ours) == 0 {
		return r, nil
	}
	return r, r.plan(base, online)
}

// plan folds the other branch's migrations and this branch's but the
// newest run (from their files as they are, in the new order) and plans
// the newest run again from the schema file, or counts what it leaves
// pending when a person wrote it.
func (r *Renumbering) plan(base []migfile.Migration, online bool) error {
	newest := r.Moves[len(r.Moves)-1]
	up, err := os.ReadFile(filepath.Join(r.p.Dir, newest.Old.Up))
	if err != nil {
		return err
	}
	handWritten := strings.Contains(string(up), render.BlankGenerator+".\n")
	if !handWritten {
		r.Replaced = r.newestRun()
	}
	st, oldUp, err := r.mergedState(base)
	if err != nil {
		return err
	}
	message := headerMessage(string(up))
	if message == "" {
		message = strings.ReplaceAll(newest.Old.Name, "_", " ")
	}
	if handWritten {
		m, err := st.Plan(message, planner.Options{})
		if err == nil {
			r.Pending = len(m.UpPlan.Changes)
		}
		return err
	}
	return r.regenerate(st, message, oldUp, online)
}

// newestRun counts the pairs of the newest generate: the last move, or
// every move of the run generate wrote last (see runLength). A broken run
// counts 1: its newest pair alone is planned again.
func (r *Renumbering) newestRun() int {
	migs := make([]migfile.Migration, len(r.Moves))
	for i, mv := range r.Moves {
		migs[i] = mv.Old
	}
	if n, err := runLength(os.DirFS(r.p.Dir), migs); err == nil && n > 0 {
		return n
	}
	return 1
}

// mergedState is the state the replaced pairs are planned from: the other
// branch's migrations and the kept ones of this branch folded, in the new
// order, against the schema file. It also returns the replaced pairs' up
// files, one text.
func (r *Renumbering) mergedState(base []migfile.Migration) (*State, string, error) {
	p := r.p
	kept := r.Moves[:len(r.Moves)-r.Replaced]
	folded := append([]migfile.Migration(nil), base...)
	listed := append([]migfile.Migration(nil), base...) // the folder after the move, for the versions
	for _, mv := range kept {
		folded = append(folded, mv.Old)
		listed = append(listed, migfile.Migration{Version: mv.Version, Name: mv.Old.Name, Up: mv.NewName("up"), Down: mv.NewName("down")})
	}
	var oldUps []string
	for _, mv := range r.Moves[len(kept):] {
		b, err := os.ReadFile(filepath.Join(p.Dir, mv.Old.Up))
		if err != nil {
			return nil, "", err
		}
		oldUps = append(oldUps, string(b))
	}
	current, _, err := Fold(os.DirFS(p.Dir), p.Dir, folded)
	if err != nil {
		return nil, "", fmt.Errorf("this branch's migrations do not fold after %s's (both changed the same objects?): %w\n"+
			"Move the failing pair's changes into schema.sql only: delete this branch's pairs from it on, then run ddlmig renumber and ddlmig generate", r.Onto, err)
	}
	desired, src, _, err := p.loadSchema()
	if err != nil {
		return nil, "", err
	}
	renames, _, err := renamesIn(src, current, desired)
	if err != nil {
		return nil, "", err
	}
	on, err := onlineOptions(src)
	if err != nil {
		return nil, "", err
	}
	st := &State{Folder: &migfile.Folder{Migrations: listed}, Current: current, Desired: desired, Renames: renames, Online: on}
	return st, strings.Join(oldUps, "\n"), nil
}

// regenerate plans the replaced pairs again as generate would, keeping
// the renames and approvals their old text holds, and their name.
func (r *Renumbering) regenerate(st *State, message, oldUp string, online bool) error {
	opts, declined, err := keptRenames(st, message, oldUp)
	if err != nil {
		return err
	}
	var onp *planner.OnlineOptions
	if online {
		onp = &st.Online
	}
	m, err := st.PlanRun(message, opts, onp)
	if err != nil {
		return err
	}
	r.Declined, r.Message = declined, message
	if m.Empty() {
		r.Dropped = true
		return nil
	}
	// The pairs keep their name (a message edited by hand no longer
	// gives it), and a person's approvals of the same markers.
	name := r.Moves[len(r.Moves)-1].Old.Name
	for _, f := range m.files() {
		f.Slug = name
		f.UpFile, f.DownFile = migfile.FileName(f.Version, f.Slug, "up"), migfile.FileName(f.Version, f.Slug, "down")
		f.Up = keepReviews(f.Up, oldUp)
	}
	if len(m.Steps) == 0 {
		m.Up = keepReviews(m.Up, oldUp)
	}
	r.Regenerated = m
	return nil
}

// headerMessage returns the message of a file's header ("-- Message: ..."
// and its continuation lines, as render writes them), or "".
func headerMessage(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		switch rest, ok := strings.CutPrefix(l, "-- Message: "); {
		case ok && len(lines) == 0:
			lines = append(lines, rest)
		case len(lines) > 0 && strings.HasPrefix(l, "--          "):
			lines = append(lines, strings.TrimPrefix(l, "--          "))
		case len(lines) > 0 || !strings.HasPrefix(l, "--"):
			return strings.Join(lines, "\n")
		}
	}
	return strings.Join(lines, "\n")
}

// keptRenames returns the possible renames between the state's schemas
// that the old up files made (their text holds the rename statement), so
// that a pair written with --rename stays a rename, and those left.
func keptRenames(st *State, message, oldUp string) (planner.Options, []planner.Rename, error) {
	var opts planner.Options
	m, err := st.Plan(message, opts)
	if err != nil {
		return opts, nil, err
	}
	var declined []planner.Rename
	for _, pr := range m.UpPlan.PossibleRenames {
		trial, err := st.Plan(message, planner.Options{Renames: []planner.Rename{pr}})
		if err != nil {
			return opts, nil, err
		}
		held := false
		for _, ch := range trial.UpPlan.Changes {
			switch ch.(type) {
			case *planner.RenameColumn, *planner.RenameTable:
				first, _, _ := strings.Cut(strings.TrimSpace(render.Statement(ch)), "\n")
				held = held || strings.Contains(oldUp, first)
			}
		}
		if held {
			opts.Renames = append(opts.Renames, pr)
		} else {
			declined = append(declined, pr)
		}
	}
	return opts, declined, nil
}

// keepReviews carries a person's review from the old up file to its
// regeneration: an unreviewed marker whose text an approved marker of the
// old file has is approved too. The sum line is written again to match.
func keepReviews(up, oldUp string) string {
	approved := map[string]bool{}
	for _, line := range strings.Split(oldUp, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), migfile.ReviewedMarker+" "); ok {
			approved[rest] = true
		}
	}
	if len(approved) == 0 {
		return up
	}
	lines := strings.Split(up, "\n")
	changed := false
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(t, migfile.UnreviewedMarker+" "); ok && approved[rest] {
			lines[i] = strings.Replace(line, migfile.UnreviewedMarker, migfile.ReviewedMarker, 1)
			changed = true
		}
	}
	if !changed {
		return up
	}
	var kept []string
	for _, line := range lines {
		if !strings.HasPrefix(line, migfile.SumMarker+" ") {
			kept = append(kept, line)
		}
	}
	return migfile.WithSum(strings.Join(kept, "\n"))
}

// Do carries the renumbering out: removes the newest pairs it replaces,
// renames this branch's other pairs, writes the regenerated ones, and
// rewrites the sum file for the folder as it is then. On a failure the
// removed files are put back; pairs renamed stay renamed, and the error
// says which failed.
func (r *Renumbering) Do() error {
	p := r.p
	kept := r.Moves[:len(r.Moves)-r.Replaced]
	var old []migfile.Migration
	for _, mv := range r.Moves[len(kept):] {
		old = append(old, mv.Old)
	}
	saved := map[string][]byte{}
	for _, f := range files(old) {
		b, err := os.ReadFile(filepath.Join(p.Dir, f))
		if err != nil {
			return err
		}
		saved[f] = b
	}
	for f := range saved {
		if err := os.Remove(filepath.Join(p.Dir, f)); err != nil {
			restore(p.Dir, saved)
			return err
		}
	}
	// Highest first, so a pair never moves onto a name another still has.
	for i := len(kept) - 1; i >= 0; i-- {
		if err := kept[i].rename(p.Dir); err != nil {
			restore(p.Dir, saved)
			return err
		}
	}
	if r.Regenerated != nil {
		if err := r.Regenerated.Write(p.Dir); err != nil {
			restore(p.Dir, saved)
			return err
		}
	}
	_, err := p.WriteSum()
	return err
}

// rename gives the pair its new version's names.
func (mv Move) rename(dir string) error {
	for _, f := range [][2]string{{mv.Old.Up, mv.NewName("up")}, {mv.Old.Down, mv.NewName("down")}} {
		if f[0] == f[1] {
			continue
		}
		if err := linkNew(filepath.Join(dir, f[0]), filepath.Join(dir, f[1])); err != nil {
			return fmt.Errorf("renaming %s to %s: %w", f[0], f[1], err)
		}
		if err := os.Remove(filepath.Join(dir, f[0])); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err // linkNew renamed it where there are no hard links
		}
	}
	return nil
}
