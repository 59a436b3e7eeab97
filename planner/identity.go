package planner

import "strings"

// identityOptionChanges returns the sequence options that ALTER COLUMN ...
// SET must apply to turn the identity options from into to. Options are the
// canonical text of ColumnDef.IdentityOptions, e.g. "START WITH 100
// INCREMENT BY 2". An option that to no longer names goes back to its
// default.
func identityOptionChanges(from, to string) []string {
	f, t := splitSeqOptions(from), splitSeqOptions(to)
	var out []string
	for _, o := range t {
		if !containsOption(f, o) {
			out = append(out, o.text)
		}
	}
	for _, o := range f {
		if findOption(t, o.key) < 0 {
			if d := seqOptionDefault(o.key); d != "" {
				out = append(out, d)
			}
		}
	}
	return out
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
	case "START":
		return "START WITH 1"
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
