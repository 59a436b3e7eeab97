package parser

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// builtinTypes maps the names a built-in type may be written with (after
// pg_query's own rewriting, which turns int into pg_catalog.int4) to the
// name format_type prints.
var builtinTypes = map[string]string{
	"bool": "boolean", "boolean": "boolean",
	"int2": "smallint", "smallint": "smallint",
	"int4": "integer", "int": "integer", "integer": "integer",
	"int8": "bigint", "bigint": "bigint",
	"float4": "real", "real": "real",
	"float8": "double precision", "double precision": "double precision", "float": "double precision",
	"numeric": "numeric", "decimal": "numeric",
	"varchar": "character varying", "character varying": "character varying",
	"bpchar": "character", "character": "character",
	"char":   `"char"`,
	"varbit": "bit varying", "bit varying": "bit varying", "bit": "bit",
	"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
	"time": "time without time zone", "timetz": "time with time zone",
	"timestamp without time zone": "timestamp without time zone",
	"timestamp with time zone":    "timestamp with time zone",
	"time without time zone":      "time without time zone",
	"time with time zone":         "time with time zone",
	"interval":                    "interval",
}

// plainBuiltins are pg_catalog types whose name is already canonical.
var plainBuiltins = strings.Fields(`text bytea uuid json jsonb date inet cidr macaddr macaddr8
	money oid xml tsvector tsquery point line lseg box path polygon circle name regclass regtype
	regproc regprocedure regoper regoperator regconfig regdictionary regnamespace regrole
	int4range int8range numrange tsrange tstzrange daterange int4multirange int8multirange
	nummultirange tsmultirange tstzmultirange datemultirange pg_lsn txid_snapshot pg_snapshot
	jsonpath record void xid xid8 cid tid oidvector int2vector aclitem anyarray anyelement
	refcursor unknown trigger event_trigger`)

func init() {
	for _, n := range plainBuiltins {
		builtinTypes[n] = n
	}
}

// serialTypes are the serial pseudo-types and the integer type each
// expands to.
var serialTypes = map[string]string{
	"serial": "integer", "serial4": "integer",
	"bigserial": "bigint", "serial8": "bigint",
	"smallserial": "smallint", "serial2": "smallint",
}

// intervalFields decodes the field restriction pg_query keeps as a bit
// mask in an interval's first type modifier.
var intervalFields = map[int64]string{
	1 << 2: "year", 1 << 1: "month", 1 << 3: "day", 1 << 10: "hour", 1 << 11: "minute",
	1 << 12: "second", 1<<2 | 1<<1: "year to month", 1<<3 | 1<<10: "day to hour",
	1<<3 | 1<<10 | 1<<11: "day to minute", 1<<3 | 1<<10 | 1<<11 | 1<<12: "day to second",
	1<<10 | 1<<11: "hour to minute", 1<<10 | 1<<11 | 1<<12: "hour to second",
	1<<11 | 1<<12: "minute to second",
}

const intervalFullRange = 0x7FFF

// resolveType turns a type as written into its canonical form. serial is
// the integer type a serial pseudo-type stands for, "" otherwise. A user
// type that does not exist (yet) is a missingError.
func (f *folder) resolveType(st *stmt, tn *pg_query.TypeName) (t schema.TypeName, serial string, err error) {
	names := strs(tn.Names)
	// PostgreSQL has one array type per element type: int[][] is int[]
	// (pg_dump prints integer[]), so any number of dimensions is one.
	if len(tn.ArrayBounds) > 0 {
		t.ArrayDims = 1
	}
	mods, err := f.typeMods(st, tn)
	if err != nil {
		return t, "", err
	}
	t.Mods = mods
	last := names[len(names)-1]
	builtin := len(names) == 1 || (len(names) == 2 && names[0] == "pg_catalog")
	if builtin {
		if s, ok := serialTypes[last]; ok && t.ArrayDims == 0 {
			t.Name = s
			return t, s, f.noTypeMods(st, tn, s)
		}
		if canon, ok := builtinTypes[last]; ok {
			if len(names) == 1 && last == "bpchar" {
				canon = "bpchar"
			}
			if !typmodTypes[canon] {
				if err := f.noTypeMods(st, tn, typeNameString(tn)); err != nil {
					return t, "", err
				}
			}
			t.Name = canon
			// numeric(p) is numeric(p,0), as format_type prints it.
			if canon == "numeric" && len(tn.Typmods) == 1 {
				t.Mods += ",0"
			}
			if canon == "interval" && len(tn.Typmods) > 0 {
				return f.intervalType(st, tn, t)
			}
			return t, "", nil
		}
		if len(names) == 2 {
			t.Name = last
			return t, "", nil
		}
	}
	q := listName(tn.Names)
	if len(names) > 2 {
		return t, "", f.errorf(f.at(st, tn.Location), "improper qualified name (too many dotted names): %s", strings.Join(names, "."))
	}
	t.Schema, t.Name = q.Schema, q.Name
	if f.userType(q) {
		// Enums, composites, ranges and domains take no modifier.
		return t, "", f.noTypeMods(st, tn, typeNameString(tn))
	}
	// Types of extensions (citext, hstore, geometry...) are not modelled
	// one by one: with an extension installed, an unknown name is taken to
	// be one of its types.
	if len(f.cat.Extensions) > 0 {
		return t, "", nil
	}
	return t, "", f.missingf(f.at(st, tn.Location), "type %s does not exist", q)
}

// typmodTypes are the built-in types (as builtinTypes names them) that
// take a type modifier: those with a typmodin function in pg_catalog, as
// TestTypeModifiersAgainstServer checks.
var typmodTypes = map[string]bool{
	"character varying": true, "character": true, "bpchar": true, "bit": true, "bit varying": true,
	"numeric": true, "interval": true,
	"timestamp without time zone": true, "timestamp with time zone": true,
	"time without time zone": true, "time with time zone": true,
}

// noTypeMods refuses a type modifier on a type that takes none (text(1)),
// as PostgreSQL does when the statement runs, naming the type as it does.
func (f *folder) noTypeMods(st *stmt, tn *pg_query.TypeName, name string) error {
	if len(tn.Typmods) == 0 {
		return nil
	}
	return f.errorf(f.at(st, tn.Location), `type modifier is not allowed for type "%s"`, name)
}

// typeNameString is a type's name as written, as PostgreSQL's
// TypeNameToString prints it in errors: dotted, with [] for an array.
func typeNameString(tn *pg_query.TypeName) string {
	s := strings.Join(strs(tn.Names), ".")
	if len(tn.ArrayBounds) > 0 {
		s += "[]"
	}
	return s
}

func (f *folder) typeMods(st *stmt, tn *pg_query.TypeName) (string, error) {
	var mods []string
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil {
			switch v := c.Val.(type) {
			case *pg_query.A_Const_Ival:
				mods = append(mods, strconv.FormatInt(int64(v.Ival.Ival), 10))
				continue
			case *pg_query.A_Const_Sval:
				mods = append(mods, v.Sval.Sval)
				continue
			}
		}
		if m.GetColumnRef() == nil && m.GetAConst().GetFval() == nil {
			// typenameTypeMod's rule; an expression would not print back.
			return "", f.errorf(f.at(st, tn.Location), "type modifiers must be simple constants or identifiers")
		}
		s, err := deparseExpr(m)
		if err != nil {
			return "", f.errorf(f.at(st, tn.Location), "type modifier: %v", err)
		}
		mods = append(mods, s)
	}
	return strings.Join(mods, ","), nil
}

// intervalType keeps an interval's field restriction in the name, as
// format_type prints it ("interval day to second"), and its precision in
// Mods, so that TypeName.String renders valid SQL.
func (f *folder) intervalType(st *stmt, tn *pg_query.TypeName, t schema.TypeName) (schema.TypeName, string, error) {
	mask := int64(tn.Typmods[0].GetAConst().GetIval().GetIval())
	t.Mods = ""
	if mask != intervalFullRange {
		fields, ok := intervalFields[mask]
		if !ok {
			return t, "", f.errorf(f.at(st, tn.Location), "invalid interval field restriction")
		}
		t.Name = "interval " + fields
	}
	if len(tn.Typmods) > 1 {
		t.Mods = strconv.FormatInt(int64(tn.Typmods[1].GetAConst().GetIval().GetIval()), 10)
	}
	return t, "", nil
}

// sameType reports whether a cast to t leaves a value of column type col
// as it is, so that the cast can be dropped from a default: PostgreSQL
// stores DEFAULT 'x' on a text column as 'x'::text, and a cast to
// character varying on a varchar(10) column carries no length.
func sameType(t, col schema.TypeName) bool {
	// bpchar is character without a length.
	if t.Name == "bpchar" && t.Schema == "" {
		t.Name = "character"
	}
	return t.Schema == col.Schema && t.Name == col.Name && t.ArrayDims == col.ArrayDims &&
		(t.Mods == "" || t.Mods == col.Mods)
}

// numericTypes are the types whose literals PostgreSQL's ruleutils prints
// bare, so a quoted number cast to them ('-1'::integer) equals -1.
var numericTypes = map[string]bool{
	"smallint": true, "integer": true, "bigint": true, "numeric": true, "real": true, "double precision": true,
}
