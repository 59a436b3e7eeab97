package planner

import (
	"math"
	"strconv"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// identityOptionChanges returns the sequence options that ALTER COLUMN ...
// SET must apply to turn the identity options from into to. Options are the
// canonical text of ColumnDef.IdentityOptions, e.g. "START WITH 100
// INCREMENT BY 2". An option that to no longer names goes back to its
// default.
//
// The canonical text leaves out a START equal to the MINVALUE (or MAXVALUE
// for a descending sequence), so START is compared as the value it stands
// for: a new MINVALUE moves it. When the old start lies outside the new
// range, PostgreSQL refuses the new bounds unless the counter restarts
// ("START value (-200) cannot be less than MINVALUE (-100)"), so RESTART
// is added: it sets the counter to the new start, which may issue again
// values the column already holds if the sequence had gone past it.
func identityOptionChanges(from, to string) []string {
	f, t := splitSeqOptions(from), splitSeqOptions(to)
	var out []string
	for _, o := range t {
		if o.key != "START" && !containsOption(f, o) {
			out = append(out, o.text)
		}
	}
	for _, o := range f {
		if o.key != "START" && findOption(t, o.key) < 0 {
			if d := seqOptionDefault(o.key); d != "" {
				out = append(out, d)
			}
		}
	}
	fs, ts := seqRange(f), seqRange(t)
	if fs.start != ts.start {
		out = append(out, "START WITH "+strconv.FormatInt(ts.start, 10))
	}
	if fs.start < ts.min || fs.start > ts.max {
		out = append(out, "RESTART")
	}
	return out
}

// seqBounds are the values options stand for.
type seqBounds struct{ start, min, max int64 }

// seqRange returns the start and bounds of a sequence with options opts.
// A bound left to the data type is taken as unbounded: only a start
// outside an explicit bound matters here.
func seqRange(opts []seqOption) seqBounds {
	num := func(key string) (int64, bool) {
		i := findOption(opts, key)
		if i < 0 {
			return 0, false
		}
		w := strings.Fields(opts[i].text)
		n, err := strconv.ParseInt(w[len(w)-1], 10, 64)
		return n, err == nil
	}
	inc, ok := num("INCREMENT")
	if !ok {
		inc = 1
	}
	b := seqBounds{min: math.MinInt64, max: math.MaxInt64}
	if inc > 0 {
		b.min = 1
	} else {
		b.max = -1
	}
	if n, ok := num("MINVALUE"); ok {
		b.min = n
	}
	if n, ok := num("MAXVALUE"); ok {
		b.max = n
	}
	b.start = b.min
	if inc < 0 {
		b.start = b.max
	}
	if n, ok := num("START"); ok {
		b.start = n
	}
	return b
}

type seqOption struct {
	key  string // START, INCREMENT, MINVALUE, MAXVALUE, CACHE, CYCLE, AS, SEQUENCE
	text string // the whole option, e.g. "NO MAXVALUE"
}

func containsOption(opts []seqOption, o seqOption) bool {
	i := findOption(opts, o.key)
	return i >= 0 && opts[i].text == o.text
}

func findOption(opts []seqOption, key string) int {
	for i, o := range opts {
		if o.key == key {
			return i
		}
	}
	return -1
}

// seqOptionDefault is the option that restores a default.
func seqOptionDefault(key string) string {
	switch key {
	case "INCREMENT":
		return "INCREMENT BY 1"
	case "MINVALUE":
		return "NO MINVALUE"
	case "MAXVALUE":
		return "NO MAXVALUE"
	case "CACHE":
		return "CACHE 1"
	case "CYCLE":
		return "NO CYCLE"
	}
	return ""
}

// splitSeqOptions splits sequence options into one entry per option.
func splitSeqOptions(s string) []seqOption {
	words := strings.Fields(s)
	var out []seqOption
	for i := 0; i < len(words); {
		w := strings.ToUpper(words[i])
		take := func(n int, key string) {
			end := min(i+n, len(words))
			out = append(out, seqOption{key: key, text: strings.Join(words[i:end], " ")})
			i = end
		}
		next := ""
		if i+1 < len(words) {
			next = strings.ToUpper(words[i+1])
		}
		switch w {
		case "START", "INCREMENT", "RESTART":
			if next == "WITH" || next == "BY" {
				take(3, w)
			} else {
				take(2, w)
			}
		case "MINVALUE", "MAXVALUE", "CACHE", "AS":
			take(2, w)
		case "NO":
			take(2, next)
		case "CYCLE":
			take(1, w)
		case "SEQUENCE":
			take(3, w)
		default:
			take(1, w)
		}
	}
	return out
}

// SyncSequence moves the sequence that now numbers an existing column
// (Sequence, or the column's identity sequence when Sequence is zero) past
// the largest value the column holds. A new sequence starts at its START
// (1), and an existing column may hold that value and more: without this,
// the first inserts after the migration fail with a duplicate key, or
// worse, where nothing is unique. It leaves an empty column's sequence
// alone.
type SyncSequence struct {
	Base
	Table    schema.QualifiedName
	Column   string
	Sequence schema.QualifiedName
}

// newSequenceDefault reports the sequence of def when def is the nextval
// default of a sequence the plan creates: column col of table n, which
// exists already, starts drawing from a fresh sequence.
func (s *planState) newSequenceDefault(n schema.QualifiedName, col, def string) (schema.QualifiedName, bool) {
	if !strings.HasPrefix(def, "nextval(") {
		return schema.QualifiedName{}, false
	}
	for q, seq := range s.to.Sequences { // at most one has def as its nextval
		if def == nextvalText(q) && s.from.Sequences[q] == nil && seq.OwnedBy == (schema.ColumnRef{Table: n, Column: col}) {
			return q, true
		}
	}
	return schema.QualifiedName{}, false
}
