package oracle

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Kind names a kind of catalog object. It is the first word of every line
// Compare reports, so its values are the words a reader expects.
type Kind string

// The kinds of objects the oracle reads. Tables and views carry their relkind
// as a property, so a table turned into a partitioned table is a property
// difference, not two unrelated objects.
const (
	KindSchema     Kind = "schema"
	KindExtension  Kind = "extension"
	KindTable      Kind = "table"
	KindView       Kind = "view"
	KindColumn     Kind = "column"
	KindConstraint Kind = "constraint"
	KindIndex      Kind = "index"
	KindSequence   Kind = "sequence"
	KindType       Kind = "type"
	KindCollation  Kind = "collation"
	KindFunction   Kind = "function"
	KindTrigger    Kind = "trigger"
	KindPolicy     Kind = "policy"
)

func (k Kind) String() string { return string(k) }

// ObjectID identifies an object across two databases. Name is the qualified
// name with unquoted parts joined by dots (public.users.email), or for
// functions the name followed by the identity arguments (public.f(integer)).
type ObjectID struct {
	Kind Kind
	Name string
}

func (id ObjectID) String() string { return string(id.Kind) + " " + id.Name }

// Object is one catalog object as the oracle compares it: everything that
// matters is a text property, so that comparing two objects is comparing two
// maps and a new property needs no new code in Compare.
type Object struct {
	ID ObjectID
	// Parent is the object this one belongs to (a column's table, a
	// constraint's table or domain). When the parent exists on one side only,
	// the children are not reported: the parent's line says it all.
	Parent ObjectID
	// Props holds the compared properties. A missing key and an empty value
	// mean the same thing: the property is absent (no default, no comment).
	Props map[string]string
}

// Catalog is a database's schema as read from pg_catalog.
type Catalog struct {
	Objects map[ObjectID]*Object
}

// add records an object, dropping empty properties so that "absent" has one
// representation.
func (c *Catalog) add(kind Kind, name string, parent ObjectID, props map[string]string) {
	for k, v := range props {
		if v == "" {
			delete(props, k)
		}
	}
	id := ObjectID{kind, name}
	c.Objects[id] = &Object{ID: id, Parent: parent, Props: props}
}

// DefaultExclude lists the relations left out of every comparison when
// ReadOptions.Exclude is nil: ddlmig's runner records applied migrations
// there, so a migrated database has it and a directly loaded one does not.
var DefaultExclude = []string{"ddlmig_migrations"}

// ReadOptions tunes ReadCatalog. The zero value is what round trips need.
type ReadOptions struct {
	// Exclude names relations (tables, views, sequences) to leave out, as
	// "name" (in any schema) or "schema.name". Their columns, constraints,
	// indexes, triggers, policies and owned sequences go with them. Nil means
	// DefaultExclude; an empty non-nil slice excludes nothing.
	Exclude []string
	// IgnorePrivileges leaves access privileges out, for comparing databases
	// whose objects belong to different roles.
	IgnorePrivileges bool
}

func (o ReadOptions) exclude() []string {
	if o.Exclude == nil {
		return DefaultExclude
	}
	return o.Exclude
}

// querier is what the readers need of a connection.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// reader reads one kind of object into the catalog.
type reader struct {
	what string
	read func(ctx context.Context, q querier, c *Catalog, o ReadOptions) error
	// kinds are the kinds of the objects it adds.
	kinds []Kind
}

// readers is the extension point: one entry per kind of object.
var readers = []reader{
	{"schemas", readSchemas, []Kind{KindSchema}},
	{"extensions", readExtensions, []Kind{KindExtension}},
	{"relations", readRelations, []Kind{KindTable, KindView}},
	{"columns", readColumns, []Kind{KindColumn}},
	{"constraints", readConstraints, []Kind{KindConstraint}},
	{"indexes", readIndexes, []Kind{KindIndex}},
	{"sequences", readSequences, []Kind{KindSequence}},
	{"types", readTypes, []Kind{KindType}},
	{"collations", readCollations, []Kind{KindCollation}},
	{"functions", readFunctions, []Kind{KindFunction}},
	{"aggregates", readAggregates, []Kind{KindAggregate}},
	{"text search", readTextSearch, []Kind{KindTSDictionary, KindTSConfiguration}},
	{"triggers", readTriggers, []Kind{KindTrigger}},
	{"policies", readPolicies, []Kind{KindPolicy}},
	{"event triggers", readEventTriggers, []Kind{KindEventTrigger}},
	{"publications", readPublications, []Kind{KindPublication}},
	{"operators", readOperators, []Kind{KindOperator, KindOpFamily, KindOpClass}},
	{"opaque objects", readOpaque, []Kind{KindOpaque}},
	{"casts", readCasts, []Kind{KindCast}},
	{"default privileges", readDefaultPrivileges, []Kind{KindDefaultPrivileges}},
	{"rules", readRules, []Kind{KindRule}},
	{"statistics", readStatistics, []Kind{KindStatistics}},
	{"foreign data", readForeign, []Kind{KindForeignDataWrapper, KindServer, KindUserMapping}},
}

// Kinds returns the kinds of objects ReadCatalog reads, in reader order:
// what a test holds against the kinds of ddlmig's model, so that a kind
// ddlmig manages cannot go uncompared.
func Kinds() []Kind {
	var out []Kind
	for _, r := range readers {
		out = append(out, r.kinds...)
	}
	return out
}

// ReadCatalog reads the user-defined schema of the database conn is connected
// to: everything outside pg_* schemas and information_schema that does not
// belong to an extension.
func ReadCatalog(ctx context.Context, conn *pgx.Conn, opts ReadOptions) (*Catalog, error) {
	c := &Catalog{Objects: map[ObjectID]*Object{}}
	for _, r := range readers {
		if err := r.read(ctx, conn, c, opts); err != nil {
			return nil, fmt.Errorf("read %s: %w", r.what, err)
		}
	}
	if opts.IgnorePrivileges {
		for _, o := range c.Objects {
			delete(o.Props, "privileges")
		}
	}
	return c, nil
}

// SQL fragments shared by the readers. Queries take the excluded relation
// names as $1.
const (
	userNamespace = `(%[1]s.nspname !~ '^pg_' AND %[1]s.nspname <> 'information_schema')`
	notExtMember  = `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '%[2]s'::regclass AND e.objid = %[1]s.oid AND e.deptype = 'e')`
	notExcluded   = `NOT (%[1]s.relname = ANY($1::text[]) OR %[2]s.nspname || '.' || %[1]s.relname = ANY($1::text[]))`
)

// relFilter keeps the user relations (alias rel, namespace alias ns) that are
// neither extension members nor excluded.
func relFilter(rel, ns string) string {
	return fmt.Sprintf(userNamespace, ns) + " AND " +
		fmt.Sprintf(notExtMember, rel, "pg_class") + " AND " +
		fmt.Sprintf(notExcluded, rel, ns)
}

// query runs sql with the excluded names as $1 and calls fn with each row's
// columns scanned as text (NULL becomes "").
func query(ctx context.Context, q querier, o ReadOptions, sql string, fn func(col []string)) error {
	rows, err := q.Query(ctx, sql, o.exclude())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		n := len(rows.FieldDescriptions())
		ptrs := make([]any, n)
		vals := make([]*string, n)
		for i := range ptrs {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		col := make([]string, n)
		for i, v := range vals {
			if v != nil {
				col[i] = *v
			}
		}
		fn(col)
	}
	return rows.Err()
}

// privileges renders an ACL, substituting the default for NULL so that a
// grant followed by its revoke compares equal to never granting. t is the
// acldefault object type letter. The entries are sorted: their order
// follows the order of the GRANTs, which says nothing about who may do
// what.
func privileges(acl, owner, t string) string {
	return sortedACL(fmt.Sprintf("coalesce(%s, acldefault('%s', %s))", acl, t, owner))
}

// sortedACL renders the aclitem[] expression acl as text with its entries
// in order; an empty ACL renders as NULL.
func sortedACL(acl string) string {
	return fmt.Sprintf("(SELECT array_agg(x::text ORDER BY x::text) FROM unnest(%s) x)::text", acl)
}

func readSchemas(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, obj_description(n.oid, 'pg_namespace'), ` +
		privileges("n.nspacl", "n.nspowner", "n") + `
		FROM pg_namespace n
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "n", "pg_namespace") + `
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindSchema, r[0], ObjectID{}, map[string]string{"comment": r[1], "privileges": r[2]})
	})
}

func readExtensions(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT x.extname, n.nspname, obj_description(x.oid, 'pg_extension')
		FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
		WHERE $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindExtension, r[0], ObjectID{}, map[string]string{"schema": r[1], "comment": r[2]})
	})
}

var relkinds = map[string]string{
	"r": "table", "p": "partitioned table", "f": "foreign table",
	"v": "view", "m": "materialized view",
}

var persistences = map[string]string{"p": "permanent", "u": "unlogged", "t": "temporary"}

var replidents = map[string]string{"d": "", "n": "nothing", "f": "full", "i": "index"}

func readRelations(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, r.relkind, r.relpersistence,
			obj_description(r.oid, 'pg_class'),
			array_to_string(r.reloptions, ', '),
			r.relrowsecurity::text, r.relforcerowsecurity::text, r.relreplident,
			pg_get_partkeydef(r.oid),
			CASE WHEN r.relispartition THEN pg_get_expr(r.relpartbound, r.oid) END,
			(SELECT string_agg(pn.nspname || '.' || p.relname, ', ' ORDER BY i.inhseqno)
				FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
				JOIN pg_namespace pn ON pn.oid = p.relnamespace
				WHERE i.inhrelid = r.oid AND NOT r.relispartition),
			CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid) END,
			` + privileges("r.relacl", "r.relowner", "r") + `,
			s.srvname, ` + fmt.Sprintf(foreignOptions, "ft.ftoptions") + `,
			(SELECT tn.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace
				WHERE t.oid = r.reloftype)
		FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
		LEFT JOIN pg_foreign_table ft ON ft.ftrelid = r.oid
		LEFT JOIN pg_foreign_server s ON s.oid = ft.ftserver
		WHERE r.relkind IN ('r', 'p', 'f', 'v', 'm') AND ` + relFilter("r", "n")
	return query(ctx, q, o, sql, func(r []string) {
		kind := KindTable
		if r[2] == "v" || r[2] == "m" {
			kind = KindView
		}
		rls, replident := "disabled", replidents[r[8]]
		if kind == KindView {
			rls, replident = "", ""
		}
		if r[6] == "true" {
			rls = "enabled"
			if r[7] == "true" {
				rls = "forced"
			}
		}
		c.add(kind, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"relkind":          relkinds[r[2]],
			"persistence":      persistences[r[3]],
			"comment":          r[4],
			"options":          r[5],
			"row security":     rls,
			"replica identity": replident,
			"partition key":    r[9],
			"partition bound":  r[10],
			"inherits":         r[11],
			"definition":       r[12],
			"privileges":       r[13],
			"server":           r[14],
			"foreign options":  r[15],
			"of type":          r[16],
		})
	})
}

var identities = map[string]string{"a": "always", "d": "by default"}

func readColumns(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, r.relkind, a.attname,
			format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
			CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
			a.attidentity,
			CASE WHEN a.attidentity <> '' THEN
				(SELECT format('%s start %s increment %s minvalue %s maxvalue %s cache %s%s',
						format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
						s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END)
					FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid
					WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
					AND dep.refobjid = r.oid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i')
			END,
			CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
			CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname || '.' || co.collname END,
			col_description(r.oid, a.attnum),
			` + sortedACL("a.attacl") + `,
			NULLIF(a.attstattarget, -1)::text, NULLIF(a.attinhcount, 0)::text,
			CASE WHEN a.attinhcount > 0 AND NOT r.relispartition THEN a.attislocal::text END,
			` + fmt.Sprintf(foreignOptions, "a.attfdwoptions") + `
		FROM pg_attribute a
		JOIN pg_class r ON r.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = r.relnamespace
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		LEFT JOIN pg_collation co ON co.oid = a.attcollation
		LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
		WHERE a.attnum > 0 AND NOT a.attisdropped
		AND r.relkind IN ('r', 'p', 'f', 'v', 'm') AND ` + relFilter("r", "n")
	return query(ctx, q, o, sql, func(r []string) {
		parent := ObjectID{KindTable, r[0] + "." + r[1]}
		if r[2] == "v" || r[2] == "m" {
			parent.Kind = KindView
		}
		c.add(KindColumn, r[0]+"."+r[1]+"."+r[3], parent, map[string]string{
			"type":              r[4],
			"not null":          r[5],
			"default":           r[6],
			"identity":          identities[r[7]],
			"identity sequence": r[8],
			"generated":         r[9],
			"collation":         r[10],
			"comment":           r[11],
			"privileges":        r[12],
			"statistics":        r[13],
			"foreign options":   r[16],
			// How many parents the column comes from (INHERITS, a
			// partition's parent).
			"inherited": r[14],
			// Whether a table that inherits the column declares it too
			// (attislocal): it keeps the column, and its rows, when the
			// parent drops it. A partition's follow how it was attached,
			// which the schema does not say.
			"local": r[15],
		})
	})
}

// readConstraints reads table and domain constraints. NOT NULL constraints
// (pg_constraint rows from PostgreSQL 18 on) are left out: the column's
// nullable property already covers them, and their generated names would
// differ between a migrated and a directly created table.
func readConstraints(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, co.conname, pg_get_constraintdef(co.oid),
			co.convalidated::text, obj_description(co.oid, 'pg_constraint'), 'table', NULLIF(co.coninhcount, 0)::text,
			CASE WHEN co.coninhcount > 0 AND NOT r.relispartition THEN co.conislocal::text END
		FROM pg_constraint co
		JOIN pg_class r ON r.oid = co.conrelid
		JOIN pg_namespace n ON n.oid = r.relnamespace
		WHERE co.contype <> 'n' AND ` + relFilter("r", "n") + `
		UNION ALL
		SELECT n.nspname, t.typname, co.conname, pg_get_constraintdef(co.oid),
			co.convalidated::text, obj_description(co.oid, 'pg_constraint'), 'type', NULL, NULL
		FROM pg_constraint co
		JOIN pg_type t ON t.oid = co.contypid
		JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE co.contype <> 'n' AND ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "t", "pg_type")
	return query(ctx, q, o, sql, func(r []string) {
		parent := ObjectID{Kind(r[6]), r[0] + "." + r[1]}
		c.add(KindConstraint, parent.Name+"."+r[2], parent, map[string]string{
			"definition": r[3],
			"validated":  r[4],
			"comment":    r[5],
			// How many parents the constraint comes from, and whether
			// the table declares it too (conislocal), as for columns.
			"inherited": r[7],
			"local":     r[8],
		})
	})
}

// readIndexes reads the indexes that back no constraint: a primary key's or
// unique constraint's index is compared through the constraint's definition.
// A partition's index names the partitioned index it is attached to.
func readIndexes(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, ic.relname, tn.nspname, r.relname, r.relkind,
			pg_get_indexdef(i.indexrelid), i.indisvalid::text,
			obj_description(i.indexrelid, 'pg_class'),
			(SELECT pn.nspname || '.' || p.relname FROM pg_inherits h
				JOIN pg_class p ON p.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
				WHERE h.inhrelid = i.indexrelid),
			(SELECT string_agg(a.attnum || ' ' || a.attstattarget, ', ' ORDER BY a.attnum) FROM pg_attribute a
				WHERE a.attrelid = i.indexrelid AND a.attstattarget <> -1)
		FROM pg_index i
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = ic.relnamespace
		JOIN pg_class r ON r.oid = i.indrelid
		JOIN pg_namespace tn ON tn.oid = r.relnamespace
		WHERE NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid
			AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))
		AND ` + relFilter("r", "tn")
	return query(ctx, q, o, sql, func(r []string) {
		parent := ObjectID{KindTable, r[2] + "." + r[3]}
		if r[4] == "m" {
			parent.Kind = KindView
		}
		c.add(KindIndex, r[0]+"."+r[1], parent, map[string]string{
			"definition":  r[5],
			"valid":       r[6],
			"comment":     r[7],
			"attached to": r[8],
			"statistics":  r[9],
		})
	})
}

// readSequences reads standalone and serial sequences. Identity sequences are
// compared as the identity column's "identity sequence" property, since their
// names are an implementation detail.
func readSequences(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, format_type(s.seqtypid, NULL),
			s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text,
			s.seqcache::text, s.seqcycle::text, r.relpersistence,
			(SELECT tn.nspname || '.' || t.relname || '.' || a.attname
				FROM pg_depend d
				JOIN pg_class t ON t.oid = d.refobjid
				JOIN pg_namespace tn ON tn.oid = t.relnamespace
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
				AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'),
			obj_description(r.oid, 'pg_class'),
			` + privileges("r.relacl", "r.relowner", "s") + `
		FROM pg_sequence s
		JOIN pg_class r ON r.oid = s.seqrelid
		JOIN pg_namespace n ON n.oid = r.relnamespace
		WHERE ` + relFilter("r", "n") + `
		AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
			AND d.objid = r.oid AND d.deptype = 'i')
		AND NOT EXISTS (SELECT 1 FROM pg_depend d
			JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace
			WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
			AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
			AND ` + fmt.Sprintf(notExcluded, "t", "tn") + ` IS NOT TRUE)`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindSequence, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"type":        r[2],
			"start":       r[3],
			"increment":   r[4],
			"minvalue":    r[5],
			"maxvalue":    r[6],
			"cache":       r[7],
			"cycle":       r[8],
			"persistence": persistences[r[9]],
			"owned by":    r[10],
			"comment":     r[11],
			"privileges":  r[12],
		})
	})
}

var typtypes = map[string]string{"e": "enum", "d": "domain", "c": "composite", "r": "range"}

// readTypes reads enums, domains, standalone composite types and range types.
// Enum labels are listed in enumsortorder order, so a label added in the
// wrong place is a difference. Composite attributes keep their order: unlike
// table columns, a composite type's attribute order is part of its meaning
// in row constructors.
func readTypes(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, t.typname, t.typtype, obj_description(t.oid, 'pg_type'),
			` + privileges("t.typacl", "t.typowner", "T") + `,
			(SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
				FROM pg_enum e WHERE e.enumtypid = t.oid),
			CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
			CASE WHEN t.typtype = 'd' THEN t.typnotnull::text END,
			pg_get_expr(t.typdefaultbin, 0),
			CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
				THEN (SELECT cn.nspname || '.' || co.collname FROM pg_collation co
					JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END,
			(SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
					|| CASE WHEN a.attcollation <> at.typcollation
						THEN ' COLLATE ' || (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = a.attcollation)
						ELSE '' END,
					', ' ORDER BY a.attnum)
				FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
				WHERE a.attrelid = t.typrelid AND t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped),
			(SELECT concat_ws(', ', 'subtype ' || format_type(g.rngsubtype, NULL),
					'collation ' || NULLIF(g.rngcollation, 0)::regcollation::text,
					'opclass ' || (SELECT oc.opcname FROM pg_opclass oc WHERE oc.oid = g.rngsubopc),
					'canonical ' || NULLIF(g.rngcanonical, 0)::regproc::text,
					'subdiff ' || NULLIF(g.rngsubdiff, 0)::regproc::text,
					'multirange ' || format_type(g.rngmultitypid, NULL))
				FROM pg_range g WHERE g.rngtypid = t.oid)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "t", "pg_type") + `
		AND (t.typtype IN ('e', 'd', 'r')
			OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c'))
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindType, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"kind":       typtypes[r[2]],
			"comment":    r[3],
			"privileges": r[4],
			"labels":     r[5],
			"base type":  r[6],
			"not null":   r[7],
			"default":    r[8],
			"collation":  r[9],
			"attributes": r[10],
			"range":      r[11],
		})
	})
}

var collproviders = map[string]string{"c": "libc", "i": "icu", "d": "default"}

// readCollations reads the collations created with CREATE COLLATION. The
// ICU locale is read through to_jsonb so that the query runs on servers
// that name its column colliculocale (15, 16) and colllocale (17).
func readCollations(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, co.collname, co.collprovider, co.collisdeterministic::text,
			co.collcollate, co.collctype,
			coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale'),
			to_jsonb(co) ->> 'collicurules',
			obj_description(co.oid, 'pg_collation')
		FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "co", "pg_collation") + `
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindCollation, r[0]+"."+r[1], ObjectID{KindSchema, r[0]}, map[string]string{
			"provider":      collproviders[r[2]],
			"deterministic": r[3],
			"lc_collate":    r[4],
			"lc_ctype":      r[5],
			"locale":        r[6],
			"rules":         r[7],
			"comment":       r[8],
		})
	})
}

var prokinds = map[string]string{"f": "function", "p": "procedure", "w": "window function"}

// readFunctions reads functions and procedures (readAggregates reads the
// aggregates), keyed by name and identity arguments since PostgreSQL
// allows overloading. Functions that PostgreSQL creates along with another
// object (range type constructors) go with that object.
func readFunctions(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind,
			pg_get_functiondef(p.oid),
			pg_get_function_result(p.oid),
			obj_description(p.oid, 'pg_proc'),
			` + privileges("p.proacl", "p.proowner", "f") + `
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE ` + fmt.Sprintf(userNamespace, "n") + ` AND ` + fmt.Sprintf(notExtMember, "p", "pg_proc") + `
		AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
			AND d.objid = p.oid AND d.deptype = 'i')
		AND p.prokind <> 'a'
		AND $1::text[] IS NOT NULL`
	return query(ctx, q, o, sql, func(r []string) {
		c.add(KindFunction, r[0]+"."+r[1]+"("+r[2]+")", ObjectID{KindSchema, r[0]}, map[string]string{
			"kind":       prokinds[r[3]],
			"definition": r[4],
			"result":     r[5],
			"comment":    r[6],
			"privileges": r[7],
		})
	})
}

var tgenabled = map[string]string{"O": "", "D": "disabled", "R": "replica", "A": "always"}

func readTriggers(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, r.relkind, tg.tgname, pg_get_triggerdef(tg.oid),
			tg.tgenabled::text, obj_description(tg.oid, 'pg_trigger')
		FROM pg_trigger tg
		JOIN pg_class r ON r.oid = tg.tgrelid
		JOIN pg_namespace n ON n.oid = r.relnamespace
		WHERE NOT tg.tgisinternal AND ` + relFilter("r", "n")
	return query(ctx, q, o, sql, func(r []string) {
		parent := ObjectID{KindTable, r[0] + "." + r[1]}
		if r[2] == "v" || r[2] == "m" {
			parent.Kind = KindView
		}
		c.add(KindTrigger, parent.Name+"."+r[3], parent, map[string]string{
			"definition": r[4],
			"enabled":    tgenabled[r[5]],
			"comment":    r[6],
		})
	})
}

var polcmds = map[string]string{"r": "select", "a": "insert", "w": "update", "d": "delete", "*": "all"}

func readPolicies(ctx context.Context, q querier, c *Catalog, o ReadOptions) error {
	sql := `SELECT n.nspname, r.relname, p.polname, p.polcmd::text, p.polpermissive::text,
			(SELECT string_agg(CASE WHEN u = 0 THEN 'public' ELSE pg_get_userbyid(u) END, ', ' ORDER BY 1)
				FROM unnest(p.polroles) u),
			pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
			obj_description(p.oid, 'pg_policy')
		FROM pg_policy p
		JOIN pg_class r ON r.oid = p.polrelid
		JOIN pg_namespace n ON n.oid = r.relnamespace
		WHERE ` + relFilter("r", "n")
	return query(ctx, q, o, sql, func(r []string) {
		mode := "permissive"
		if r[4] != "true" {
			mode = "restrictive"
		}
		parent := ObjectID{KindTable, r[0] + "." + r[1]}
		c.add(KindPolicy, parent.Name+"."+r[2], parent, map[string]string{
			"command":    polcmds[r[3]],
			"mode":       mode,
			"roles":      r[5],
			"using":      r[6],
			"with check": r[7],
			"comment":    r[8],
		})
	})
}

// oneLine makes a property value fit on a report line: multi-line values
// (function and view definitions) are quoted with their newlines escaped.
func oneLine(v string) string {
	if v == "" {
		return "(none)"
	}
	if strings.ContainsAny(v, "\n\r\t") {
		return fmt.Sprintf("%q", v)
	}
	return v
}
