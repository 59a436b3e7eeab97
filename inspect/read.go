package inspect

import (
	"context"
	"fmt"
	"strings"
)

// SQL fragments shared by the readers.
const (
	// userNamespace keeps the schemas a user made (%[1]s is pg_namespace).
	userNamespace = `(%[1]s.nspname !~ '^pg_' AND %[1]s.nspname <> 'information_schema')`
	// notExtMember leaves out what an extension created (%[1]s is the
	// object's row, %[2]s its catalog).
	notExtMember = `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '%[2]s'::pg_catalog.regclass AND e.objid = %[1]s.oid AND e.deptype = 'e')`
	// ownerOf prints a role name when it is not the connected role nor
	// pg_database_owner (the public schema's owner from PostgreSQL 15 on).
	ownerOf = `CASE WHEN %[1]s NOT IN (SELECT oid FROM pg_catalog.pg_roles WHERE rolname IN (current_user, 'pg_database_owner'))
		THEN pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(%[1]s)) END`
)

func nsFilter(ns string) string { return fmt.Sprintf(userNamespace, ns) }

func extFilter(row, catalog string) string { return fmt.Sprintf(notExtMember, row, catalog) }

func owner(col string) string { return fmt.Sprintf(ownerOf, col) }

// relFilter keeps the user relations (alias rel, namespace alias ns) that are
// neither extension members nor ddlmig's bookkeeping table or its lock
// table (the runner's lock-table mode keeps it next to the bookkeeping
// table, named NAME_lock).
func (r *reader) relFilter(rel, ns string) string {
	return nsFilter(ns) + " AND " + extFilter(rel, "pg_class") +
		fmt.Sprintf(" AND NOT (%s.nspname = %s AND %s.relname IN (%s))", ns, literal(r.book[0]), rel, r.bookNames())
}

// bookNames lists the bookkeeping table's name and its lock table's, for
// an IN list.
func (r *reader) bookNames() string {
	return literal(r.book[1]) + ", " + literal(r.book[1]+"_lock")
}

// ownerSQL returns ALTER kind name OWNER TO role when owners are asked for
// and role (as ownerOf prints it) is set.
func (r *reader) ownerSQL(kind, name, role string) []string {
	if !r.opts.Owners || role == "" {
		return nil
	}
	return []string{"ALTER " + kind + " " + name + " OWNER TO " + role + ";"}
}

func (r *reader) readSchemas(ctx context.Context) error {
	sql := `SELECT n.oid::text, pg_catalog.quote_ident(n.nspname), n.nspname,
			pg_catalog.obj_description(n.oid, 'pg_namespace'), ` + owner("n.nspowner") + `,
			(EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.relnamespace = n.oid
					AND r.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND r.relname NOT IN (` + r.bookNames() + `)
					AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
						AND d.objid = r.oid AND d.deptype IN ('a', 'i')))
				OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid)
				OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typtype IN ('e', 'd', 'r', 'm'))
				OR EXISTS (SELECT 1 FROM pg_catalog.pg_collation co WHERE co.collnamespace = n.oid)
				OR obj_description(n.oid, 'pg_namespace') IS NOT NULL)::text
		FROM pg_catalog.pg_namespace n
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("n", "pg_namespace")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_namespace", c[0]}, rank: rankSchema, name: c[2]}
		if c[2] == r.book[0] && c[2] != "public" && c[5] == "false" {
			return // made by ddlmig apply for its bookkeeping table alone
		}
		if c[2] != "public" {
			it.sql = append(it.sql, "CREATE SCHEMA "+c[1]+";")
		}
		if c[2] != "public" || c[3] != "standard public schema" {
			it.sql = append(it.sql, comment("SCHEMA "+c[1], c[3])...)
		}
		it.sql = append(it.sql, r.ownerSQL("SCHEMA", c[1], c[4])...)
		if len(it.sql) > 0 {
			r.add(it)
		}
	})
}

func (r *reader) readExtensions(ctx context.Context) error {
	// plpgsql is in every database; an extension's own comment (from its
	// control file) is not repeated.
	sql := `SELECT x.oid::text, pg_catalog.quote_ident(x.extname), pg_catalog.quote_ident(n.nspname),
			pg_catalog.obj_description(x.oid, 'pg_extension'),
			(SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = x.extname)
		FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
		WHERE x.extname <> 'plpgsql'`
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_extension", c[0]}, rank: rankExtension, name: c[1],
			sql: []string{"CREATE EXTENSION IF NOT EXISTS " + c[1] + " WITH SCHEMA " + c[2] + ";"}}
		if c[3] != c[4] {
			it.sql = append(it.sql, comment("EXTENSION "+c[1], c[3])...)
		}
		r.add(it)
	})
}

func (r *reader) readCollations(ctx context.Context) error {
	// The ICU locale's column is colliculocale in 15 and 16, colllocale
	// from 17: read through to_jsonb, which has whichever there is.
	sql := `SELECT c.oid::text, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.collname),
			c.collprovider::text, c.collisdeterministic::text, c.collcollate, c.collctype,
			coalesce(pg_catalog.to_jsonb(c) ->> 'colllocale', pg_catalog.to_jsonb(c) ->> 'colliculocale'),
			pg_catalog.obj_description(c.oid, 'pg_collation'), ` + owner("c.collowner") + `
		FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("c", "pg_collation")
	return r.rows(ctx, sql, func(c []string) {
		var opts []string
		switch c[2] {
		case "i":
			opts = append(opts, "provider = icu", "locale = "+literal(c[6]))
		case "c":
			opts = append(opts, "provider = libc")
			if c[4] == c[5] {
				opts = append(opts, "locale = "+literal(c[4]))
			} else {
				opts = append(opts, "lc_collate = "+literal(c[4]), "lc_ctype = "+literal(c[5]))
			}
		default:
			return
		}
		if c[3] == "false" {
			opts = append(opts, "deterministic = false")
		}
		it := &item{key: key{"pg_collation", c[0]}, rank: rankCollation, name: c[1],
			sql: []string{"CREATE COLLATION " + c[1] + " (" + strings.Join(opts, ", ") + ");"}}
		it.sql = append(it.sql, comment("COLLATION "+c[1], c[7])...)
		it.sql = append(it.sql, r.ownerSQL("COLLATION", c[1], c[8])...)
		r.add(it)
	})
}

// readTypes reads enums, domains and composite types, and records the
// types that are printed with another object: a table's row type, an
// array type.
func (r *reader) readTypes(ctx context.Context) error {
	sql := `SELECT t.oid::text, pg_catalog.format_type(t.oid, NULL), t.typtype::text,
			pg_catalog.obj_description(t.oid, 'pg_type'), ` + owner("t.typowner") + `,
			(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
				FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),
			pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull::text,
			pg_catalog.pg_get_expr(t.typdefaultbin, 0),
			CASE WHEN t.typtype = 'd' AND t.typcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)
				THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
					FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
					WHERE co.oid = t.typcollation) END,
			(SELECT pg_catalog.string_agg('CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname)
				FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' AND k.convalidated),
			(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
					|| CASE WHEN a.attcollation <> at.typcollation
						THEN ' COLLATE ' || (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
							FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
							WHERE co.oid = a.attcollation)
						ELSE '' END,
					E',\n    ' ORDER BY a.attnum)
				FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
				WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped),
			(SELECT pg_catalog.string_agg(pg_catalog.format('COMMENT ON CONSTRAINT %I ON DOMAIN %s IS %L;',
					k.conname, pg_catalog.format_type(t.oid, NULL), d.description), E'\n' ORDER BY k.conname)
				FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_description d ON d.objoid = k.oid
					AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
				WHERE k.contypid = t.oid),
			t.typrelid::text,
			(SELECT pg_catalog.string_agg(pg_catalog.format('ALTER DOMAIN %s ADD CONSTRAINT %I %s;',
					pg_catalog.format_type(t.oid, NULL), k.conname, pg_catalog.pg_get_constraintdef(k.oid)), E'\n' ORDER BY k.conname)
				FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' AND NOT k.convalidated)
		FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("t", "pg_type") + `
		AND (t.typtype IN ('e', 'd')
			OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c'))`
	err := r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_type", c[0]}, rank: rankType, name: c[1]}
		kind := "TYPE"
		switch c[2] {
		case "e":
			it.sql = append(it.sql, "CREATE TYPE "+c[1]+" AS ENUM ("+c[5]+");")
		case "d":
			kind = "DOMAIN"
			s := "CREATE DOMAIN " + c[1] + " AS " + c[6]
			if c[9] != "" {
				s += " COLLATE " + c[9]
			}
			if c[8] != "" {
				s += " DEFAULT " + c[8]
			}
			if c[7] == "true" {
				s += " NOT NULL"
			}
			if c[10] != "" {
				s += " " + c[10]
			}
			it.sql = append(it.sql, s+";")
			if c[14] != "" {
				// NOT VALID is for ALTER DOMAIN only.
				it.sql = append(it.sql, c[14])
			}
			if c[12] != "" {
				it.sql = append(it.sql, c[12])
			}
		case "c":
			it.sql = append(it.sql, "CREATE TYPE "+c[1]+" AS (\n    "+c[11]+"\n);")
			r.alias[key{"pg_class", c[13]}] = it.key
		}
		it.sql = append(it.sql, comment(kind+" "+c[1], c[3])...)
		it.sql = append(it.sql, r.ownerSQL(kind, c[1], c[4])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	// Array types stand for their element type, row types for their
	// relation.
	return r.rows(ctx, `SELECT t.oid::text, t.typelem::text, t.typrelid::text
		FROM pg_catalog.pg_type t
		WHERE t.oid >= 16384 AND (t.typrelid <> 0 OR (t.typelem <> 0 AND t.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc))`,
		func(c []string) {
			if c[2] != "0" {
				r.alias[key{"pg_type", c[0]}] = key{"pg_class", c[2]}
			} else {
				r.alias[key{"pg_type", c[0]}] = key{"pg_type", c[1]}
			}
		})
}

func (r *reader) readFunctions(ctx context.Context) error {
	// Aggregates are read by readAggregates.
	sql := `SELECT p.oid::text, p.oid::pg_catalog.regprocedure::text, p.prokind::text,
			pg_catalog.pg_get_functiondef(p.oid), pg_catalog.obj_description(p.oid, 'pg_proc'),
			` + owner("p.proowner") + `
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
		WHERE ` + nsFilter("n") + ` AND ` + extFilter("p", "pg_proc") + `
		AND p.prokind IN ('f', 'p', 'w')
		AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
			AND d.objid = p.oid AND d.deptype = 'i')`
	return r.rows(ctx, sql, func(c []string) {
		kind := "FUNCTION"
		if c[2] == "p" {
			kind = "PROCEDURE"
		}
		it := &item{key: key{"pg_proc", c[0]}, rank: rankFunction, name: c[1],
			sql: []string{strings.TrimRight(c[3], "\n") + ";"}}
		it.sql = append(it.sql, comment(kind+" "+c[1], c[4])...)
		it.sql = append(it.sql, r.ownerSQL(kind, c[1], c[5])...)
		r.add(it)
	})
}

func (r *reader) readSequences(ctx context.Context) error {
	// Identity sequences are printed with their column.
	sql := `SELECT r.oid::text, r.oid::pg_catalog.regclass::text, pg_catalog.format_type(s.seqtypid, NULL),
			s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text,
			s.seqcache::text, s.seqcycle::text, r.relpersistence::text,
			(SELECT t.oid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(a.attname) || ' ' || t.oid::text
				FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
				JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = r.oid
				AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'a'),
			pg_catalog.obj_description(r.oid, 'pg_class'), ` + owner("r.relowner") + `
		FROM pg_catalog.pg_sequence s
		JOIN pg_catalog.pg_class r ON r.oid = s.seqrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE ` + r.relFilter("r", "n") + `
		AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.objid = r.oid AND d.deptype = 'i')`
	var ownedBook []string
	err := r.rows(ctx, sql, func(c []string) {
		unlogged := ""
		if c[9] == "u" {
			unlogged = "UNLOGGED "
		}
		cycle := "NO CYCLE"
		if c[8] == "true" {
			cycle = "CYCLE"
		}
		it := &item{key: key{"pg_class", c[0]}, rank: rankSequence, name: c[1],
			sql: []string{fmt.Sprintf("CREATE %sSEQUENCE %s\n    AS %s\n    START WITH %s\n    INCREMENT BY %s\n    MINVALUE %s\n    MAXVALUE %s\n    CACHE %s\n    %s;",
				unlogged, c[1], c[2], c[3], c[4], c[5], c[6], c[7], cycle)}}
		it.sql = append(it.sql, comment("SEQUENCE "+c[1], c[11])...)
		it.sql = append(it.sql, r.ownerSQL("SEQUENCE", c[1], c[12])...)
		r.add(it)
		if c[10] != "" {
			col, tableOID := c[10][:strings.LastIndexByte(c[10], ' ')], c[10][strings.LastIndexByte(c[10], ' ')+1:]
			ownedBook = append(ownedBook, c[0], col, tableOID, c[1])
		}
	})
	if err != nil {
		return err
	}
	for i := 0; i < len(ownedBook); i += 4 {
		seq, col, table, name := ownedBook[i], ownedBook[i+1], ownedBook[i+2], ownedBook[i+3]
		r.add(&item{key: key{"owned by", seq}, rank: rankSequenceOwner, name: name,
			sql:  []string{"ALTER SEQUENCE " + name + " OWNED BY " + col + ";"},
			deps: []key{{"pg_class", seq}, {"pg_class", table}}})
	}
	return nil
}

// column is a relation's column as readRelations prints it.
type column struct {
	name, typ, collation, def, generated, identity, identityOpts string
	notNull, local                                               bool
	comment                                                      string
	// ownNotNull is NOT NULL where no parent (partitioned or inherited
	// from) has it.
	ownNotNull bool
	// fdwOptions are a foreign table column's " OPTIONS (...)", or "".
	fdwOptions string
	// noDefault is an inherited column without a default where a parent
	// has one (ALTER TABLE ONLY child ALTER COLUMN c DROP DEFAULT).
	noDefault bool
}

func (r *reader) readColumns(ctx context.Context) (map[string][]column, error) {
	sql := `SELECT a.attrelid::text, pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod),
			CASE WHEN a.attcollation <> t.typcollation
				THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END,
			CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
			CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,
			a.attidentity::text,
			CASE WHEN a.attidentity <> '' THEN
				(SELECT pg_catalog.format('START WITH %s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s%s',
						s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
						CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END)
					FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
					WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
					AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
					AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i')
			END,
			a.attnotnull::text, a.attislocal::text, pg_catalog.col_description(a.attrelid, a.attnum),
			(a.attnotnull AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h
				JOIN pg_catalog.pg_attribute pa ON pa.attrelid = h.inhparent AND pa.attname = a.attname
				WHERE h.inhrelid = a.attrelid AND pa.attnotnull))::text,
			` + fdwOptions("a.attfdwoptions") + `,
			(d.adbin IS NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h
				JOIN pg_catalog.pg_attribute pa ON pa.attrelid = h.inhparent AND pa.attname = a.attname
				JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
				WHERE h.inhrelid = a.attrelid))::text
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
		LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
		WHERE a.attnum > 0 AND NOT a.attisdropped
		AND r.relkind IN ('r', 'p', 'v', 'm', 'f') AND ` + r.relFilter("r", "n") + `
		ORDER BY a.attrelid, a.attnum`
	cols := map[string][]column{}
	err := r.rows(ctx, sql, func(c []string) {
		cols[c[0]] = append(cols[c[0]], column{name: c[1], typ: c[2], collation: c[3], def: c[4], generated: c[5],
			identity: c[6], identityOpts: c[7], notNull: c[8] == "true", local: c[9] == "true", comment: c[10],
			ownNotNull: c[11] == "true", fdwOptions: c[12], noDefault: c[13] == "true"})
	})
	return cols, err
}

func (r *reader) readRelations(ctx context.Context) error {
	cols, err := r.readColumns(ctx)
	if err != nil {
		return err
	}
	sql := `SELECT r.oid::text, r.oid::pg_catalog.regclass::text, r.relkind::text, r.relpersistence::text,
			pg_catalog.obj_description(r.oid, 'pg_class'),
			pg_catalog.array_to_string(r.reloptions || (SELECT pg_catalog.array_agg('toast.' || o)
				FROM pg_catalog.pg_class tc, pg_catalog.unnest(tc.reloptions) o WHERE tc.oid = r.reltoastrelid), ', '),
			r.relrowsecurity::text, r.relforcerowsecurity::text, r.relreplident::text,
			pg_catalog.pg_get_partkeydef(r.oid),
			CASE WHEN r.relispartition THEN pg_catalog.pg_get_expr(r.relpartbound, r.oid) END,
			(SELECT pg_catalog.string_agg(i.inhparent::pg_catalog.regclass::text, ', ' ORDER BY i.inhseqno)
				FROM pg_catalog.pg_inherits i WHERE i.inhrelid = r.oid),
			CASE WHEN r.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(r.oid) END,
			` + owner("r.relowner") + `,
			(SELECT i.indexrelid::text || ' ' || pg_catalog.quote_ident(ic.relname)
				FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
				WHERE i.indrelid = r.oid AND i.indisreplident),
			r.relispartition::text,
			` + foreignTableColumns + `,
			r.reloftype::text, CASE WHEN r.reloftype <> 0 THEN r.reloftype::pg_catalog.regtype::text END
		FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		LEFT JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = r.oid
		WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f') AND ` + r.relFilter("r", "n")
	return r.rows(ctx, sql, func(c []string) {
		oid, name, kind := c[0], c[1], c[2]
		it := &item{key: key{"pg_class", oid}, name: name}
		var colComments []string
		for _, col := range cols[oid] {
			colComments = append(colComments, comment("COLUMN "+name+"."+col.name, col.comment)...)
		}
		if kind == "v" || kind == "m" {
			r.addView(it, c, colComments)
			return
		}
		r.addTable(it, c, cols[oid], colComments)
	})
}

// addView adds the view or materialized view of row c (readRelations'
// columns) with its comments and owner.
func (r *reader) addView(it *item, c []string, colComments []string) {
	name, kind := it.name, c[2]
	with := ""
	if c[5] != "" {
		with = " WITH (" + c[5] + ")"
	}
	def := strings.TrimRight(strings.TrimSpace(c[12]), ";")
	if kind == "v" {
		// The check option is an option the server keeps with the
		// others; CREATE VIEW spells it after the query, as
		// pg_dump prints it.
		var opts []string
		check := ""
		for _, o := range strings.Split(c[5], ", ") {
			if v, ok := strings.CutPrefix(o, "check_option="); ok {
				check = "\n  WITH " + strings.ToUpper(v) + " CHECK OPTION"
			} else if o != "" {
				opts = append(opts, o)
			}
		}
		with = ""
		if len(opts) > 0 {
			with = " WITH (" + strings.Join(opts, ", ") + ")"
		}
		it.rank = rankView
		it.sql = append(it.sql, "CREATE VIEW "+name+with+" AS\n "+def+check+";")
	} else {
		it.rank = rankMatview
		it.sql = append(it.sql, "CREATE MATERIALIZED VIEW "+name+with+" AS\n "+def+"\n  WITH NO DATA;")
	}
	word := "VIEW"
	if kind == "m" {
		word = "MATERIALIZED VIEW"
	}
	it.sql = append(it.sql, comment(word+" "+name, c[4])...)
	it.sql = append(it.sql, colComments...)
	it.sql = append(it.sql, r.ownerSQL(map[string]string{"v": "VIEW", "m": "MATERIALIZED VIEW"}[kind], name, c[13])...)
	r.add(it)
}

// addTable adds the table of row c (readRelations' columns), with its
// local columns cols, row security, replica identity, comments and owner.
func (r *reader) addTable(it *item, c []string, cols []column, colComments []string) {
	name, oid := it.name, c[0]
	with := ""
	if c[5] != "" {
		with = " WITH (" + c[5] + ")"
	}
	it.rank = rankTable
	word := tableWord(c)
	var b strings.Builder
	b.WriteString("CREATE ")
	if c[3] == "u" {
		b.WriteString("UNLOGGED ")
	}
	b.WriteString(word + " " + name)
	if c[20] != "" {
		b.WriteString(typedTableSQL(it, c, cols))
	} else if c[15] == "true" {
		b.WriteString(" PARTITION OF " + c[11])
		var lines []string
		for _, col := range cols {
			if col.ownNotNull {
				lines = append(lines, "    "+col.name+" NOT NULL")
			}
		}
		if len(lines) > 0 {
			b.WriteString(" (\n" + strings.Join(lines, ",\n") + "\n)")
		}
	} else {
		var lines []string
		for _, col := range cols {
			if !col.local {
				continue
			}
			lines = append(lines, "    "+columnSQL(col))
		}
		if len(lines) == 0 {
			b.WriteString(" (\n)")
		} else {
			b.WriteString(" (\n" + strings.Join(lines, ",\n") + "\n)")
		}
		if c[11] != "" {
			b.WriteString("\nINHERITS (" + c[11] + ")")
		}
	}
	if c[15] == "true" {
		b.WriteString("\n" + c[10])
	}
	if c[9] != "" {
		b.WriteString("\nPARTITION BY " + c[9])
	}
	b.WriteString(r.foreignTail(it, c))
	b.WriteString(with + ";")
	it.sql = append(it.sql, b.String())
	if c[6] == "true" {
		it.sql = append(it.sql, "ALTER TABLE "+name+" ENABLE ROW LEVEL SECURITY;")
	}
	if c[7] == "true" {
		it.sql = append(it.sql, "ALTER TABLE "+name+" FORCE ROW LEVEL SECURITY;")
	}
	switch replicaIdentity(c) {
	case "f":
		it.sql = append(it.sql, "ALTER TABLE "+name+" REPLICA IDENTITY FULL;")
	case "n":
		it.sql = append(it.sql, "ALTER TABLE "+name+" REPLICA IDENTITY NOTHING;")
	case "i":
		if idx, idxName, ok := strings.Cut(c[14], " "); ok {
			r.add(&item{key: key{"replica identity", oid}, rank: rankIndex, name: name,
				sql:  []string{"ALTER TABLE ONLY " + name + " REPLICA IDENTITY USING INDEX " + idxName + ";"},
				deps: []key{{"pg_class", idx}}})
		}
	}
	if c[15] != "true" && c[11] != "" {
		it.sql = append(it.sql, inheritedColumnsSQL(name, cols)...)
	}
	it.sql = append(it.sql, comment(word+" "+name, c[4])...)
	it.sql = append(it.sql, colComments...)
	it.sql = append(it.sql, r.ownerSQL(word, name, c[13])...)
	r.add(it)
}

// typedTableSQL prints what follows the name of a typed table (the last
// columns of readRelations' row c): OF its type and, as pg_dump does, the
// columns with a NOT NULL or default of the table's own ("c WITH OPTIONS
// ..."); the rest are the type's. The table needs its type first.
func typedTableSQL(it *item, c []string, cols []column) string {
	it.deps = append(it.deps, key{"pg_type", c[19]})
	var lines []string
	for _, col := range cols {
		s := ""
		if col.def != "" {
			s += " DEFAULT " + col.def
		}
		if col.notNull {
			s += " NOT NULL"
		}
		if s != "" {
			lines = append(lines, "    "+col.name+" WITH OPTIONS"+s)
		}
	}
	if len(lines) == 0 {
		return " OF " + c[20]
	}
	return " OF " + c[20] + " (\n" + strings.Join(lines, ",\n") + "\n)"
}

// inheritedColumnsSQL prints what a table that inherits holds of its own
// on the columns it only inherits (which CREATE TABLE leaves out), as
// pg_dump does: its default (NULL where a parent has one and it has none)
// and a NOT NULL no parent has.
func inheritedColumnsSQL(table string, cols []column) []string {
	var out []string
	for _, col := range cols {
		if col.local || col.generated != "" {
			continue
		}
		alter := "ALTER TABLE ONLY " + table + " ALTER COLUMN " + col.name
		switch {
		case col.def != "":
			out = append(out, alter+" SET DEFAULT "+col.def+";")
		case col.noDefault:
			out = append(out, alter+" SET DEFAULT NULL;")
		}
		if col.ownNotNull {
			out = append(out, alter+" SET NOT NULL;")
		}
	}
	return out
}

// columnSQL prints a column definition as CREATE TABLE takes it.
func columnSQL(c column) string {
	s := c.name + " " + c.typ + c.fdwOptions
	if c.collation != "" {
		s += " COLLATE " + c.collation
	}
	if c.generated != "" {
		s += " GENERATED ALWAYS AS (" + c.generated + ") STORED"
	}
	if c.def != "" {
		s += " DEFAULT " + c.def
	} else if c.noDefault {
		s += " DEFAULT NULL" // not the parent's
	}
	if c.notNull {
		s += " NOT NULL"
	}
	switch c.identity {
	case "a":
		s += " GENERATED ALWAYS AS IDENTITY (" + c.identityOpts + ")"
	case "d":
		s += " GENERATED BY DEFAULT AS IDENTITY (" + c.identityOpts + ")"
	}
	return s
}

func (r *reader) readConstraints(ctx context.Context) error {
	// A partition's inherited constraints (conparentid set, or not local)
	// belong to its parent.
	sql := `SELECT co.oid::text, co.conrelid::pg_catalog.regclass::text, pg_catalog.quote_ident(co.conname),
			co.contype::text, pg_catalog.pg_get_constraintdef(co.oid),
			pg_catalog.obj_description(co.oid, 'pg_constraint'), r.relkind::text,
			(co.conislocal AND co.conparentid = 0)::text,
			CASE WHEN co.contype IN ('p', 'u') THEN
				(SELECT pg_catalog.array_to_string(ic.reloptions, ', ') FROM pg_catalog.pg_class ic WHERE ic.oid = co.conindid) END,
			(co.contype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhparent = co.conrelid))::text
		FROM pg_catalog.pg_constraint co
		JOIN pg_catalog.pg_class r ON r.oid = co.conrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE co.contype IN ('c', 'f', 'p', 'u', 'x') AND ` + r.relFilter("r", "n")
	err := r.rows(ctx, sql, func(c []string) {
		if c[7] != "true" {
			return
		}
		rank := rankConstraint
		if c[3] == "f" {
			rank = rankForeignKey
		}
		only := "ONLY "
		if c[6] == "p" || c[9] == "true" {
			// A partitioned table's constraints, and a CHECK of a table
			// others inherit from, reach the children: ONLY is refused.
			only = ""
		}
		def := c[4]
		if c[8] != "" {
			def = withIndexOptions(def, c[8])
		}
		it := &item{key: key{"pg_constraint", c[0]}, rank: rank, name: c[1] + "." + c[2],
			sql: []string{"ALTER TABLE " + only + c[1] + "\n    ADD CONSTRAINT " + c[2] + " " + def + ";"}}
		it.sql = append(it.sql, comment("CONSTRAINT "+c[2]+" ON "+c[1], c[5])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	// What a constraint is not printed for belongs to its table or domain;
	// a constraint's index stands for the constraint.
	return r.rows(ctx, `SELECT co.oid::text, co.conrelid::text, co.contypid::text, co.contype::text, co.conindid::text
		FROM pg_catalog.pg_constraint co WHERE co.oid >= 16384`, func(c []string) {
		if c[1] != "0" {
			r.alias[key{"pg_constraint", c[0]}] = key{"pg_class", c[1]}
		} else {
			r.alias[key{"pg_constraint", c[0]}] = key{"pg_type", c[2]}
		}
		if c[4] != "0" && strings.Contains("pux", c[3]) {
			r.alias[key{"pg_class", c[4]}] = key{"pg_constraint", c[0]}
		}
	})
}

// withIndexOptions adds the storage parameters of a primary key's or
// unique constraint's index, which pg_get_constraintdef leaves out (it
// prints an exclusion constraint's), where ADD CONSTRAINT takes them: after
// the columns and INCLUDE, before DEFERRABLE.
func withIndexOptions(def, opts string) string {
	at := len(def)
	for _, w := range []string{" DEFERRABLE", " NOT DEFERRABLE", " INITIALLY "} {
		if i := strings.Index(def, w); i >= 0 && i < at {
			at = i
		}
	}
	return def[:at] + " WITH (" + opts + ")" + def[at:]
}

func (r *reader) readIndexes(ctx context.Context) error {
	// Indexes a constraint owns are printed by the constraint. A
	// partitioned table's index is printed as pg_dump prints it: ON ONLY
	// the table (as the server prints it), each partition's index created
	// on its own and attached, so that an index ON ONLY and partition
	// indexes named otherwise read back as they are.
	sql := `SELECT i.indexrelid::text, i.indexrelid::pg_catalog.regclass::text, pg_catalog.pg_get_indexdef(i.indexrelid),
			pg_catalog.obj_description(i.indexrelid, 'pg_class'), r.relkind::text, i.indisclustered::text,
			r.oid::pg_catalog.regclass::text, pg_catalog.quote_ident(ic.relname),
			(SELECT h.inhparent::text || ' ' || h.inhparent::pg_catalog.regclass::text FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE r.relkind IN ('r', 'p', 'm') AND ` + r.relFilter("r", "n") + `
		AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.objid = i.indexrelid AND d.refclassid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.deptype = 'i')`
	err := r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_class", c[0]}, rank: rankIndex, name: c[1], sql: []string{c[2] + ";"}}
		if parentOID, parent, ok := strings.Cut(c[8], " "); ok {
			it.sql = append(it.sql, "ALTER INDEX "+parent+" ATTACH PARTITION "+c[1]+";")
			it.deps = append(it.deps, key{"pg_class", parentOID})
		}
		if c[5] == "true" {
			it.sql = append(it.sql, "ALTER TABLE "+c[6]+" CLUSTER ON "+c[7]+";")
		}
		it.sql = append(it.sql, comment("INDEX "+c[1], c[3])...)
		r.add(it)
	})
	if err != nil {
		return err
	}
	// A table clustered on its primary key's index.
	return r.rows(ctx, `SELECT co.oid::text, r.oid::pg_catalog.regclass::text, pg_catalog.quote_ident(ic.relname)
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		JOIN pg_catalog.pg_constraint co ON co.conindid = i.indexrelid AND co.conrelid = r.oid AND co.contype IN ('p', 'u', 'x')
		WHERE i.indisclustered AND `+r.relFilter("r", "n"), func(c []string) {
		if it := r.items[key{"pg_constraint", c[0]}]; it != nil {
			it.sql = append(it.sql, "ALTER TABLE "+c[1]+" CLUSTER ON "+c[2]+";")
		}
	})
}

func (r *reader) readTriggers(ctx context.Context) error {
	// A partition's clone of its parent's trigger (tgparentid) belongs to
	// the parent.
	sql := `SELECT tg.oid::text, pg_catalog.pg_get_triggerdef(tg.oid), pg_catalog.quote_ident(tg.tgname),
			r.oid::pg_catalog.regclass::text, pg_catalog.obj_description(tg.oid, 'pg_trigger'), tg.tgenabled::text
		FROM pg_catalog.pg_trigger tg
		JOIN pg_catalog.pg_class r ON r.oid = tg.tgrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ` + r.relFilter("r", "n")
	return r.rows(ctx, sql, func(c []string) {
		it := &item{key: key{"pg_trigger", c[0]}, rank: rankTrigger, name: c[3] + "." + c[2], sql: []string{c[1] + ";"}}
		switch c[5] {
		case "D":
			it.sql = append(it.sql, "ALTER TABLE "+c[3]+" DISABLE TRIGGER "+c[2]+";")
		case "R":
			it.sql = append(it.sql, "ALTER TABLE "+c[3]+" ENABLE REPLICA TRIGGER "+c[2]+";")
		case "A":
			it.sql = append(it.sql, "ALTER TABLE "+c[3]+" ENABLE ALWAYS TRIGGER "+c[2]+";")
		}
		it.sql = append(it.sql, comment("TRIGGER "+c[2]+" ON "+c[3], c[4])...)
		r.add(it)
	})
}

var policyCommands = map[string]string{"r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "*": "ALL"}

func (r *reader) readPolicies(ctx context.Context) error {
	sql := `SELECT p.oid::text, pg_catalog.quote_ident(p.polname), r.oid::pg_catalog.regclass::text,
			p.polcmd::text, p.polpermissive::text,
			(SELECT pg_catalog.string_agg(role, ', ' ORDER BY role)
				FROM (SELECT CASE WHEN u = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(u)) END
					FROM pg_catalog.unnest(p.polroles) u) roles(role)),
			pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
			pg_catalog.obj_description(p.oid, 'pg_policy')
		FROM pg_catalog.pg_policy p
		JOIN pg_catalog.pg_class r ON r.oid = p.polrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
		WHERE ` + r.relFilter("r", "n")
	return r.rows(ctx, sql, func(c []string) {
		s := "CREATE POLICY " + c[1] + " ON " + c[2]
		if c[4] != "true" {
			s += " AS RESTRICTIVE"
		}
		s += " FOR " + policyCommands[c[3]] + " TO " + c[5]
		if c[6] != "" {
			s += " USING (" + c[6] + ")"
		}
		if c[7] != "" {
			s += " WITH CHECK (" + c[7] + ")"
		}
		it := &item{key: key{"pg_policy", c[0]}, rank: rankPolicy, name: c[2] + "." + c[1], sql: []string{s + ";"}}
		it.sql = append(it.sql, comment("POLICY "+c[1]+" ON "+c[2], c[8])...)
		r.add(it)
	})
}

// readDepends orders the items by pg_depend. A sequence's OWNED BY link
// (deptype a, sequence on column) is left out: the column's default
// depends on the sequence, and OWNED BY is a statement of its own.
func (r *reader) readDepends(ctx context.Context) error {
	// Column defaults and view rules stand for their relation.
	err := r.rows(ctx, `SELECT 'pg_attrdef', oid::text, adrelid::text FROM pg_catalog.pg_attrdef
		UNION ALL SELECT 'pg_rewrite', oid::text, ev_class::text FROM pg_catalog.pg_rewrite WHERE oid >= 16384
		UNION ALL SELECT 'pg_trigger', oid::text, tgrelid::text FROM pg_catalog.pg_trigger WHERE oid >= 16384
		UNION ALL SELECT 'pg_policy', oid::text, polrelid::text FROM pg_catalog.pg_policy
		UNION ALL SELECT 'pg_class', i.indexrelid::text, i.indrelid::text FROM pg_catalog.pg_index i WHERE i.indexrelid >= 16384
		UNION ALL SELECT 'pg_class', d.objid::text, d.refobjid::text FROM pg_catalog.pg_depend d
			WHERE d.deptype = 'i' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass`, func(c []string) {
		k := key{c[0], c[1]}
		if _, ok := r.alias[k]; !ok {
			r.alias[k] = key{"pg_class", c[2]}
		}
	})
	if err != nil {
		return err
	}
	sql := `SELECT cc.relname::text, d.objid::text, rc.relname::text, d.refobjid::text
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_class cc ON cc.oid = d.classid
		JOIN pg_catalog.pg_class rc ON rc.oid = d.refclassid
		WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384
		AND NOT (d.deptype = 'a' AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
			AND EXISTS (SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.objid AND s.relkind = 'S'))`
	err = r.rows(ctx, sql, func(c []string) {
		depend(r.resolve(key{c[0], c[1]}), r.resolve(key{c[2], c[3]}))
	})
	if err != nil {
		return err
	}
	for _, it := range r.order {
		for _, d := range it.deps {
			depend(it, r.resolve(d))
		}
	}
	return nil
}

// readPrivileges prints GRANT and REVOKE for every object whose ACL is not
// its default (acldefault for its owner), as pg_dump does: what the default
// gives and the ACL lacks is revoked, what the ACL adds is granted. The
// public schema's default also lets PUBLIC use it, as CREATE DATABASE makes
// it.
func (r *reader) readPrivileges(ctx context.Context) error {
	sql := `WITH objs(kind, name, acl, owner, deftype, class, oid) AS (
			SELECT CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.oid::pg_catalog.regclass::text,
				r.relacl, r.relowner, CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", 'pg_class', r.oid
			FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
			WHERE r.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND r.relacl IS NOT NULL AND ` + r.relFilter("r", "n") + `
			UNION ALL
			SELECT 'SCHEMA', pg_catalog.quote_ident(n.nspname), n.nspacl, n.nspowner, 'n', 'pg_namespace', n.oid
			FROM pg_catalog.pg_namespace n
			WHERE n.nspacl IS NOT NULL AND ` + nsFilter("n") + ` AND ` + extFilter("n", "pg_namespace") + `
			UNION ALL
			SELECT CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::pg_catalog.regprocedure::text,
				p.proacl, p.proowner, 'f', 'pg_proc', p.oid
			FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
			WHERE p.proacl IS NOT NULL AND p.prokind IN ('f', 'p', 'w', 'a') AND ` + nsFilter("n") + ` AND ` + extFilter("p", "pg_proc") + `
			UNION ALL
			SELECT CASE WHEN t.typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END, pg_catalog.format_type(t.oid, NULL),
				t.typacl, t.typowner, 'T', 'pg_type', t.oid
			FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
			WHERE t.typacl IS NOT NULL AND ` + nsFilter("n") + ` AND ` + extFilter("t", "pg_type") + `
			AND (t.typtype IN ('e', 'd')
				OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c'))
			UNION ALL
			SELECT 'FOREIGN SERVER', pg_catalog.quote_ident(s.srvname), s.srvacl, s.srvowner, 'S', 'pg_foreign_server', s.oid
			FROM pg_catalog.pg_foreign_server s WHERE s.srvacl IS NOT NULL
			UNION ALL
			SELECT 'FOREIGN DATA WRAPPER', pg_catalog.quote_ident(w.fdwname), w.fdwacl, w.fdwowner, 'F', 'pg_foreign_data_wrapper', w.oid
			FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL AND ` + extFilter("w", "pg_foreign_data_wrapper") + `
		),
		a AS (SELECT o.class, o.oid, o.kind, o.name, x.grantee, x.privilege_type, x.is_grantable
			FROM objs o, pg_catalog.aclexplode(o.acl) x),
		d AS (SELECT o.class, o.oid, o.kind, o.name, x.grantee, x.privilege_type, x.is_grantable
			FROM objs o, pg_catalog.aclexplode(pg_catalog.acldefault(o.deftype, o.owner)) x
			UNION
			SELECT o.class, o.oid, o.kind, o.name, 0, 'USAGE', false
			FROM objs o WHERE o.kind = 'SCHEMA' AND o.name = 'public')
		SELECT class, oid::text, kind, name, verb, grantee, grantable::text, privilege_type FROM (
			SELECT 'GRANT' AS verb, * FROM (SELECT * FROM a EXCEPT SELECT * FROM d) g
			UNION ALL
			SELECT 'REVOKE', * FROM (SELECT class, oid, kind, name, grantee, privilege_type, false FROM d
				EXCEPT SELECT class, oid, kind, name, grantee, privilege_type, false FROM a) v
		) s(verb, class, oid, kind, name, grantee, privilege_type, grantable)
		ORDER BY class, oid, verb DESC, grantee, grantable, privilege_type`
	type group struct {
		class, oid, kind, name, verb, grantee, grantable string
		privs                                            []string
	}
	var groups []*group
	err := r.rows(ctx, sql, func(c []string) {
		g := &group{class: c[0], oid: c[1], kind: c[2], name: c[3], verb: c[4], grantee: c[5], grantable: c[6]}
		if n := len(groups); n > 0 {
			last := groups[n-1]
			if last.class == g.class && last.oid == g.oid && last.verb == g.verb && last.grantee == g.grantee && last.grantable == g.grantable {
				last.privs = append(last.privs, c[7])
				return
			}
		}
		g.privs = []string{c[7]}
		groups = append(groups, g)
	})
	if err != nil {
		return err
	}
	// Column privileges have no default: each is a grant.
	err = r.rows(ctx, `SELECT 'pg_class', r.oid::text, 'TABLE', r.oid::pg_catalog.regclass::text, 'GRANT',
			x.grantee::text, x.is_grantable::text, x.privilege_type || ' (' || pg_catalog.quote_ident(a.attname) || ')'
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
		JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace,
		pg_catalog.aclexplode(a.attacl) x
		WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND `+r.relFilter("r", "n")+`
		ORDER BY r.oid, x.grantee, x.is_grantable, a.attnum, x.privilege_type`, func(c []string) {
		groups = append(groups, &group{class: c[0], oid: c[1], kind: c[2], name: c[3], verb: c[4], grantee: c[5], grantable: c[6], privs: []string{c[7]}})
	})
	if err != nil {
		return err
	}
	var roles map[string]string
	if len(groups) > 0 {
		roles = map[string]string{"0": "PUBLIC"}
		err := r.rows(ctx, `SELECT oid::text, pg_catalog.quote_ident(rolname) FROM pg_catalog.pg_roles`, func(c []string) {
			roles[c[0]] = c[1]
		})
		if err != nil {
			return err
		}
	}
	for _, g := range groups {
		grantee := roles[g.grantee]
		if grantee == "" {
			continue // a role dropped since (the ACL holds its oid)
		}
		s := g.verb + " " + strings.Join(g.privs, ", ") + " ON " + g.kind + " " + g.name
		if g.verb == "GRANT" {
			s += " TO " + grantee
			if g.grantable == "true" {
				s += " WITH GRANT OPTION"
			}
		} else {
			s += " FROM " + grantee
		}
		k := key{g.class, g.oid}
		it := r.items[k]
		if it == nil {
			it = &item{key: k, rank: rankSchema, name: g.name}
			r.add(it)
		}
		it.sql = append(it.sql, s+";")
	}
	return nil
}
