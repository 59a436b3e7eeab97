package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// TypeChangeClass says what ALTER COLUMN ... TYPE costs on a table that
// holds rows. The zero value is invalid.
//
// The classes follow PostgreSQL's own rules (ATColumnChangeRequiresRewrite
// and the planner support functions of varchar, numeric, timestamp, time,
// interval and varbit), checked on PostgreSQL 15 by comparing
// pg_class.relfilenode of the table and of an index on the column before
// and after the ALTER (see TestTypeChangeClassesOnServer in package render).
type TypeChangeClass int

// Type change classes, from cheapest to most dangerous.
const (
	_ TypeChangeClass = iota
	// MetadataOnly: the catalog changes, no row is rewritten, no value can
	// be lost, indexes are kept: varchar(20) to varchar(50) or text,
	// numeric(10,2) to numeric(12,2), timestamp(3) to timestamp(6), cidr
	// to inet.
	MetadataOnly
	// Reindex: no row is rewritten and no value lost, but the indexes on
	// the column are rebuilt (a new collation or operator class).
	Reindex
	// Rewrite: every value is kept, but the table and its indexes are
	// rewritten under an ACCESS EXCLUSIVE lock: integer to bigint.
	Rewrite
	// Lossy: a value can be rejected (the statement fails) or rounded,
	// truncated or reinterpreted; the table is rewritten too.
	Lossy
)

func (c TypeChangeClass) String() string {
	switch c {
	case MetadataOnly:
		return "metadata-only"
	case Reindex:
		return "reindex"
	case Rewrite:
		return "rewrite"
	case Lossy:
		return "lossy"
	}
	return "invalid type change class"
}

// ClassifyTypeChange classifies changing a column from from to to (type and
// collation; the other fields are ignored). indexed says whether an index
// or a key constraint covers the column: a change that would only rebuild
// indexes is metadata-only without one. reason explains the class in a few
// words for a review marker.
func ClassifyTypeChange(from, to schema.ColumnDef, indexed bool) (class TypeChangeClass, reason string) {
	class, reason, reindex := classifyType(from.Type, to.Type)
	if class == MetadataOnly && (reindex || from.Collation != to.Collation) {
		if !indexed {
			return MetadataOnly, "no row is rewritten and no index covers the column"
		}
		if from.Type == to.Type {
			return Reindex, "a new collation rebuilds the column's indexes"
		}
		if from.Collation != to.Collation {
			return Reindex, "no row is rewritten, but the new collation rebuilds the column's indexes"
		}
		return Reindex, reason
	}
	return class, reason
}

// classifyType classifies a change of type alone. reindex is set for a
// metadata-only change that still rebuilds the indexes on the column.
func classifyType(f, t schema.TypeName) (class TypeChangeClass, reason string, reindex bool) {
	if f == t {
		return MetadataOnly, "the type is unchanged", false
	}
	if f.ArrayDims != t.ArrayDims {
		return Lossy, "the number of array dimensions changes; values that do not convert are rejected", false
	}
	if f.ArrayDims > 0 {
		// PostgreSQL rewrites every array conversion, even varchar(20)[]
		// to varchar(50)[].
		fe, te := f, t
		fe.ArrayDims, te.ArrayDims = 0, 0
		c, r, _ := classifyType(fe, te)
		if c == Lossy {
			return Lossy, "array elements: " + r, false
		}
		return Rewrite, "array conversions always rewrite the table", false
	}
	if f.Schema != "" || t.Schema != "" {
		if t.Schema == "" && isUnlimitedText(t) {
			return Rewrite, "every value keeps its text form, but the table is rewritten", false
		}
		return Lossy, "values that do not convert to " + t.String() + " are rejected", false
	}
	fk, tk := kindOf(f.Name), kindOf(t.Name)
	switch {
	case fk == kText && tk == kText:
		return textChange(f, t)
	case tk == kText:
		if isUnlimitedText(t) {
			return Rewrite, "every value keeps its text form, but the table is rewritten", false
		}
		return Lossy, "the text form of a value may be longer than " + t.String() + " allows", false
	case fk == kText:
		return Lossy, "text that does not parse as " + t.String() + " is rejected", false
	case fk == kInt && tk == kInt:
		if intRank(t.Name) > intRank(f.Name) {
			return Rewrite, "a wider integer keeps every value, but the table is rewritten", false
		}
		return Lossy, "values out of the range of " + t.Name + " are rejected", false
	case fk == kInt && t.Name == "numeric":
		_, s, p, constrained := numericMods(t)
		if !constrained || p-s >= intDigits(f.Name) {
			return Rewrite, "numeric holds every " + f.Name + " value, but the table is rewritten", false
		}
		return Lossy, fmt.Sprintf("%s holds at most %d integer digits; larger values are rejected", t, p-s), false
	case fk == kInt && (t.Name == "real" || t.Name == "double precision"):
		if f.Name == "smallint" || (f.Name == "integer" && t.Name == "double precision") {
			return Rewrite, t.Name + " holds every " + f.Name + " value exactly, but the table is rewritten", false
		}
		return Lossy, "large values are rounded to the precision of " + t.Name, false
	case f.Name == "numeric" && t.Name == "numeric":
		return numericChange(f, t)
	case f.Name == "real" && t.Name == "double precision":
		return Rewrite, "double precision holds every real value, but the table is rewritten", false
	case fk == kTimestamp && tk == kTimestamp:
		return timeChange(f, t, 6, "timestamp")
	case fk == kTime && tk == kTime:
		return timeChange(f, t, 6, "time")
	case f.Name == "date" && tk == kTimestamp:
		return Rewrite, "every date converts exactly, but the table is rewritten", false
	case fk == kTimestamp && (t.Name == "date" || tk == kTime):
		return Lossy, "the " + map[bool]string{true: "time of day", false: "date"}[t.Name == "date"] + " part of each value is dropped", false
	case f.Name == "interval" && t.Name == "interval":
		if t.Mods == "" {
			return MetadataOnly, "interval without a limit holds every value", false
		}
		return Lossy, "values are truncated to the fields and precision of " + t.String(), false
	case fk == kBit && tk == kBit:
		return bitChange(f, t)
	case f.Name == "cidr" && t.Name == "inet":
		return MetadataOnly, "inet holds every cidr value", false
	case f.Name == "json" && t.Name == "jsonb":
		return Lossy, "jsonb keeps only the last of duplicate keys and drops key order and formatting", false
	case f.Name == "jsonb" && t.Name == "json":
		return Rewrite, "json keeps every jsonb value, but the table is rewritten", false
	}
	return Lossy, fmt.Sprintf("converting %s to %s may reject or change values", f, t), false
}

type typeKind int

const (
	kOther typeKind = iota
	kText
	kInt
	kTimestamp
	kTime
	kBit
)

func kindOf(name string) typeKind {
	switch name {
	case "text", "character varying", "character", "bpchar", "name":
		return kText
	case "smallint", "integer", "bigint":
		return kInt
	case "timestamp without time zone", "timestamp with time zone":
		return kTimestamp
	case "time without time zone", "time with time zone":
		return kTime
	case "bit", "bit varying":
		return kBit
	}
	return kOther
}

func intRank(name string) int {
	return map[string]int{"smallint": 1, "integer": 2, "bigint": 3}[name]
}

// intDigits is the number of decimal digits of the largest value of an
// integer type.
func intDigits(name string) int {
	return map[string]int{"smallint": 5, "integer": 10, "bigint": 19}[name]
}

// textLen returns the length limit of a text type, -1 for none. character
// without a length is character(1), as in PostgreSQL.
func textLen(t schema.TypeName) int {
	switch t.Name {
	case "text", "bpchar":
		return -1
	case "name":
		return 63
	}
	if t.Mods == "" {
		if t.Name == "character" {
			return 1
		}
		return -1
	}
	n, err := strconv.Atoi(t.Mods)
	if err != nil {
		return -1
	}
	return n
}

func isUnlimitedText(t schema.TypeName) bool {
	return t.ArrayDims == 0 && (t.Name == "text" || (t.Name == "character varying" && t.Mods == ""))
}

// isVarlenText is text, varchar and unlimited bpchar: the types between
// which PostgreSQL relabels without calling a function.
func isVarlenText(name string) bool {
	return name == "text" || name == "character varying" || name == "bpchar"
}

func textChange(f, t schema.TypeName) (TypeChangeClass, string, bool) {
	fl, tl := textLen(f), textLen(t)
	longer := func() string {
		return fmt.Sprintf("values longer than %d characters are rejected", tl)
	}
	switch {
	case f.Name == "name" || t.Name == "name":
		if t.Name == "name" {
			return Lossy, "name truncates values to 63 bytes", false
		}
		if tl >= 0 && tl < 63 {
			return Lossy, longer(), false
		}
		return Rewrite, "every name fits, but the table is rewritten", false
	case f.Name == "character" && t.Name == "character":
		if tl < fl {
			return Lossy, longer(), false
		}
		return Rewrite, "longer values are padded with spaces, so the table is rewritten", false
	case f.Name == "character":
		// char(n) to text, varchar or bpchar.
		if t.Name == "bpchar" {
			return MetadataOnly, "bpchar holds every character(n) value", false
		}
		if tl >= 0 && tl < fl {
			return Lossy, longer(), false
		}
		return Rewrite, "trailing spaces are removed from every value, so the table is rewritten", false
	case t.Name == "character":
		return Lossy, longer() + ", shorter ones padded with spaces", false
	}
	// text, varchar(n), varchar, bpchar among themselves.
	if tl < 0 || (fl >= 0 && tl >= fl) {
		if t.Name == "bpchar" && f.Name != "bpchar" {
			return Rewrite, "bpchar ignores trailing spaces, so the table is rewritten", false
		}
		if f.Name == "bpchar" && t.Name != "bpchar" {
			return Rewrite, "trailing spaces are removed from every value, so the table is rewritten", false
		}
		return MetadataOnly, "a longer or no length limit keeps every value", false
	}
	return Lossy, longer(), false
}

// numericMods returns precision and scale of a numeric type; constrained
// is false for numeric without a typmod.
func numericMods(t schema.TypeName) (mods string, scale, precision int, constrained bool) {
	if t.Mods == "" {
		return "", 0, 0, false
	}
	p, s, _ := strings.Cut(t.Mods, ",")
	pn, err := strconv.Atoi(p)
	if err != nil {
		return t.Mods, 0, 0, false
	}
	sn, _ := strconv.Atoi(s)
	return t.Mods, sn, pn, true
}

func numericChange(f, t schema.TypeName) (TypeChangeClass, string, bool) {
	_, fs, fp, fc := numericMods(f)
	_, ts, tp, tc := numericMods(t)
	switch {
	case !tc:
		return MetadataOnly, "numeric without a limit holds every value", false
	case !fc:
		return Lossy, fmt.Sprintf("values are rounded to %d decimal places and those with more than %d integer digits are rejected", ts, tp-ts), false
	case ts == fs && tp >= fp:
		return MetadataOnly, "a higher precision at the same scale keeps every value", false
	case ts < fs:
		return Lossy, fmt.Sprintf("values are rounded to %d decimal places", ts), false
	case tp-ts < fp-fs:
		return Lossy, fmt.Sprintf("values with more than %d integer digits are rejected", tp-ts), false
	}
	return Rewrite, "every value fits, but a new scale rewrites the table", false
}

// timeChange classifies a change between two timestamp or two time types:
// a precision that does not decrease is metadata-only; a change of time
// zone rewrites (PostgreSQL skips it only when the session time zone is
// UTC, which a migration cannot count on).
func timeChange(f, t schema.TypeName, maxPrec int, word string) (TypeChangeClass, string, bool) {
	prec := func(x schema.TypeName) int {
		if n, err := strconv.Atoi(x.Mods); err == nil {
			return n
		}
		return maxPrec
	}
	if prec(t) < prec(f) {
		return Lossy, fmt.Sprintf("fractional seconds are rounded to %d digits", prec(t)), false
	}
	fz, tz := strings.HasSuffix(f.Name, " with time zone"), strings.HasSuffix(t.Name, " with time zone")
	switch {
	case fz == tz:
		return MetadataOnly, "a higher precision keeps every value", false
	case word == "time" && fz:
		return Lossy, "the time zone of each value is dropped", false
	case fz:
		return Rewrite, "values are converted to local time in the session's time zone, and the table is rewritten unless that zone is UTC", false
	}
	return Rewrite, "values are read as local time in the session's time zone, and the table is rewritten unless that zone is UTC", false
}

func bitChange(f, t schema.TypeName) (TypeChangeClass, string, bool) {
	bitLen := func(x schema.TypeName) int {
		if n, err := strconv.Atoi(x.Mods); err == nil {
			return n
		}
		if x.Name == "bit" {
			return 1
		}
		return -1
	}
	fl, tl := bitLen(f), bitLen(t)
	switch {
	case t.Name == "bit":
		return Lossy, fmt.Sprintf("bit strings whose length is not %d are rejected", tl), false
	case tl >= 0 && (fl < 0 || tl < fl):
		return Lossy, fmt.Sprintf("bit strings longer than %d are rejected", tl), false
	case f.Name == "bit" && tl >= 0:
		return Rewrite, "every value fits, but the table is rewritten", false
	case f.Name == "bit":
		return MetadataOnly, "no row is rewritten, but the column's indexes are rebuilt for the new operator class", true
	}
	return MetadataOnly, "a longer or no length limit keeps every value", false
}

// alterType is the change of column f into t's type, classified, with the
// hazard of its class.
func (s *planState) alterType(n schema.QualifiedName, f, t *schema.Column, using string) *AlterColumnType {
	c := &AlterColumnType{Table: n, Column: t.Name, Type: t.Type, Collation: t.Collation, Using: using, From: f.Type}
	c.Class, c.Reason = ClassifyTypeChange(f.ColumnDef, t.ColumnDef, s.indexed(n, f.Name))
	col := n.String() + "." + schema.QuoteIdent(t.Name)
	what := fmt.Sprintf("changes column %s from %s to %s", col, f.Type, t.Type)
	if f.Type == t.Type {
		what = fmt.Sprintf("changes the collation of column %s", col)
	}
	switch c.Class {
	case Lossy:
		c.Base = hazard(HazardTypeChangeLossy, t.Pos, what+" (lossy: "+c.Reason+"; the table is rewritten)")
	case Rewrite:
		c.Base = lockHazard(HazardTypeChangeRewrite, t.Pos, what+" (rewrite: "+c.Reason+"), holding an ACCESS EXCLUSIVE lock throughout")
	case Reindex:
		c.Base = lockHazard(HazardTypeChangeReindex, t.Pos, what+" (reindex: "+c.Reason+"), holding an ACCESS EXCLUSIVE lock throughout")
	}
	return c
}

// indexed reports whether an index or a key constraint of table n covers
// column col, in the catalog being migrated from. The indexes are grouped
// by table on first use; only tables whose column types change ask.
func (s *planState) indexed(n schema.QualifiedName, col string) bool {
	if s.indexesOn == nil {
		s.indexesOn = map[schema.QualifiedName][]*schema.Index{}
		for _, idx := range s.from.Indexes {
			s.indexesOn[idx.Table] = append(s.indexesOn[idx.Table], idx)
		}
	}
	for _, idx := range s.indexesOn[n] {
		if slices.Contains(idx.Columns, col) {
			return true
		}
	}
	if t := s.from.Tables[n]; t != nil {
		for _, con := range t.Constraints {
			if (con.Kind == schema.PrimaryKey || con.Kind == schema.Unique || con.Kind == schema.Exclude) && slices.Contains(con.Columns, col) {
				return true
			}
		}
	}
	return false
}
