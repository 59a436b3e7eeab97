// Package fleet runs one migrations folder against many databases (a
// database per tenant, shards): bounded parallelism overall and per host,
// a canary wave that must succeed before the rest start, and a failure
// budget. It adds no bookkeeping of its own: every target keeps its own
// ledger in its bookkeeping table, so a rerun does only what is pending or
// failed, and a target that failed is left exactly as the single-database
// runner leaves it.
package fleet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/ddlmig/ddlmig/runner"
)

// ReadTargets reads database URLs, one a line; blank lines and lines
// starting with # are skipped. A duplicate is an error: two workers on one
// database would only wait for each other's lock.
func ReadTargets(r io.Reader) ([]string, error) {
	var out []string
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if prev, ok := seen[line]; ok {
			return nil, fmt.Errorf("line %d: the same target as line %d (%s)", n, prev, runner.Redact(line))
		}
		seen[line] = n
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no targets: the file lists no database URL")
	}
	return out, nil
}

// Outcome is what became of one target.
type Outcome string

const (
	OK      Outcome = "ok"
	Failed  Outcome = "failed"
	Skipped Outcome = "skipped" // not started: canary failed or failure budget spent
)

// Result is one target's entry in the summary. Target has its password
// redacted; Error is scrubbed of it too.
type Result struct {
	Target   string        `json:"target"`
	Outcome  Outcome       `json:"outcome"`
	Before   uint64        `json:"version_before"`
	After    uint64        `json:"version_after"`
	Applied  int           `json:"migrations_applied"`
	Pending  int           `json:"migrations_pending"`
	Duration time.Duration `json:"-"`
	Millis   int64         `json:"duration_ms"`
	Error    string        `json:"error,omitempty"`
}

// Job does the work on one target and fills in res (all but Target,
// Outcome and Duration); an error marks the target failed.
type Job func(ctx context.Context, url string, res *Result) error

// Options bound a fleet run. Zero values take the defaults.
type Options struct {
	Parallel    int // targets at once overall; 4 when zero
	PerHost     int // targets at once on one server; 2 when zero
	Canary      int // targets run first, all of which must succeed
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
func Run(ctx context.Context, targets []string, job Job, o Options) []Result {
	o = o.withDefaults()
	s := &state{o: o, job: job, res: make([]Result, len(targets)), hosts: map[string]*semaphore.Weighted{}}
	s.counts.Pending = len(targets)
	for i, t := range targets {
		s.res[i] = Result{Target: runner.Redact(t), Outcome: Skipped}
	}
	canary := min(o.Canary, len(targets))
	s.wave(ctx, targets, 0, canary)
	if s.failures.Load() == 0 {
		s.wave(ctx, targets, canary, len(targets))
	}
	return s.res
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
func (s *state) wave(ctx context.Context, targets []string, from, to int) {
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
func (s *state) one(ctx context.Context, i int, url string) {
	sem := s.host(url)
	if err := sem.Acquire(ctx, 1); err != nil {
		return
	}
	defer sem.Release(1)
	s.change(func(c *Counts) { c.Pending--; c.Running++ })
	start := time.Now()
	r := &s.res[i]
	err := s.job(ctx, url, r)
	r.Duration = time.Since(start)
	r.Millis = r.Duration.Milliseconds()
	r.Outcome = OK
	if err != nil {
		r.Outcome, r.Error = Failed, runner.ScrubError(err, url).Error()
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
