// Package fleet runs one migrations folder against many databases (a
// database per tenant, shards) or many tenant schemas of one database:
// bounded parallelism overall and per host, a canary wave that must
// succeed before the rest start, further waves, and a failure budget. It
// adds no bookkeeping of its own: every target keeps its own ledger in its
// bookkeeping table, so a rerun does only what is pending or failed, and a
// target that failed is left exactly as the single-database runner leaves
// it.
package fleet

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/ddlmig/ddlmig/runner"
)

// Outcome is what became of one target.
type Outcome string

const (
	OK      Outcome = "ok"
	Failed  Outcome = "failed"
	Drifted Outcome = "drifted" // drift: the job found differences
	Skipped Outcome = "skipped" // not started: canary failed or failure budget spent
)

// Result is one target's entry in the summary. Target has its password
// redacted; Error is scrubbed of it too.
type Result struct {
	Target     string   `json:"target"`
	Schema     string   `json:"schema,omitempty"`
	Wave       int      `json:"wave"` // 0: the canary wave
	Outcome    Outcome  `json:"outcome"`
	Before     uint64   `json:"version_before"`
	After      uint64   `json:"version_after"`
	Applied    int      `json:"migrations_applied"`
	RolledBack int      `json:"migrations_rolled_back,omitempty"`
	Pending    int      `json:"migrations_pending"`
	Drift      []string `json:"drift,omitempty"` // first line of each change drift would make
	// WouldRun lists the files a dry run would run, in order.
	WouldRun []string      `json:"would_run,omitempty"`
	Duration time.Duration `json:"-"`
	Millis   int64         `json:"duration_ms"`
	Error    string        `json:"error,omitempty"`
}

// Job does the work on one target and fills in res (all but Target,
// Schema, Wave, Outcome and Duration); an error marks the target failed.
type Job func(ctx context.Context, t Target, res *Result) error

// Options bound a fleet run. Zero values take the defaults.
type Options struct {
	Parallel int // targets at once overall; 4 when zero
	PerHost  int // targets at once on one server; 2 when zero
	Canary   int // targets run first, all of which must succeed
	// Wave is how many targets each wave after the canary starts; the
	// next wave starts when one is done, unless the failure budget is
	// spent. 0: the rest in one wave.
	Wave        int
	MaxFailures int // stop starting targets after this many failures; 0: no limit
	// OnChange, when set, is called after each target starts or ends, for
	// a progress line; calls are serialised.
	OnChange func(Counts)
}

// Counts is the fleet's progress.
type Counts struct{ Done, Running, Failed, Pending int }

// Run runs job on every target and returns one Result per target, in the
// targets' order. It never returns early on a failure: targets already
// running finish, and the ones not started are reported Skipped.
//
// The canary wave (the first Canary targets) must succeed entirely before
// anything else starts. Then the rest go in waves of Wave targets, each
// starting when the previous one has finished, so a bad migration is seen
// on few targets; between waves, and within one, nothing new starts once
// MaxFailures targets have failed.
func Run(ctx context.Context, targets []Target, job Job, o Options) []Result {
	o = o.withDefaults()
	s := &state{o: o, job: job, res: make([]Result, len(targets)), hosts: map[string]*semaphore.Weighted{}}
	s.counts.Pending = len(targets)
	spans := waves(len(targets), o)
	for w, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			t := targets[i]
			s.res[i] = Result{Target: runner.Redact(t.URL), Schema: t.Schema, Wave: w, Outcome: Skipped}
		}
	}
	for w, sp := range spans {
		if w == 1 && o.Canary > 0 && s.failures.Load() > 0 {
			break // the canary failed
		}
		if s.spent() || ctx.Err() != nil {
			break
		}
		s.wave(ctx, targets, sp[0], sp[1])
	}
	return s.res
}

// waves cuts n targets into [from, to) spans: the canary wave (wave 0,
// empty without a canary), then waves of o.Wave targets.
func waves(n int, o Options) [][2]int {
	canary := min(o.Canary, n)
	out := [][2]int{{0, canary}}
	size := o.Wave
	if size <= 0 {
		size = n
	}
	for i := canary; i < n; i += size {
		out = append(out, [2]int{i, min(i+size, n)})
	}
	return out
}

func (o Options) withDefaults() Options {
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	return o
}

type state struct {
	o        Options
	job      Job
	res      []Result
	failures atomic.Int64
	mu       sync.Mutex
	hosts    map[string]*semaphore.Weighted
	counts   Counts
}

// wave runs targets[from:to] with at most Parallel at once, and starts
// none once the failure budget is spent.
func (s *state) wave(ctx context.Context, targets []Target, from, to int) {
	g := new(errgroup.Group)
	g.SetLimit(s.o.Parallel)
	for i := from; i < to; i++ {
		if s.spent() || ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if s.spent() {
				return nil
			}
			s.one(ctx, i, targets[i])
			return nil
		})
	}
	g.Wait()
}

func (s *state) spent() bool {
	return s.o.MaxFailures > 0 && s.failures.Load() >= int64(s.o.MaxFailures)
}

// one runs the job on target i, holding its host's slot.
func (s *state) one(ctx context.Context, i int, t Target) {
	sem := s.host(t.URL)
	if err := sem.Acquire(ctx, 1); err != nil {
		return
	}
	defer sem.Release(1)
	s.change(func(c *Counts) { c.Pending--; c.Running++ })
	start := time.Now()
	r := &s.res[i]
	err := s.job(ctx, t, r)
	r.Duration = time.Since(start)
	r.Millis = r.Duration.Milliseconds()
	r.Outcome = OK
	if len(r.Drift) > 0 {
		r.Outcome = Drifted
	}
	if err != nil {
		r.Outcome, r.Error = Failed, runner.ScrubError(err, t.URL).Error()
		s.failures.Add(1)
	}
	s.change(func(c *Counts) {
		c.Running--
		if err != nil {
			c.Failed++
		} else {
			c.Done++
		}
	})
}

func (s *state) change(f func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.counts)
	if s.o.OnChange != nil {
		s.o.OnChange(s.counts)
	}
}

// host returns the semaphore of url's server (host:port; the URL itself
// when it does not parse, which then fails in the job with pgx's reason).
func (s *state) host(url string) *semaphore.Weighted {
	key := url
	if cfg, err := pgx.ParseConfig(url); err == nil {
		key = fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hosts[key] == nil {
		s.hosts[key] = semaphore.NewWeighted(int64(s.o.PerHost))
	}
	return s.hosts[key]
}
