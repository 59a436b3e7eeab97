package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const input = `goos: linux
BenchmarkParseFloor/N=1000-2   	       3	 100000000 ns/op	 35272704 B/op	  467558 allocs/op
BenchmarkParseFloor/N=1000-2   	       3	 300000000 ns/op	 35272704 B/op	  467558 allocs/op
BenchmarkParseFloor/N=1000-2   	       3	 200000000 ns/op	 35272704 B/op	  467558 allocs/op
BenchmarkGenerate/N=1000-2     	       1	 500000000 ns/op	172285048 B/op	 2374655 allocs/op
BenchmarkGenerate/N=1000-2     	       1	 300000000 ns/op	172285048 B/op	 2374655 allocs/op
BenchmarkGenerate/N=5000-2     	       1	1500000000 ns/op	972285048 B/op	 2374655 allocs/op
BenchmarkParseFloor/N=5000-2   	       1	1000000000 ns/op	 35272704 B/op	  467558 allocs/op
BenchmarkCLIParseFloor/N=1000-2	       1	 100000000 ns/op
BenchmarkCLIDiff/N=1000-2      	       1	 250000000 ns/op
BenchmarkProcParseFloor/N=1000 	       1	 100000000 ns/op	 200 peak-RSS-MiB
BenchmarkProcDiff/N=1000       	       1	 100000000 ns/op	 300 peak-RSS-MiB
PASS
`

func TestMedianOdd(t *testing.T) {
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median(3,1,2) = %v", got)
	}
	if got := median([]float64{4, 1, 2, 3}); got != 2.5 {
		t.Errorf("median(4,1,2,3) = %v", got)
	}
}

func TestFloor(t *testing.T) {
	s, err := read(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ family, size, want string }{
		{"Generate", "N=1000", "ParseFloor"},
		{"CLIDiff", "N=1000", "CLIParseFloor"},
		{"ProcDiff", "N=1000", "ProcParseFloor"},
		{"ParseFloor", "N=1000", ""},
		{"CLIParseFloor", "N=1000", ""},
		{"CLIDiff", "N=100", ""},
	} {
		if got := s.floor(c.family, c.size); got != c.want {
			t.Errorf("floor(%s, %s) = %q, want %q", c.family, c.size, got, c.want)
		}
	}
}

func TestPrint(t *testing.T) {
	s, err := read(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	s.print(&b)
	// Compare words, not the tabwriter's padding.
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	got := strings.Join(lines, "\n")
	// Generate/N=1000: median 0.4 s over the floor's median 0.2 s.
	for _, want := range []string{
		"\nParseFloor/N=1000 3 0.200 s 34 MiB 0.47M -\n",
		// Paired: 500/100 and 300/300 → median of 5 and 1 is 3.
		"\nGenerate/N=1000 ParseFloor/N=1000 2.00 3.00 - -\n",
		"\nCLIDiff/N=1000 CLIParseFloor/N=1000 2.50 2.50 - -\n",
		"\nProcDiff/N=1000 ProcParseFloor/N=1000 1.00 1.00 1.50 1.50\n",
		"\nGenerate 3.75 5.64 -\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(cmp.Diff("", got))
	}
}
