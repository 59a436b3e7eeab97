// Command benchsum reads `go test -bench` output (from several runs, in any
// order) and prints, per benchmark, the median of each metric, then the
// ratios issue 7 sets goals for: each command against the parse floor
// measured in the same run, and each benchmark's N=5000 against its N=1000.
//
// Benchmarks are named Family/N=<tables>. A family's floor is the family
// named <prefix>ParseFloor with the longest prefix the family shares
// (Generate → ParseFloor, CLIDiff → CLIParseFloor, ProcDiff →
// ProcParseFloor). scripts/bench feeds it.
//
//	benchsum FILE...   (or standard input)
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

func main() {
	var in []io.Reader
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchsum:", err)
			os.Exit(1)
		}
		defer f.Close()
		in = append(in, f)
	}
	if len(in) == 0 {
		in = append(in, os.Stdin)
	}
	s, err := read(io.MultiReader(in...))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsum:", err)
		os.Exit(1)
	}
	s.print(os.Stdout)
}

// samples holds every value seen: benchmark name → unit → values.
type samples struct {
	names  []string // in order of first appearance
	values map[string]map[string][]float64
}

// benchLine matches "BenchmarkName-2   <iters>   <value> <unit> ...".
var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func read(r io.Reader) (*samples, error) {
	s := &samples{values: map[string]map[string][]float64{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name, fields := m[1], strings.Fields(m[2])
		if s.values[name] == nil {
			s.values[name] = map[string][]float64{}
			s.names = append(s.names, name)
		}
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a number", sc.Text(), fields[i])
			}
			s.values[name][fields[i+1]] = append(s.values[name][fields[i+1]], v)
		}
	}
	return s, sc.Err()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (s *samples) median(name, unit string) (float64, bool) {
	v, ok := s.values[name][unit]
	return median(v), ok && len(v) > 0
}

// split cuts "Generate/N=1000" into "Generate" and "N=1000".
func split(name string) (family, size string) {
	i := strings.LastIndex(name, "/N=")
	if i < 0 {
		return name, ""
	}
	return name[:i], name[i+1:]
}

// floor names the family a family is compared with, or "".
func (s *samples) floor(family, size string) string {
	if strings.HasSuffix(family, "ParseFloor") {
		return "" // floors are not measured against each other
	}
	best := ""
	for _, name := range s.names {
		f, sz := split(name)
		if sz != size || !strings.HasSuffix(f, "ParseFloor") || f == family {
			continue
		}
		prefix := strings.TrimSuffix(f, "ParseFloor")
		if strings.HasPrefix(family, prefix) && (best == "" || len(f) > len(best)) {
			best = f
		}
	}
	return best
}

// units are the metrics printed, in this order, with how to show them.
var units = []struct {
	unit, title string
	show        func(float64) string
}{
	{"ns/op", "time", func(v float64) string { return fmt.Sprintf("%.3f s", v/1e9) }},
	{"B/op", "allocated", func(v float64) string { return fmt.Sprintf("%.0f MiB", v/(1<<20)) }},
	{"allocs/op", "allocs", func(v float64) string { return fmt.Sprintf("%.2fM", v/1e6) }},
	{"peak-RSS-MiB", "peak RSS", func(v float64) string { return fmt.Sprintf("%.0f MiB", v) }},
}

func (s *samples) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "benchmark\truns")
	for _, u := range units {
		fmt.Fprintf(tw, "\t%s", u.title)
	}
	fmt.Fprintln(tw)
	for _, name := range s.names {
		fmt.Fprintf(tw, "%s\t%d", name, len(s.values[name]["ns/op"]))
		for _, u := range units {
			if v, ok := s.median(name, u.unit); ok {
				fmt.Fprintf(tw, "\t%s", u.show(v))
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nratios to the parse floor of the same run (goal: at most 1.5): of the medians, and the")
	fmt.Fprintln(w, "median of the per-round ratios (paired: the i-th run of each, taken in the same round):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tfloor\ttime\ttime paired\tpeak RSS\tpeak RSS paired")
	for _, name := range s.names {
		family, size := split(name)
		fl := s.floor(family, size)
		if fl == "" {
			continue
		}
		fl += "/" + size
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, fl, s.ratio(name, fl, "ns/op"), s.paired(name, fl, "ns/op"),
			s.ratio(name, fl, "peak-RSS-MiB"), s.paired(name, fl, "peak-RSS-MiB"))
	}
	tw.Flush()

	fmt.Fprintln(w, "\ngrowth, N=5000 over N=1000 (goal: at most 5.5 for linear time):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "family\ttime\tallocated\tpeak RSS")
	seen := map[string]bool{}
	for _, name := range s.names {
		family, _ := split(name)
		big, small := family+"/N=5000", family+"/N=1000"
		if seen[family] || s.values[big] == nil || s.values[small] == nil {
			continue
		}
		seen[family] = true
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", family, s.ratio(big, small, "ns/op"), s.ratio(big, small, "B/op"), s.ratio(big, small, "peak-RSS-MiB"))
	}
	tw.Flush()
}

// ratio formats median(a)/median(b) for unit, or "-" when either is
// missing.
func (s *samples) ratio(a, b, unit string) string {
	x, ok1 := s.median(a, unit)
	y, ok2 := s.median(b, unit)
	if !ok1 || !ok2 || y == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", x/y)
}

// paired formats the median of a_i/b_i over the runs both have, pairing
// runs by order: scripts/bench runs every benchmark once per round, so the
// i-th runs of two benchmarks saw the same load. "-" when there are none.
func (s *samples) paired(a, b, unit string) string {
	x, y := s.values[a][unit], s.values[b][unit]
	var r []float64
	for i := 0; i < len(x) && i < len(y); i++ {
		if y[i] != 0 {
			r = append(r, x[i]/y[i])
		}
	}
	if len(r) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", median(r))
}
