package parser

import (
	"strconv"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// PostgreSQL keeps a table's toast.* storage parameters on its TOAST
// table, and a table whose rows can never be long has none: CREATE TABLE
// d (id integer) WITH (toast.autovacuum_enabled = false) is accepted and
// the option dropped (needs_toast_table), so pg_dump and inspect never
// print it. The fold drops it the same way, with a warning, so that the
// schema as written and the server's compare the same and no migration
// sets an option the server throws away.

// fixedLengths are the byte lengths of the built-in types of a fixed
// length; a column of any other type may need TOAST.
var fixedLengths = map[string]int{
	"boolean": 1, `"char"`: 1, "smallint": 2, "integer": 4, "real": 4, "oid": 4, "date": 4, "regclass": 4,
	"regtype": 4, "regproc": 4, "regprocedure": 4, "regoper": 4, "regoperator": 4, "regconfig": 4,
	"regdictionary": 4, "regnamespace": 4, "regrole": 4, "xid": 4, "cid": 4, "tid": 6, "macaddr": 6,
	"bigint": 8, "double precision": 8, "money": 8, "time without time zone": 8,
	"timestamp without time zone": 8, "timestamp with time zone": 8, "macaddr8": 8, "pg_lsn": 8, "xid8": 8,
	"time with time zone": 12, "interval": 16, "uuid": 16, "point": 16, "line": 24, "lseg": 32, "box": 32,
	"circle": 24, "name": 64,
}

// boundedTypes are the variable-length built-in types whose type modifier
// bounds their length (type_maximum_size).
var boundedTypes = map[string]bool{"character varying": true, "character": true, "bit": true, "bit varying": true, "numeric": true}

// toastThreshold is TOAST_TUPLE_THRESHOLD with the default 8 kB block: a
// table whose longest row fits needs no TOAST table.
const toastThreshold = 2032

// maxEncodingLength is the most bytes a character takes in any server
// encoding (UTF8), which makes maxLength an upper bound.
const maxEncodingLength = 4

// dropToastParams removes t's toast.* storage parameters when PostgreSQL
// gives t no TOAST table, as the server does, and warns.
func (f *folder) dropToastParams(st *stmt, t *schema.Table) {
	params := splitParams(t.Options.StorageParams)
	var kept, dropped []string
	for _, p := range params {
		if strings.HasPrefix(p, "toast.") {
			dropped = append(dropped, p)
		} else {
			kept = append(kept, p)
		}
	}
	if len(dropped) == 0 || f.needsToast(t) {
		return
	}
	t.Options.StorageParams = strings.Join(kept, ", ")
	f.warn(st, "table "+t.Name.String()+" has no TOAST table (no column of a type that can hold long values), so PostgreSQL does not keep "+
		strings.Join(dropped, ", ")+"; set it after adding such a column, or remove it")
}

// needsToast reports whether PostgreSQL may give t a TOAST table: whether
// a column has a type of unbounded length, or its longest row (an upper
// bound, alignment padding counted at its most) exceeds the threshold.
func (f *folder) needsToast(t *schema.Table) bool {
	length := 23 + (len(t.Columns)+7)/8 + 8
	for _, c := range t.Columns {
		n, ok := f.maxLength(c.Type, 0)
		if !ok {
			return true
		}
		length += n + 7
	}
	return length > toastThreshold
}

// maxLength is the most bytes a value of type t takes, false when it has
// no bound.
func (f *folder) maxLength(t schema.TypeName, depth int) (int, bool) {
	if t.ArrayDims > 0 || depth > 16 {
		return 0, false
	}
	if t.Schema != "" {
		q := schema.QualifiedName{Schema: t.Schema, Name: t.Name}
		if f.cat.Enums[q] != nil {
			return 4, true
		}
		if d := f.cat.Domains[q]; d != nil {
			return f.maxLength(d.Type, depth+1)
		}
		return 0, false
	}
	if n, ok := fixedLengths[t.Name]; ok {
		return n, true
	}
	if !boundedTypes[t.Name] || t.Mods == "" {
		return 0, false
	}
	mod, _, _ := strings.Cut(t.Mods, ",")
	n, err := strconv.Atoi(mod)
	if err != nil {
		return 0, false
	}
	switch t.Name {
	case "bit", "bit varying":
		return 8 + (n+7)/8, true
	case "numeric":
		return 8 + (n+6)/4*2, true // numeric_maximum_size
	}
	return 4 + n*maxEncodingLength, true
}
