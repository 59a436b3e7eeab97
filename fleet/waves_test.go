package fleet

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// TestWaves: with a canary of 2 and waves of 3, ten targets go as
// 2 | 3 | 3 | 2, and no target starts before every target of the wave
// before it has finished.
func TestWaves(t *testing.T) {
	targets := make([]string, 10)
	for i := range targets {
		targets[i] = "postgres://u@h" + string(rune('a'+i)) + ":5432/db" // one host each
	}
	var mu sync.Mutex
	finished := 0
	var early []int
	ends := []int{2, 5, 8, 10} // the index ending each wave
	job := func(_ context.Context, tg Target, res *Result) error {
		mu.Lock()
		defer mu.Unlock()
		i := int(tg.URL[len("postgres://u@h")] - 'a')
		w := 0
		for ends[w] <= i {
			w++
		}
		if w > 0 && finished < ends[w-1] {
			early = append(early, i)
		}
		finished++
		return nil
	}
	res := Run(context.Background(), Databases(targets), job, Options{Parallel: 8, PerHost: 8, Canary: 2, Wave: 3})
	if len(early) > 0 {
		t.Errorf("targets %v started before the wave before them had finished", early)
	}
	var got []int
	for _, r := range res {
		got = append(got, r.Wave)
	}
	if want := []int{0, 0, 1, 1, 1, 2, 2, 2, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("waves %v, want %v", got, want)
	}
}

// TestWaveStopsOnBudget: a failure in wave 1 spends a budget of 1; the
// rest of wave 1 (already running) finishes, and wave 2 never starts.
func TestWaveStopsOnBudget(t *testing.T) {
	targets := make([]string, 7)
	for i := range targets {
		targets[i] = "postgres://u@h:5432/db" + string(rune('a'+i))
	}
	job := func(_ context.Context, tg Target, _ *Result) error {
		if tg.URL == targets[1] {
			return errors.New("conflict")
		}
		return nil
	}
	res := Run(context.Background(), Databases(targets), job, Options{Parallel: 4, PerHost: 4, Wave: 3, MaxFailures: 1})
	// Wave 1 is targets 0-2, all started at once; wave 2 (3-5) and
	// wave 3 (6) are not started.
	if got := outcomes(res); got != "ofossss" {
		t.Errorf("outcomes %s, want ofossss", got)
	}
	// Without a budget, waves only pace the run.
	res = Run(context.Background(), Databases(targets), job, Options{Parallel: 4, PerHost: 4, Wave: 3})
	if got := outcomes(res); got != "ofooooo" {
		t.Errorf("no budget: outcomes %s, want ofooooo", got)
	}
}

func TestWaveSize(t *testing.T) {
	for _, c := range []struct {
		spec string
		n    int
		want int
		bad  bool
	}{
		{"", 10, 0, false}, {"4", 10, 4, false}, {"25%", 10, 3, false}, {"100%", 7, 7, false},
		{"1%", 10, 1, false}, {"0", 10, 0, true}, {"-2", 10, 0, true}, {"120%", 10, 0, true}, {"x%", 10, 0, true},
	} {
		got, err := WaveSize(c.spec, c.n)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("WaveSize(%q, %d) = %d, %v; want %d (error %v)", c.spec, c.n, got, err, c.want, c.bad)
		}
	}
}
