package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// usingIndex resolves the index of ALTER TABLE ... ADD [CONSTRAINT c]
// {UNIQUE | PRIMARY KEY} USING INDEX i, checks it as PostgreSQL's
// transformIndexConstraint does, and rewrites the constraint node into the
// constraint the index becomes: the index's key columns, INCLUDE columns,
// storage parameters, tablespace and NULLS NOT DISTINCT, named after the
// index when no name is given (ATExecAddIndexConstraint). The caller drops
// the index from the catalog once the constraint is added: PostgreSQL keeps
// it as the constraint's index, renamed to the constraint's name.
//
// Nothing is changed before every check has passed, so that a missing index
// in a declarative file defers the statement cleanly.
func (f *folder) usingIndex(st *stmt, t *schema.Table, c *pg_query.Constraint) (*schema.Index, error) {
	pos := f.at(st, c.Location)
	name := c.Indexname
	q := schema.QualifiedName{Schema: t.Name.Schema, Name: name}
	if t.Options.PartitionBy != "" {
		return nil, f.errorf(pos, "ALTER TABLE / ADD CONSTRAINT USING INDEX is not supported on partitioned tables")
	}
	ix := f.cat.Indexes[q]
	if ix == nil {
		if f.constraintIn(t.Name.Schema, name, true) {
			return nil, f.errorf(pos, "index %s is already associated with a constraint", schema.QuoteIdent(name))
		}
		return nil, f.missingf(pos, "index %s does not exist", schema.QuoteIdent(name))
	}
	if ix.Table != t.Name {
		return nil, f.errorf(pos, "index %s does not belong to table %s", schema.QuoteIdent(name), schema.QuoteIdent(t.Name.Name))
	}
	if !ix.Unique {
		return nil, f.errorf(pos, "%s is not a unique index (a primary key or unique constraint cannot use it)", schema.QuoteIdent(name))
	}
	n, err := parseIndexDef(ix.Def)
	if err != nil {
		return nil, f.errorf(pos, "index %s: %v", schema.QuoteIdent(name), err)
	}
	for _, p := range n.IndexParams {
		if p.GetIndexElem().GetExpr() != nil {
			return nil, f.errorf(pos, "index %s contains expressions (a primary key or unique constraint cannot use it)", schema.QuoteIdent(name))
		}
	}
	if n.WhereClause != nil {
		return nil, f.errorf(pos, "%s is a partial index (a primary key or unique constraint cannot use it)", schema.QuoteIdent(name))
	}
	if n.AccessMethod != "btree" {
		return nil, f.errorf(pos, "index %s is not a btree", schema.QuoteIdent(name))
	}
	var keys, incl []*pg_query.Node
	for i, p := range n.IndexParams {
		ie := p.GetIndexElem()
		col := t.Column(ie.Name)
		if col == nil {
			return nil, f.errorf(pos, "column %s does not exist", schema.QuoteIdent(ie.Name))
		}
		if !defaultSorting(ie, col) {
			return nil, f.errorf(pos, "index %s column number %d does not have default sorting behavior (a primary key or unique constraint cannot use it)", schema.QuoteIdent(name), i+1)
		}
		keys = append(keys, pg_query.MakeStrNode(ie.Name))
	}
	for _, p := range n.IndexIncludingParams {
		incl = append(incl, pg_query.MakeStrNode(p.GetIndexElem().GetName()))
	}
	c.Keys, c.Including = keys, incl
	c.Options, c.Indexspace = n.Options, n.TableSpace
	c.NullsNotDistinct = n.NullsNotDistinct && c.Contype == pg_query.ConstrType_CONSTR_UNIQUE
	c.Indexname = ""
	if c.Conname == "" {
		c.Conname = name
	}
	return ix, nil
}

// defaultSorting reports whether an index key is what a constraint's own
// index would have: ascending, nulls last, the column's collation, the
// default operator class without options. Explicit operator classes are
// only recognized for the common types; any other counts as non-default.
func defaultSorting(ie *pg_query.IndexElem, col *schema.Column) bool {
	if ie.Ordering != pg_query.SortByDir_SORTBY_DEFAULT || ie.NullsOrdering != pg_query.SortByNulls_SORTBY_NULLS_DEFAULT || len(ie.Opclassopts) > 0 {
		return false
	}
	if len(ie.Collation) > 0 {
		coll := collationName(ie.Collation)
		if coll != col.Collation && !(col.Collation == "" && coll == `"default"`) {
			return false
		}
	}
	if len(ie.Opclass) > 0 {
		names := strs(ie.Opclass)
		if len(names) == 2 && names[0] != "pg_catalog" || len(names) > 2 {
			return false
		}
		if col.Type.Schema != "" || col.Type.ArrayDims > 0 || defaultBtreeOpclass[col.Type.Name] != strings.ToLower(names[len(names)-1]) {
			return false
		}
	}
	return true
}

// defaultBtreeOpclass is the default btree operator class of common types.
var defaultBtreeOpclass = map[string]string{
	"smallint": "int2_ops", "integer": "int4_ops", "bigint": "int8_ops",
	"text": "text_ops", "character varying": "text_ops", "character": "bpchar_ops",
	"numeric": "numeric_ops", "boolean": "bool_ops", "uuid": "uuid_ops", "date": "date_ops",
	"timestamp without time zone": "timestamp_ops", "timestamp with time zone": "timestamptz_ops",
	"real": "float4_ops", "double precision": "float8_ops", "bytea": "bytea_ops",
}
