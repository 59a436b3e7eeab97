package parser

import (
	"strconv"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// setColumnDefault gives col the default e, whose canonical text is text
// and whose text as written is src ("" when it is text). A timestamp
// literal compares as the value PostgreSQL stores for it (storedTimestamp),
// and the text as written is what migrations write. On a column of a type
// of the schema, NULL cast to a type (NULL::integer, as pg_dump writes it
// on a domain column) compares as NULL; on a built-in type, NULL cast to
// another type than the column's is a default the server stores and
// prints as written (NULL::integer on a bigint column; literalDefault
// made NULL cast to the column's own type NULL).
func setColumnDefault(col *schema.Column, e *pg_query.Node, text, src string) {
	if isNullConst(e) && text != "NULL" && col.Type.Schema != "" {
		if src == "" {
			src = text
		}
		text = "NULL"
	}
	col.Default, col.DefaultSrc = text, src
	if v, ok := storedTimestamp(e, col.Type); ok && schema.QuoteLiteral(v) != text {
		col.Default, col.DefaultSrc = schema.QuoteLiteral(v), col.DefaultSQL()
	}
}

// storedTimestamp returns the text PostgreSQL prints for the value of e, a
// string literal, bare or cast to timestamp, that is the default of a
// column of type t, a timestamp without time zone: timestamp input ignores
// a time zone ('1970-01-01 00:00:01+00:00' is stored as
// '1970-01-01 00:00:01', and pg_dump prints it so). False for any other
// expression, type or spelling (special values, BC dates, time zone names
// or fractions a precision would round), which compare as written.
func storedTimestamp(e *pg_query.Node, t schema.TypeName) (string, bool) {
	if t != (schema.TypeName{Name: "timestamp without time zone", Mods: t.Mods}) {
		return "", false
	}
	if tc := e.GetTypeCast(); tc != nil {
		if len(tc.TypeName.Typmods) > 0 || len(tc.TypeName.ArrayBounds) > 0 ||
			builtinTarget(strs(tc.TypeName.Names)) != "timestamp without time zone" {
			return "", false
		}
		e = tc.Arg
	}
	sv := e.GetAConst().GetSval()
	if sv == nil {
		return "", false
	}
	return isoTimestamp(sv.Sval, t.Mods == "")
}

// isoTimestamp parses the ISO 8601 spellings of a timestamp (a date, then
// optionally " " or "T" and a time, then optionally Z, UTC or a numeric
// offset) and returns it as PostgreSQL's ISO output prints a timestamp
// without time zone, which ignores the zone: "YYYY-MM-DD HH:MM:SS" and the
// fraction without its trailing zeros. A fraction is taken only when
// fractions is set.
func isoTimestamp(s string, fractions bool) (string, bool) {
	date, clock, _, _, ok := parseISO(s, fractions)
	return date + " " + clock, ok
}

// isoInstant is isoTimestamp for a timestamp with time zone written with
// its offset (Z, UTC or numeric): the instant, as PostgreSQL prints it in
// UTC ("YYYY-MM-DD HH:MM:SS+00"). False without an offset, whose instant
// depends on the session's TimeZone.
func isoInstant(s string, fractions bool) (string, bool) {
	date, clock, offset, has, ok := parseISO(s, fractions)
	if !ok || !has {
		return "", false
	}
	at, err := time.Parse("2006-01-02 15:04:05", date+" "+clock[:8])
	if err != nil {
		return "", false
	}
	return at.Add(-time.Duration(offset)*time.Second).Format("2006-01-02 15:04:05") + clock[8:] + "+00", true
}

// parseISO splits an ISO 8601 timestamp into its date (YYYY-MM-DD), its
// time (HH:MM:SS[.frac], midnight when left out) and its offset from UTC
// in seconds, has telling whether one was written.
func parseISO(s string, fractions bool) (date, clock string, offset int, has, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return "", "", 0, false, false
	}
	y, okY := digits(s[0:4], 0, 9999)
	m, okM := digits(s[5:7], 1, 12)
	d, okD := digits(s[8:10], 1, 31)
	if !okY || !okM || !okD || y == 0 || d > daysIn(y, m) {
		return "", "", 0, false, false
	}
	rest, clock := s[10:], "00:00:00"
	if rest != "" && (rest[0] == ' ' || rest[0] == 'T') && len(rest) >= 6 && rest[3] == ':' {
		if clock, rest, ok = isoClock(rest[1:], fractions); !ok {
			return "", "", 0, false, false
		}
	}
	offset, has, ok = zoneOffset(strings.TrimSpace(rest))
	return s[0:10], clock, offset, has, ok
}

// isoClock reads HH:MM[:SS[.frac]] at the start of s and returns it as
// HH:MM:SS[.frac] with the fraction's trailing zeros cut, and what follows.
func isoClock(s string, fractions bool) (clock, rest string, ok bool) {
	if len(s) < 5 || s[2] != ':' {
		return "", "", false
	}
	_, okH := digits(s[0:2], 0, 23)
	_, okM := digits(s[3:5], 0, 59)
	if !okH || !okM {
		return "", "", false
	}
	clock, rest = s[0:5]+":00", s[5:]
	if len(rest) >= 3 && rest[0] == ':' {
		if _, ok := digits(rest[1:3], 0, 59); !ok {
			return "", "", false
		}
		clock, rest = s[0:8], rest[3:]
	}
	if rest != "" && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		frac := strings.TrimRight(rest[1:i], "0")
		if i == 1 || i > 7 || frac != "" && !fractions {
			return "", "", false
		}
		if frac != "" {
			clock += "." + frac
		}
		rest = rest[i:]
	}
	return clock, rest, true
}

// zoneOffset reads the time zone after a timestamp: none, Z, UTC, or
// +HH, +HH:MM, +HHMM (or -), and returns its offset from UTC in seconds.
// ok is false for anything else (a zone name, whose offset depends on the
// date and the server's time zone data).
func zoneOffset(s string) (offset int, has, ok bool) {
	switch s {
	case "":
		return 0, false, true
	case "Z", "z", "UTC", "utc":
		return 0, true, true
	}
	sign := 1
	switch s[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, false, false
	}
	s = strings.Replace(s[1:], ":", "", 1)
	if len(s) != 2 && len(s) != 4 {
		return 0, false, false
	}
	h, okH := digits(s[0:2], 0, 15)
	mi, okM := 0, len(s) == 2
	if !okM {
		mi, okM = digits(s[2:4], 0, 59)
	}
	return sign * (h*3600 + mi*60), true, okH && okM
}

// digits parses s, all ASCII digits, as a number within [lo, hi].
func digits(s string, lo, hi int) (int, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

// daysIn is the number of days of month m of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ZoneDependent returns the literal of e, the default of a column of type
// t or a partition bound of a key column of type t, when it is a timestamp
// with time zone written without an offset ('2024-01-01 00:00'): the
// instant it stands for is read in the TimeZone of the session that runs
// the statement, so the same file gives other values on other servers or
// roles. A literal with an offset (Z, UTC, +02:00) or any other expression
// gives false. Lint warns of it (lint/timezone.go).
func ZoneDependent(e *pg_query.Node, t schema.TypeName) (string, bool) {
	tz := t.Name == "timestamp with time zone" && t.Schema == "" && t.ArrayDims == 0
	if tc := e.GetTypeCast(); tc != nil {
		tz = len(tc.TypeName.ArrayBounds) == 0 && builtinTarget(strs(tc.TypeName.Names)) == "timestamp with time zone"
		e = tc.Arg
	}
	sv := e.GetAConst().GetSval()
	if !tz || sv == nil {
		return "", false
	}
	_, _, _, has, ok := parseISO(sv.Sval, true)
	return sv.Sval, ok && !has
}

// isNullConst reports whether e is the NULL constant, cast or not.
func isNullConst(e *pg_query.Node) bool {
	for e.GetTypeCast() != nil {
		e = e.GetTypeCast().Arg
	}
	return e.GetAConst().GetIsnull()
}
