package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// PostgreSQL stores an interval constant as its value and prints it in its
// own words: interval '12 months' comes back from pg_dump as
// '1 year'::interval. canonicalInterval spells a constant as the server
// prints it (IntervalStyle postgres), so that the two compare equal. It
// reads the common verbose form (whole numbers with units, an optional
// hh:mm[:ss] part, "ago"); any other spelling is kept as written.

// intervalUnits maps a unit to months, days or microseconds per unit.
var intervalUnits = map[string]struct{ months, days, micros int64 }{
	"microsecond": {0, 0, 1}, "microseconds": {0, 0, 1}, "us": {0, 0, 1}, "usec": {0, 0, 1}, "usecs": {0, 0, 1},
	"millisecond": {0, 0, 1000}, "milliseconds": {0, 0, 1000}, "ms": {0, 0, 1000}, "msec": {0, 0, 1000}, "msecs": {0, 0, 1000},
	"second": {0, 0, 1e6}, "seconds": {0, 0, 1e6}, "s": {0, 0, 1e6}, "sec": {0, 0, 1e6}, "secs": {0, 0, 1e6},
	"minute": {0, 0, 60e6}, "minutes": {0, 0, 60e6}, "m": {0, 0, 60e6}, "min": {0, 0, 60e6}, "mins": {0, 0, 60e6},
	"hour": {0, 0, 3600e6}, "hours": {0, 0, 3600e6}, "h": {0, 0, 3600e6}, "hr": {0, 0, 3600e6}, "hrs": {0, 0, 3600e6},
	"day": {0, 1, 0}, "days": {0, 1, 0}, "d": {0, 1, 0},
	"week": {0, 7, 0}, "weeks": {0, 7, 0}, "w": {0, 7, 0},
	"month": {1, 0, 0}, "months": {1, 0, 0}, "mon": {1, 0, 0}, "mons": {1, 0, 0},
	"year": {12, 0, 0}, "years": {12, 0, 0}, "y": {12, 0, 0}, "yr": {12, 0, 0}, "yrs": {12, 0, 0},
	"decade": {120, 0, 0}, "decades": {120, 0, 0},
	"century": {1200, 0, 0}, "centuries": {1200, 0, 0},
	"millennium": {12000, 0, 0}, "millennia": {12000, 0, 0},
}

func canonicalInterval(s string) (string, bool) {
	fields := strings.Fields(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@")))
	var months, days, micros int64
	ago := false
	for i := 0; i < len(fields); i++ {
		tok := fields[i]
		if tok == "ago" && i == len(fields)-1 {
			ago = true
			continue
		}
		if strings.Contains(tok, ":") {
			us, ok := clockMicros(tok)
			if !ok {
				return "", false
			}
			micros += us
			continue
		}
		// A number and its unit, written together (1day) or apart.
		j := strings.IndexFunc(tok, func(r rune) bool { return (r < '0' || r > '9') && r != '-' && r != '+' && r != '.' })
		num, unit := tok, ""
		if j > 0 {
			num, unit = tok[:j], tok[j:]
		} else if j == 0 {
			return "", false
		} else if i+1 < len(fields) {
			if _, ok := intervalUnits[fields[i+1]]; ok {
				unit = fields[i+1]
				i++
			}
		}
		if unit == "" {
			unit = "seconds"
		}
		u, ok := intervalUnits[unit]
		if !ok {
			return "", false
		}
		whole, frac, _ := strings.Cut(num, ".")
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil {
			return "", false
		}
		if frac != "" {
			// A fraction of a month or a day spills into smaller units
			// by rules of their own; of a time unit it is exact.
			fm, ok := fractionMicros(strings.HasPrefix(whole, "-"), frac, u.micros)
			if !ok || u.micros == 0 {
				return "", false
			}
			micros += fm
		}
		months, days, micros = months+n*u.months, days+n*u.days, micros+n*u.micros
	}
	if len(fields) == 0 {
		return "", false
	}
	if ago {
		months, days, micros = -months, -days, -micros
	}
	return formatInterval(months, days, micros), true
}

// fractionMicros is .frac of a unit of per microseconds, when that is a
// whole number of microseconds.
func fractionMicros(neg bool, frac string, per int64) (int64, bool) {
	if len(frac) > 6 {
		return 0, false
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	scale := int64(1)
	for range len(frac) {
		scale *= 10
	}
	if f*per%scale != 0 {
		return 0, false
	}
	if neg {
		return -f * per / scale, true
	}
	return f * per / scale, true
}

// clockMicros reads [-]hh:mm[:ss[.frac]].
func clockMicros(tok string) (int64, bool) {
	neg := strings.HasPrefix(tok, "-")
	parts := strings.Split(strings.TrimLeft(tok, "+-"), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var us int64
	for i, p := range parts {
		whole, frac, _ := strings.Cut(p, ".")
		if frac != "" && i != 2 {
			return 0, false
		}
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		us += n * []int64{3600e6, 60e6, 1e6}[i]
		if frac != "" {
			if len(frac) > 6 {
				return 0, false
			}
			f, err := strconv.ParseInt((frac + "000000")[:6], 10, 64)
			if err != nil {
				return 0, false
			}
			us += f
		}
	}
	if neg {
		us = -us
	}
	return us, true
}

// formatInterval prints an interval as PostgreSQL does with IntervalStyle
// postgres: "1 year 2 mons -3 days +04:05:06".
func formatInterval(months, days, micros int64) string {
	var parts []string
	prevNeg := false
	field := func(n int64, unit string) {
		if n == 0 {
			return
		}
		s := ""
		if prevNeg && n > 0 {
			s = "+"
		}
		s += strconv.FormatInt(n, 10) + " " + unit
		if n != 1 {
			s += "s"
		}
		parts = append(parts, s)
		prevNeg = n < 0
	}
	field(months/12, "year")
	field(months%12, "mon")
	field(days, "day")
	if micros != 0 || len(parts) == 0 {
		sign := ""
		if micros < 0 {
			sign, micros = "-", -micros
		} else if prevNeg {
			sign = "+"
		}
		h, rest := micros/3600e6, micros%3600e6
		m, rest := rest/60e6, rest%60e6
		sec, frac := rest/1e6, rest%1e6
		s := sign + pad2(h) + ":" + pad2(m) + ":" + pad2(sec)
		if frac != 0 {
			s += "." + strings.TrimRight(strconv.FormatInt(1e6+frac, 10)[1:], "0")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// normalizeIntervalConst rewrites '...'::interval (without fields or
// precision) to the server's spelling of its value.
func normalizeIntervalConst(tc *pg_query.TypeCast) {
	s := tc.Arg.GetAConst().GetSval()
	names := strs(tc.TypeName.GetNames())
	if s == nil || len(names) == 0 || names[len(names)-1] != "interval" || len(tc.TypeName.Typmods) > 0 || tc.TypeName.ArrayBounds != nil {
		return
	}
	if c, ok := canonicalInterval(s.Sval); ok {
		s.Sval = c
	}
}
