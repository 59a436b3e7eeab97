package parser

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ddlmig/ddlmig/schema"
)

func (f *folder) createSchema(st *stmt, cs *pg_query.CreateSchemaStmt) error {
	if len(cs.SchemaElts) > 0 {
		return f.errorf(st.pos, "unsupported CREATE SCHEMA with schema elements: create them with separate statements")
	}
	if f.cat.Schemas[cs.Schemaname] != nil {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "schema %s already exists", schema.QuoteIdent(cs.Schemaname))
	}
	f.cat.Schemas[cs.Schemaname] = &schema.Namespace{Name: cs.Schemaname, Pos: st.pos}
	return nil
}

// ignoredExtensions are always installed and never managed (old pg_dump
// versions still write CREATE EXTENSION plpgsql).
var ignoredExtensions = map[string]bool{"plpgsql": true}

func (f *folder) createExtension(st *stmt, ce *pg_query.CreateExtensionStmt) error {
	if ignoredExtensions[ce.Extname] {
		return nil
	}
	sch := ""
	for _, o := range ce.Options {
		d := o.GetDefElem()
		if d != nil && d.Defname == "schema" {
			sch = d.Arg.GetString_().GetSval()
		}
	}
	// public is where an extension goes by default: pg_dump's WITH SCHEMA
	// public says nothing more than its absence.
	if sch == schema.DefaultSchema {
		sch = ""
	}
	if sch != "" && f.cat.Schemas[sch] == nil && sch != "pg_catalog" {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(sch))
	}
	if f.cat.Extensions[ce.Extname] != nil {
		if ce.IfNotExists {
			return nil
		}
		return f.errorf(st.pos, "extension %s already exists", schema.QuoteIdent(ce.Extname))
	}
	// The server gives the extension its control file's comment.
	f.cat.Extensions[ce.Extname] = &schema.Extension{Name: ce.Extname, Schema: sch, Comment: schema.DefaultExtensionComment(ce.Extname), Pos: st.pos}
	return nil
}

// typeTaken reports whether a type name is in use (Catalog.TypeTaken).
func (f *folder) typeTaken(q schema.QualifiedName) bool {
	return f.cat.TypeTaken(q)
}

// rowTypeTaken is PostgreSQL's error for a new relation whose name a type
// (an enum, domain or range; not a relation's row type, which
// relationTaken finds first) takes already: the relation's row type would
// need it.
func (f *folder) rowTypeTaken(pos schema.Pos, q schema.QualifiedName) error {
	return f.errorf(pos, "type %s already exists: a relation has a row type of the same name, so the name must not be a type's", q)
}

func (f *folder) createEnum(st *stmt, ce *pg_query.CreateEnumStmt) error {
	q := listName(ce.TypeName)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	if f.typeTaken(q) {
		return f.errorf(st.pos, "type %s already exists", q)
	}
	e := &schema.Enum{Name: q, Pos: st.pos, RenamedFrom: f.enumRenames(st)}
	for _, v := range strs(ce.Vals) {
		if slices.Contains(e.Values, v) {
			return f.errorf(st.pos, "enum label %s used more than once", schema.QuoteLiteral(v))
		}
		e.Values = append(e.Values, v)
	}
	f.cat.Enums[q] = e
	return nil
}

func (f *folder) alterEnum(st *stmt, ae *pg_query.AlterEnumStmt) error {
	q := listName(ae.TypeName)
	e := f.cat.Enums[q]
	if e == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	if ae.OldVal != "" {
		i := slices.Index(e.Values, ae.OldVal)
		if i < 0 {
			return f.errorf(st.pos, "%s is not an existing enum label", schema.QuoteLiteral(ae.OldVal))
		}
		if slices.Contains(e.Values, ae.NewVal) {
			return f.errorf(st.pos, "enum label %s already exists", schema.QuoteLiteral(ae.NewVal))
		}
		e.Values[i] = ae.NewVal
		f.renameEnumDefaults(q, ae.OldVal, ae.NewVal)
		params := func(fc *pg_query.FuncCall) []schema.TypeName { return f.callParamTypes(st, fc) }
		f.rewriteTypedTexts(ae.OldVal, func(m protoreflect.Message, cols columnTypes) {
			renameLabelRefs(m, cols, params, q, ae.OldVal, ae.NewVal)
		})
		return nil
	}
	if slices.Contains(e.Values, ae.NewVal) {
		if ae.SkipIfNewValExists {
			return nil
		}
		return f.errorf(st.pos, "enum label %s already exists", schema.QuoteLiteral(ae.NewVal))
	}
	at := len(e.Values)
	if ae.NewValNeighbor != "" {
		i := slices.Index(e.Values, ae.NewValNeighbor)
		if i < 0 {
			return f.errorf(st.pos, "%s is not an existing enum label", schema.QuoteLiteral(ae.NewValNeighbor))
		}
		at = i
		if ae.NewValIsAfter {
			at = i + 1
		}
	}
	e.Values = slices.Insert(e.Values, at, ae.NewVal)
	return nil
}

// renameEnumDefaults follows ALTER TYPE ... RENAME VALUE into the column
// and domain defaults that are the renamed label: PostgreSQL stores the label's OID,
// so pg_dump prints such a default with the new label.
func (f *folder) renameEnumDefaults(q schema.QualifiedName, old, nv string) {
	from, to := schema.QuoteLiteral(old), schema.QuoteLiteral(nv)
	for _, t := range f.cat.Tables {
		for _, c := range t.Columns {
			if c.Type.Schema == q.Schema && c.Type.Name == q.Name && c.Type.ArrayDims == 0 && c.Default == from {
				c.Default = to
				c.DefaultSrc = renameLiteral(c.DefaultSrc, old, nv)
			}
		}
	}
	for _, d := range f.cat.Domains {
		if d.Type.Schema == q.Schema && d.Type.Name == q.Name && d.Type.ArrayDims == 0 && d.Default == from {
			d.Default = to
			d.DefaultSrc = renameLiteral(d.DefaultSrc, old, nv)
		}
	}
}

// renameLiteral replaces the string constant old with nv in the expression
// text s (the label of a default written with its cast, 'a'::mood); ""
// when s is "" or does not parse back, so that the compared text is
// written instead of a stale one.
func renameLiteral(s, old, nv string) string {
	if s == "" {
		return ""
	}
	e, err := parseExpr(s)
	if err != nil {
		return ""
	}
	walk(e.ProtoReflect(), func(m protoreflect.Message) {
		if c, ok := m.Interface().(*pg_query.A_Const); ok && c.GetSval() != nil && c.GetSval().Sval == old {
			c.GetSval().Sval = nv
		}
	})
	out, err := deparseExpr(e)
	if err != nil {
		return ""
	}
	return out
}

// commentText is the stored comment: ” and NULL both mean none.
func (f *folder) comment(st *stmt, cs *pg_query.CommentStmt) error {
	text := cs.Comment
	obj := cs.Object
	if ok, err := f.commentRoutine(st, cs); ok {
		return err
	}
	switch cs.Objtype {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		name := obj.GetString_().GetSval()
		return f.setComment(st, schema.Object{Kind: schema.KindSchema, Name: schema.QualifiedName{Name: name}}, text, "schema %s does not exist", schema.QuoteIdent(name))
	case pg_query.ObjectType_OBJECT_EXTENSION:
		name := obj.GetString_().GetSval()
		if ignoredExtensions[name] {
			return nil
		}
		return f.setComment(st, schema.Object{Kind: schema.KindExtension, Name: schema.QualifiedName{Name: name}}, text, "extension %s does not exist", schema.QuoteIdent(name))
	case pg_query.ObjectType_OBJECT_TABLE:
		q := listName(obj.GetList().GetItems())
		if err := f.relationKindError(st, f.cat.Tables[q], false); err != nil {
			return err
		}
		return f.setComment(st, schema.Object{Kind: schema.KindTable, Name: q}, text, "relation %s does not exist", q)
	case pg_query.ObjectType_OBJECT_COLUMN:
		parts := strs(obj.GetList().GetItems())
		if len(parts) < 2 {
			return f.errorf(st.pos, "column name must be qualified")
		}
		q := listName(obj.GetList().GetItems()[:len(parts)-1])
		t := f.cat.Tables[q]
		if v := f.cat.Views[q]; t == nil && v != nil {
			col := parts[len(parts)-1]
			if !viewMayHaveColumn(v, col) {
				return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(col), schema.QuoteIdent(q.Name))
			}
			v.SetColumnComment(col, text)
			return nil
		}
		if t == nil {
			return f.missingf(st.pos, "relation %s does not exist", q)
		}
		c := t.Column(parts[len(parts)-1])
		if c == nil {
			return f.errorf(st.pos, "column %s of relation %s does not exist", schema.QuoteIdent(parts[len(parts)-1]), schema.QuoteIdent(q.Name))
		}
		c.Comment = text
	case pg_query.ObjectType_OBJECT_INDEX:
		q := listName(obj.GetList().GetItems())
		ix := f.cat.Indexes[q]
		if ix == nil {
			if f.constraintIndex(q) != nil {
				return f.errorf(st.pos, "unsupported COMMENT ON INDEX of an index that backs a constraint (comment on the constraint instead)")
			}
			return f.missingf(st.pos, "relation %s does not exist", q)
		}
		ix.Comment = text
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		q := listName(obj.GetList().GetItems())
		return f.setComment(st, schema.Object{Kind: schema.KindSequence, Name: q}, text, "relation %s does not exist", q)
	case pg_query.ObjectType_OBJECT_TYPE:
		q := listName(obj.GetTypeName().GetNames())
		return f.setComment(st, schema.Object{Kind: schema.KindType, Name: q}, text, "type %s does not exist", q)
	case pg_query.ObjectType_OBJECT_DOMAIN:
		return f.commentDomain(st, cs)
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		items := obj.GetList().GetItems()
		parts := strs(items)
		q := listName(items[:len(items)-1])
		t := f.cat.Tables[q]
		if t == nil {
			return f.missingf(st.pos, "relation %s does not exist", q)
		}
		c := t.Constraint(parts[len(parts)-1])
		if c == nil {
			return f.missingf(st.pos, "constraint %s for table %s does not exist", schema.QuoteIdent(parts[len(parts)-1]), schema.QuoteIdent(q.Name))
		}
		c.Comment = text
	case pg_query.ObjectType_OBJECT_POLICY:
		return f.commentPolicy(st, obj.GetList().GetItems(), text)
	case pg_query.ObjectType_OBJECT_DATABASE, pg_query.ObjectType_OBJECT_ROLE:
		f.warn(st, "skipped statement COMMENT ON "+objTypeName(cs.Objtype)+": roles and databases are outside the schema ddlmig manages")
	default:
		return f.unsupportedf(st.pos, "COMMENT ON %s", objTypeName(cs.Objtype))
	}
	return nil
}

// setComment sets the comment of object o, or reports it missing with
// the message format and args.
func (f *folder) setComment(st *stmt, o schema.Object, text, format string, args ...any) error {
	c := f.cat.CommentOf(o)
	if c == nil {
		return f.missingf(st.pos, format, args...)
	}
	*c = text
	return nil
}

// constraintIndex finds the constraint whose index is named q.
func (f *folder) constraintIndex(q schema.QualifiedName) *schema.Constraint {
	for tn, t := range f.cat.Tables {
		if tn.Schema != q.Schema {
			continue
		}
		if c := t.Constraint(q.Name); c != nil && hasIndex(c.Kind) {
			return c
		}
	}
	return nil
}

// objTypeName spells an object type as SQL does.
func objTypeName(t pg_query.ObjectType) string {
	s := t.String()
	if len(s) > 7 {
		s = s[7:]
	}
	out := []byte(s)
	for i, c := range out {
		if c == '_' {
			out[i] = ' '
		}
	}
	return string(out)
}

// Schemas, extensions and enums fold from apply's switch; a schema's
// extensions and enums go with it as their KindInfo removes them.
func init() {
	registerKind("schema", kindParser{})
	registerKind("extension", kindParser{})
	registerKind("enum", kindParser{dropCascade: dropTypeCascade})
}

// dropTypeCascade drops type o with its users, for DROP SCHEMA ... CASCADE.
func dropTypeCascade(f *folder, st *stmt, o schema.Object) { _ = f.dropType(st, o.Name, true, true) }
