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
// after the other branch's, in their order. The newest of them, when
// generate wrote it, is planned again from the merged schema file, so
// that its SQL starts from the merged state (both branches may have
// changed the same table); earlier ones keep their text. A pair written
// by generate --empty is kept as written.
type Renumbering struct {
	p    Project
	Onto string // the other branch's commit, as given or found
	// Moves are this branch's pairs in their new order.
	Moves []Move
	// Regenerated replaces the newest move's pair; nil when it is kept
	// (written by hand) or dropped (the merged migrations already hold
	// its changes, see Dropped).
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
	// Run is how many of the last Moves one generate wrote as a run of
	// consecutive migrations (1 for a pair of its own): they are planned
	// again as a whole.
	Run    int
	online *planner.OnlineOptions
}

// Newest returns the moves of the newest run (the newest pair, or every
// pair of the run generate wrote last).
func (r *Renumbering) Newest() []Move {
	return r.Moves[len(r.Moves)-r.Run:]
}

// inNewest reports whether mv is one of the newest run's moves.
func (r *Renumbering) inNewest(mv Move) bool {
	for _, n := range r.Newest() {
		if n == mv {
			return true
		}
	}
	return false
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
// revision; "" finds it, see OtherBranch). It writes nothing. online, as
// for generate, plans the newest run again in its online forms.
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
	r := &Renumbering{p: p, Onto: onto, Run: 1}
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
	if n, err := runLength(os.DirFS(p.Dir), ours); err == nil {
		r.Run = n // a broken run: its newest pair alone is planned again
	}
	if online {
		r.online = &planner.OnlineOptions{}
	}
	return r, r.plan(base)
}

// plan folds the other branch's migrations and this branch's but the
// newest (from their files as they are, in the new order) and plans the
// newest again from the schema file, or counts what it leaves pending
// when a person wrote it.
func (r *Renumbering) plan(base []migfile.Migration) error {
	p := r.p
	newest := r.Moves[len(r.Moves)-1]
	up, err := os.ReadFile(filepath.Join(p.Dir, newest.Old.Up))
	if err != nil {
		return err
	}
	handWritten := strings.Contains(string(up), render.BlankGenerator+".\n")
	folded := append([]migfile.Migration(nil), base...)
	var listed []migfile.Migration // the folder after the move, for Plan's version
	listed = append(listed, base...)
	for _, mv := range r.Moves {
		if r.inNewest(mv) && !handWritten {
			break
		}
		folded = append(folded, mv.Old)
		listed = append(listed, migfile.Migration{Version: mv.Version, Name: mv.Old.Name, Up: mv.NewName("up"), Down: mv.NewName("down")})
	}
	current, _, err := Fold(os.DirFS(p.Dir), p.Dir, folded)
	if err != nil {
		return fmt.Errorf("this branch's migrations do not fold after %s's (both changed the same objects?): %w\n"+
			"Move the failing pair's changes into schema.sql only: delete this branch's pairs from it on, then run ddlmig renumber and ddlmig generate", r.Onto, err)
	}
	desired, src, _, err := p.loadSchema()
	if err != nil {
		return err
	}
	if r.online != nil {
		if *r.online, err = onlineOptions(src); err != nil {
			return err
		}
	}
	renames, _, err := renamesIn(src, current, desired)
	if err != nil {
		return err
	}
	st := &State{Folder: &migfile.Folder{Migrations: listed}, Current: current, Desired: desired, Renames: renames}
	message := headerMessage(string(up))
	if message == "" {
		message = strings.ReplaceAll(newest.Old.Name, "_", " ")
	}
	m, err := st.Plan(message, planner.Options{})
	if err != nil {
		return err
	}
	if handWritten {
		r.Pending = len(m.UpPlan.Changes)
		return nil
	}
	var oldUps []string
	for _, mv := range r.Newest() {
		b, err := os.ReadFile(filepath.Join(p.Dir, mv.Old.Up))
		if err != nil {
			return err
		}
		oldUps = append(oldUps, string(b))
	}
	oldUp := strings.Join(oldUps, "\n")
	if m, r.Declined, err = keepRenames(st, m, message, oldUp, r.online); err != nil {
		return err
	}
	if m.Empty() {
		r.Dropped = true
		return nil
	}
	// The pairs keep their name (a message edited by hand no longer gives it).
	m.Slug = newest.Old.Name
	for _, f := range m.files() {
		f.Up = keepReviews(f.Up, oldUp)
		f.Slug = newest.Old.Name
		f.UpFile, f.DownFile = migfile.FileName(f.Version, f.Slug, "up"), migfile.FileName(f.Version, f.Slug, "down")
	}
	r.Regenerated, r.Message = m, message
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

// keepRenames plans m again with the possible renames that the old up
// file made (its text holds the rename statement), so that a pair written
// with --rename stays a rename; it returns the possible renames left. The
// result is planned as generate writes it (see PlanRun).
func keepRenames(st *State, m *Migration, message, oldUp string, online *planner.OnlineOptions) (*Migration, []planner.Rename, error) {
	var opts planner.Options
	var declined []planner.Rename
	for _, pr := range m.UpPlan.PossibleRenames {
		trial, err := st.Plan(message, planner.Options{Renames: []planner.Rename{pr}})
		if err != nil {
			return nil, nil, err
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
	m, err := st.PlanRun(message, opts, online)
	return m, declined, err
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

// Do carries the renumbering out: renames this branch's pairs, replaces
// the newest by its regeneration (or removes it when dropped), and
// rewrites the sum file for the folder as it is then. A rename that fails
// midway leaves the renamed files renamed, and says which.
func (r *Renumbering) Do() error {
	p := r.p
	if len(r.Moves) == 0 {
		_, err := p.WriteSum()
		return err
	}
	replace := r.Regenerated != nil || r.Dropped
	// Highest first, so a pair never moves onto a name another still has.
	for i := len(r.Moves) - 1; i >= 0; i-- {
		mv := r.Moves[i]
		if replace && r.inNewest(mv) {
			continue
		}
		for _, d := range []string{"up", "down"} {
			from, to := mv.Old.Up, mv.NewName(d)
			if d == "down" {
				from = mv.Old.Down
			}
			if from == to {
				continue
			}
			if err := linkNew(filepath.Join(p.Dir, from), filepath.Join(p.Dir, to)); err != nil {
				return fmt.Errorf("renaming %s to %s: %w", from, to, err)
			}
			if err := os.Remove(filepath.Join(p.Dir, from)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err // linkNew renamed it where there are no hard links
			}
		}
	}
	if replace {
		var old []migfile.Migration
		for _, mv := range r.Newest() {
			old = append(old, mv.Old)
		}
		if err := r.Regenerated.Replace(p.Dir, old); err != nil {
			return err
		}
	}
	_, err := p.WriteSum()
	return err
}
