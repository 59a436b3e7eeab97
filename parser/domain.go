package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// userType reports whether q names a user-defined type the model knows
// (a TYPE of any registered set, or a domain), so that a column may have
// it.
func (f *folder) userType(q schema.QualifiedName) bool {
	return f.cat.HasObject(schema.Object{Kind: schema.KindType, Name: q}) ||
		f.cat.Domains[q] != nil
}

// domainValueTypes gives VALUE in a domain's CHECK expression the base
// type, so that comparisons normalize as they do on a column.
func domainValueTypes(base schema.TypeName) columnTypes {
	return func(name string) (schema.TypeName, bool) {
		if name == "value" {
			return base, true
		}
		return schema.TypeName{}, false
	}
}

func (f *folder) createDomain(st *stmt, cd *pg_query.CreateDomainStmt) error {
	q := listName(cd.Domainname)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	typ, serial, err := f.resolveType(st, cd.TypeName)
	if err != nil {
		return err
	}
	if serial != "" {
		return f.errorf(st.pos, "type %s does not exist", strings.Join(strs(cd.TypeName.Names), "."))
	}
	if f.typeTaken(q) {
		return f.errorf(st.pos, "type %s already exists", q)
	}
	d := &schema.Domain{Name: q, Pos: st.pos}
	d.Type = typ
	if cd.CollClause != nil {
		d.Collation = collationName(cd.CollClause.Collname)
	}
	var checks []*pg_query.Constraint
	for _, n := range cd.Constraints {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_NULL:
			d.NotNull = false
		case pg_query.ConstrType_CONSTR_NOTNULL:
			d.NotNull = true
		case pg_query.ConstrType_CONSTR_DEFAULT:
			def, src, err := f.canonicalDefault(st, c.RawExpr, d.Type, nil)
			if err != nil {
				return err
			}
			d.Default, d.DefaultSrc = def, src
		case pg_query.ConstrType_CONSTR_CHECK:
			checks = append(checks, c)
		default:
			return f.errorf(f.at(st, c.Location), "unsupported domain constraint %s", strings.TrimPrefix(c.Contype.String(), "CONSTR_"))
		}
	}
	for _, c := range checks {
		if err := f.addDomainCheck(st, d, c); err != nil {
			return err
		}
	}
	sortDomainConstraints(d)
	f.cat.Domains[q] = d
	return nil
}

func sortDomainConstraints(d *schema.Domain) {
	slices.SortStableFunc(d.Constraints, func(a, b *schema.DomainConstraint) int {
		return strings.Compare(a.Name, b.Name)
	})
}

// addDomainCheck adds a CHECK constraint to d, naming an unnamed one as
// PostgreSQL does (domain_check, domain_check1, ... unique in the schema).
func (f *folder) addDomainCheck(st *stmt, d *schema.Domain, c *pg_query.Constraint) error {
	pos := f.at(st, c.Location)
	if c.Contype != pg_query.ConstrType_CONSTR_CHECK {
		return f.errorf(pos, "unsupported domain constraint %s", strings.TrimPrefix(c.Contype.String(), "CONSTR_"))
	}
	n := &pg_query.Constraint{Contype: c.Contype, Conname: c.Conname, RawExpr: c.RawExpr, Location: -1}
	// The user's text, before dropValueCasts and normalizeExpr rewrite
	// the node.
	src, err := constraintDef(n)
	if err != nil {
		return f.errorf(pos, "constraint: %v", err)
	}
	base := f.domainBase(d.Type)
	n.RawExpr = f.dropValueCasts(st, n.RawExpr, base)
	normalizeExpr(n.RawExpr, domainValueTypes(base))
	name := c.Conname
	if name == "" {
		taken := f.constraintTaken(d.Name.Schema)
		name = chooseName(d.Name.Name, "", "check", func(s string) bool {
			return taken(s) || f.domainConstraintTaken(d.Name.Schema, s) || d.Constraint(s) != nil
		})
	} else if d.Constraint(name) != nil {
		return f.errorf(pos, "constraint %s for domain %s already exists", schema.QuoteIdent(name), schema.QuoteIdent(d.Name.Name))
	}
	def, err := constraintDef(n)
	if err != nil {
		return f.errorf(pos, "constraint: %v", err)
	}
	if src == def {
		src = ""
	}
	d.Constraints = append(d.Constraints, &schema.DomainConstraint{Name: name, Def: def, NotValid: c.SkipValidation, Src: src, Pos: pos})
	return nil
}

// domainConstraintTaken reports whether a domain of schema sch has a
// constraint named name.
func (f *folder) domainConstraintTaken(sch, name string) bool {
	for q, d := range f.cat.Domains {
		if q.Schema == sch && d.Constraint(name) != nil {
			return true
		}
	}
	return false
}

func (f *folder) alterDomain(st *stmt, ad *pg_query.AlterDomainStmt) error {
	q := listName(ad.TypeName)
	d := f.cat.Domains[q]
	if d == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	switch ad.Subtype {
	case "T": // SET DEFAULT / DROP DEFAULT
		if ad.Def == nil {
			d.Default, d.DefaultSrc = "", ""
			return nil
		}
		def, src, err := f.canonicalDefault(st, ad.Def, d.Type, nil)
		if err != nil {
			return err
		}
		d.Default, d.DefaultSrc = def, src
	case "N":
		d.NotNull = false
	case "O":
		d.NotNull = true
	case "C":
		c := ad.Def.GetConstraint()
		if c == nil {
			return f.errorf(st.pos, "unsupported ALTER DOMAIN ADD")
		}
		if err := f.addDomainCheck(st, d, c); err != nil {
			return err
		}
		sortDomainConstraints(d)
	case "X":
		i := slices.IndexFunc(d.Constraints, func(c *schema.DomainConstraint) bool { return c.Name == ad.Name })
		if i < 0 {
			if ad.MissingOk {
				return nil
			}
			return f.errorf(st.pos, "constraint %s of domain %s does not exist", schema.QuoteIdent(ad.Name), schema.QuoteIdent(q.Name))
		}
		d.Constraints = slices.Delete(d.Constraints, i, i+1)
	case "V":
		c := d.Constraint(ad.Name)
		if c == nil {
			return f.errorf(st.pos, "constraint %s of domain %s does not exist", schema.QuoteIdent(ad.Name), schema.QuoteIdent(q.Name))
		}
		c.NotValid = false
	default:
		return f.unsupportedf(st.pos, "ALTER DOMAIN")
	}
	return nil
}

// renameDomainConstraint folds ALTER DOMAIN ... RENAME CONSTRAINT.
func (f *folder) renameDomainConstraint(st *stmt, rs *pg_query.RenameStmt) error {
	q := listName(rs.Object.GetList().GetItems())
	if tn := rs.Object.GetTypeName(); tn != nil {
		q = listName(tn.Names)
	}
	d := f.cat.Domains[q]
	if d == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	c := d.Constraint(rs.Subname)
	if c == nil {
		return f.errorf(st.pos, "constraint %s for domain %s does not exist", schema.QuoteIdent(rs.Subname), schema.QuoteIdent(q.Name))
	}
	newName := truncIdent(rs.Newname)
	if d.Constraint(newName) != nil {
		return f.errorf(st.pos, "constraint %s for domain %s already exists", schema.QuoteIdent(newName), schema.QuoteIdent(q.Name))
	}
	c.Name = newName
	sortDomainConstraints(d)
	return nil
}

// commentDomain folds COMMENT ON DOMAIN.
func (f *folder) commentDomain(st *stmt, cs *pg_query.CommentStmt) error {
	q := listName(cs.Object.GetTypeName().GetNames())
	d := f.cat.Domains[q]
	if d == nil {
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	d.Comment = cs.Comment
	return nil
}

// dropDomain folds DROP DOMAIN: columns of the domain type go with it under
// CASCADE, as do domains over it.
func (f *folder) dropDomain(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if f.cat.Domains[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	if err := f.dropTypeUsers(st, q, cascade); err != nil {
		return err
	}
	delete(f.cat.Domains, q)
	return nil
}

// dropTypeUsers removes, under CASCADE, what uses type q: columns of that
// type and domains over it; without CASCADE such a user is an error.
func (f *folder) dropTypeUsers(st *stmt, q schema.QualifiedName, cascade bool) error {
	for _, dn := range schema.SortedNames(f.cat.Domains) {
		d := f.cat.Domains[dn]
		if d == nil {
			continue // dropped on the way, as a user of an earlier one
		}
		if d.Type.Schema == q.Schema && d.Type.Name == q.Name {
			if !cascade {
				return f.errorf(st.pos, "cannot drop type %s because type %s depends on it", q, dn)
			}
			if err := f.dropDomain(st, dn, true, true); err != nil {
				return err
			}
		}
	}
	for _, t := range f.typedTablesOf(q) {
		if !cascade {
			return f.errorf(st.pos, "cannot drop type %s because table %s depends on it", q, t.Name)
		}
		if err := f.dropTable(st, t.Name, true, true); err != nil {
			return err
		}
	}
	for _, tn := range schema.SortedNames(f.cat.Tables) {
		t := f.cat.Tables[tn]
		for _, c := range slices.Clone(t.Columns) {
			if c.Type.Schema == q.Schema && c.Type.Name == q.Name {
				if !cascade {
					return f.errorf(st.pos, "cannot drop type %s because column %s of table %s depends on it", q, schema.QuoteIdent(c.Name), t.Name)
				}
				f.dropColumn(t, c.Name)
			}
		}
	}
	return nil
}

// domainBase follows a domain over domains down to the type under them.
func (f *folder) domainBase(t schema.TypeName) schema.TypeName {
	for range 100 {
		if t.Schema == "" || t.ArrayDims > 0 {
			return t
		}
		d := f.cat.Domains[schema.QualifiedName{Schema: t.Schema, Name: t.Name}]
		if d == nil {
			return t
		}
		t = d.Type
	}
	return t
}

// dropValueCasts removes casts of VALUE to the domain's underlying type:
// PostgreSQL prints a check of a domain over a domain with them
// ((VALUE)::integer), and they change nothing.
func (f *folder) dropValueCasts(st *stmt, e *pg_query.Node, base schema.TypeName) *pg_query.Node {
	isValueCast := func(n *pg_query.Node) *pg_query.Node {
		tc := n.GetTypeCast()
		if tc == nil {
			return nil
		}
		cr := tc.Arg.GetColumnRef()
		if cr == nil || len(cr.Fields) != 1 || cr.Fields[0].GetString_().GetSval() != "value" {
			return nil
		}
		if t, _, err := f.resolveType(st, tc.TypeName); err != nil || t != base {
			return nil
		}
		return tc.Arg
	}
	if a := isValueCast(e); a != nil {
		return a
	}
	postWalk(e, func(n *pg_query.Node) {
		if a := isValueCast(n); a != nil {
			n.Node = a.Node
		}
	})
	return e
}

// A domain dropped with CASCADE takes its columns and the domains over it.
func init() {
	registerKind("domain", kindParser{dropCascade: func(f *folder, st *stmt, o schema.Object) {
		_ = f.dropDomain(st, o.Name, true, true)
	}})
}
