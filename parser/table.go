package parser

import (
	"errors"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/internal/pgdecode"
	"github.com/ddlmig/ddlmig/schema"
)

// conSpec is a constraint waiting to be named and added: its node and, for
// a constraint written inside a column definition, that column.
type conSpec struct {
	node *pg_query.Constraint
	col  string
}

func (f *folder) createTable(st *stmt, cs *pg_query.CreateStmt) error {
	q := rangeVarName(cs.Relation)
	pos := f.at(st, cs.Relation.Location)
	if err := f.localColumnOptions(st, cs); err != nil {
		return err
	}
	opts, parent, err := f.createTableOptions(st, cs)
	if err != nil {
		return err
	}
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	if f.relationTaken(q.Schema, false)(q.Name) {
		if cs.IfNotExists {
			return nil
		}
		return f.errorf(pos, "relation %s already exists", q)
	}
	if f.typeTaken(q) {
		return f.rowTypeTaken(pos, q)
	}
	// Resolve every column type before changing anything, so that a
	// missing type defers the whole statement.
	types := map[*pg_query.ColumnDef]schema.TypeName{}
	serials := map[*pg_query.ColumnDef]string{}
	likes := map[*pg_query.TableLikeClause]*likeClause{}
	for _, e := range cs.TableElts {
		switch x := e.Node.(type) {
		case *pg_query.Node_ColumnDef:
			if parent != nil || opts.IsTyped() {
				continue // the parent's or type's column, with options of its own
			}
			t, serial, err := f.resolveType(st, x.ColumnDef.TypeName)
			if err != nil {
				return err
			}
			types[x.ColumnDef], serials[x.ColumnDef] = t, serial
		case *pg_query.Node_Constraint:
		case *pg_query.Node_TableLikeClause:
			l, err := f.resolveLike(st, x.TableLikeClause)
			if err != nil {
				return err
			}
			likes[x.TableLikeClause] = l
		default:
			return f.errorf(st.pos, "unsupported table element %T", e.Node)
		}
	}
	t := &schema.Table{Name: q, Options: opts, Pos: pos}
	if parent != nil {
		t.Columns = partitionColumns(parent)
	}
	if opts.IsTyped() {
		t.Columns = typedColumns(f.cat.Composites[opts.OfType], pos)
	}
	var cons []conSpec
	var errs schema.ErrorList
	var seqs []*schema.Sequence
	copied := map[*schema.Column]bool{}
	for _, e := range cs.TableElts {
		switch x := e.Node.(type) {
		case *pg_query.Node_ColumnDef:
			cd := x.ColumnDef
			if parent != nil || opts.IsTyped() {
				cc, err := f.columnOptions(st, t, cd)
				addErr(&errs, err)
				cons = append(cons, cc...)
				continue
			}
			if t.Column(cd.Colname) != nil {
				errs.Add(f.at(st, cd.Location), "column %s specified more than once", schema.QuoteIdent(cd.Colname))
				continue
			}
			col, cc, seq, err := f.column(st, t, cd, types[cd], serials[cd], seqs)
			if err != nil {
				addErr(&errs, err)
				continue
			}
			t.Columns = append(t.Columns, col)
			cons = append(cons, cc...)
			if seq != nil {
				seqs = append(seqs, seq)
			}
		case *pg_query.Node_Constraint:
			cons = append(cons, conSpec{node: x.Constraint})
		case *pg_query.Node_TableLikeClause:
			for _, col := range likes[x.TableLikeClause].cols {
				if t.Column(col.Name) != nil {
					errs.Add(col.Pos, "column %s specified more than once", schema.QuoteIdent(col.Name))
					continue
				}
				t.Columns = append(t.Columns, col)
				copied[col] = true
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for _, c := range t.Columns {
		if !copied[c] { // a copy's expression is canonical already
			f.canonicalGenerated(st, c, t)
		}
	}
	if err := f.mergeInherited(st, t); err != nil {
		return err
	}
	for _, c := range t.Columns {
		f.dropNullDefault(c)
	}
	if err := f.attachUsing(t); err != nil {
		return err
	}
	f.dropToastParams(st, t)
	f.cat.Tables[q] = t
	for _, s := range seqs {
		f.cat.Sequences[s.Name] = s
	}
	if parent != nil {
		f.cloneIndexes(parent, t)
	}
	return f.addConstraintsAndLikes(st, t, dedupKeys(cons), cs, likes)
}

// addConstraintsAndLikes adds the table's constraints and what its LIKE
// clauses copy beyond columns in PostgreSQL's order (transformCreateStmt):
// its own CHECKs and keys first, so that they get the plain names, then
// each LIKE's copies, then foreign keys, which may reference a copied key.
func (f *folder) addConstraintsAndLikes(st *stmt, t *schema.Table, cons []conSpec, cs *pg_query.CreateStmt, likes map[*pg_query.TableLikeClause]*likeClause) error {
	var fks []conSpec
	own := cons[:0:0]
	for _, c := range cons {
		if c.node.Contype == pg_query.ConstrType_CONSTR_FOREIGN {
			fks = append(fks, c)
		} else {
			own = append(own, c)
		}
	}
	if err := f.addConstraints(st, t, own); err != nil {
		return err
	}
	for _, e := range cs.TableElts {
		if l := likes[e.GetTableLikeClause()]; l != nil {
			if err := f.expandLike(st, t, l); err != nil {
				return err
			}
		}
	}
	return f.addConstraints(st, t, fks)
}

// addErr appends err, which may itself be a list, to l.
func addErr(l *schema.ErrorList, err error) {
	var list schema.ErrorList
	var se *schema.Error
	switch {
	case err == nil:
	case errors.As(err, &list):
		*l = append(*l, list...)
	case errors.As(err, &se):
		*l = append(*l, se)
	default:
		*l = append(*l, &schema.Error{Msg: err.Error(), Err: err})
	}
}

// column builds a column from its definition. It returns the constraints
// written inside it (to be named with the table's) and, for serial, the
// sequence to create. pendingSeqs are sequences already chosen for earlier
// columns of the same statement.
func (f *folder) column(st *stmt, t *schema.Table, cd *pg_query.ColumnDef, typ schema.TypeName, serial string, pendingSeqs []*schema.Sequence) (*schema.Column, []conSpec, *schema.Sequence, error) {
	col := &schema.Column{Name: cd.Colname, Pos: f.at(st, cd.Location)}
	col.Type = typ
	if cd.CollClause != nil {
		col.Collation = collationName(cd.CollClause.Collname)
	}
	var cons []conSpec
	for _, n := range cd.Constraints {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_NULL:
			col.NotNull = false
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_DEFAULT:
			d, src, err := f.canonicalDefault(st, c.RawExpr, col.Type, nil)
			if err != nil {
				return nil, nil, nil, err
			}
			setColumnDefault(col, c.RawExpr, d, src)
		case pg_query.ConstrType_CONSTR_IDENTITY:
			if err := f.setIdentity(st, col, c); err != nil {
				return nil, nil, nil, err
			}
		case pg_query.ConstrType_CONSTR_GENERATED:
			g, err := deparseExpr(c.RawExpr)
			if err != nil {
				return nil, nil, nil, f.errorf(f.at(st, c.Location), "generated expression: %v", err)
			}
			// Normalized with the table's column types once they are all
			// known (normalizeGenerated); this is the text as written.
			col.Generated = g
		case pg_query.ConstrType_CONSTR_CHECK, pg_query.ConstrType_CONSTR_PRIMARY,
			pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_FOREIGN:
			cons = append(cons, conSpec{node: c, col: cd.Colname})
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
			pg_query.ConstrType_CONSTR_ATTR_DEFERRED, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
			// In a column definition these qualify the constraint before
			// them (transformConstraintAttrs).
			if len(cons) == 0 || cons[len(cons)-1].node.Contype == pg_query.ConstrType_CONSTR_CHECK {
				return nil, nil, nil, f.errorf(f.at(st, c.Location), "misplaced %s clause", strings.TrimPrefix(c.Contype.String(), "CONSTR_ATTR_"))
			}
			prev := proto.Clone(cons[len(cons)-1].node).(*pg_query.Constraint)
			switch c.Contype {
			case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
				prev.Deferrable = true
			case pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
				prev.Deferrable, prev.Initdeferred = false, false
			case pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
				prev.Deferrable, prev.Initdeferred = true, true
			case pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
				prev.Initdeferred = false
			}
			cons[len(cons)-1].node = prev
		default:
			return nil, nil, nil, f.errorf(f.at(st, c.Location), "unsupported column constraint %s", strings.TrimPrefix(c.Contype.String(), "CONSTR_"))
		}
	}
	var seq *schema.Sequence
	if serial != "" {
		if col.Default != "" || col.Identity != schema.IdentityNone {
			return nil, nil, nil, f.errorf(col.Pos, "multiple default values specified for column %s of table %s", schema.QuoteIdent(col.Name), schema.QuoteIdent(t.Name.Name))
		}
		taken := f.relationTaken(t.Name.Schema, false)
		name := chooseName(t.Name.Name, col.Name, "seq", func(s string) bool {
			if taken(s) || s == t.Name.Name {
				return true
			}
			for _, p := range pendingSeqs {
				if p.Name.Name == s {
					return true
				}
			}
			return false
		})
		seq = &schema.Sequence{Name: schema.QualifiedName{Schema: t.Name.Schema, Name: name}, Pos: col.Pos}
		seq.SequenceDef = defaultSequence(serial, 1)
		seq.OwnedBy = schema.ColumnRef{Table: t.Name, Column: col.Name}
		col.NotNull = true
		col.Default, col.DefaultSrc = nextvalText(seq.Name), ""
	}
	return col, cons, seq, nil
}

// nextvalText is the canonical default of a serial column.
func nextvalText(seq schema.QualifiedName) string {
	return "nextval(" + schema.QuoteLiteral(seq.String()) + "::regclass)"
}

// collationName renders a COLLATE clause's name; the built-in collations
// live in pg_catalog, so "C" and pg_catalog."C" are the same.
func collationName(names []*pg_query.Node) string {
	parts := strs(names)
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	for i, p := range parts {
		parts[i] = schema.QuoteIdent(p)
	}
	return strings.Join(parts, ".")
}

// dedupKeys drops a UNIQUE constraint of a CREATE TABLE that repeats the
// primary key or an earlier UNIQUE on the same columns, and an EXCLUDE
// that repeats an earlier one, as PostgreSQL's transformIndexConstraints
// does (only one index is built; index options do not tell them apart); a
// name given to the duplicate passes to the unnamed original.
func dedupKeys(cons []conSpec) []conSpec {
	type key struct {
		cols, incl                    string
		nnd, deferrable, initdeferred bool
	}
	keyOf := func(cs conSpec) key {
		cols := strs(cs.node.Keys)
		if cs.col != "" {
			cols = []string{cs.col}
		}
		if cs.node.Contype == pg_query.ConstrType_CONSTR_EXCLUSION {
			cols = []string{"EXCLUDE", exclusionKey(cs.node)}
		}
		return key{strings.Join(cols, "\x00"), strings.Join(strs(cs.node.Including), "\x00"),
			cs.node.NullsNotDistinct, cs.node.Deferrable, cs.node.Initdeferred}
	}
	isKey := func(cs conSpec) bool {
		switch cs.node.Contype {
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_EXCLUSION:
			return true
		}
		return false
	}
	// The primary key is built first and wins over any UNIQUE.
	var order []int
	for i, cs := range cons {
		if cs.node.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			order = append(order, i)
		}
	}
	for i, cs := range cons {
		if cs.node.Contype != pg_query.ConstrType_CONSTR_PRIMARY && isKey(cs) {
			order = append(order, i)
		}
	}
	seen := map[key]int{}
	drop := map[int]bool{}
	for _, i := range order {
		k := keyOf(cons[i])
		if prior, ok := seen[k]; ok {
			drop[i] = true
			if cons[prior].node.Conname == "" && cons[i].node.Conname != "" {
				n := proto.Clone(cons[prior].node).(*pg_query.Constraint)
				n.Conname = cons[i].node.Conname
				cons[prior].node = n
			}
			continue
		}
		seen[k] = i
	}
	var out []conSpec
	for i, cs := range cons {
		if !drop[i] || !isKey(cs) {
			out = append(out, cs)
		}
	}
	return out
}

// addConstraints names and adds constraints in the order PostgreSQL
// creates them, which decides the numeric suffixes of generated names:
// CHECK constraints first, then the primary key, then other index-backed
// constraints, then foreign keys, each group in written order.
func (f *folder) addConstraints(st *stmt, t *schema.Table, cons []conSpec) error {
	rank := func(c *pg_query.Constraint) int {
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_CHECK:
			return 0
		case pg_query.ConstrType_CONSTR_PRIMARY:
			return 1
		case pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_EXCLUSION:
			return 2
		}
		return 3
	}
	var errs schema.ErrorList
	for r := 0; r <= 3; r++ {
		for _, cs := range cons {
			if rank(cs.node) != r {
				continue
			}
			addErr(&errs, f.addConstraint(st, t, cs))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// markNewConstraintsValid clears NOT VALID from the CHECK and FOREIGN KEY
// constraints of CREATE TABLE cs, as PostgreSQL does (parse_utilcmd.c,
// transformCheckConstraints and transformFKConstraints): a new table has
// no rows to check, so they are valid whatever was written. A foreign
// table's keep it: the server cannot check their remote rows.
func markNewConstraintsValid(cs *pg_query.CreateStmt) {
	mark := func(n *pg_query.Node) {
		if c := n.GetConstraint(); c != nil &&
			(c.Contype == pg_query.ConstrType_CONSTR_CHECK || c.Contype == pg_query.ConstrType_CONSTR_FOREIGN) {
			c.SkipValidation, c.InitiallyValid = false, true
		}
	}
	for _, e := range cs.TableElts {
		mark(e)
		if cd := e.GetColumnDef(); cd != nil {
			for _, c := range cd.Constraints {
				mark(c)
			}
		}
	}
}

// addConstraint builds one constraint, names it if needed and adds it to t.
// It normalizes the statement's own node in place instead of a copy (a
// deep copy per constraint was a large share of folding): no statement is
// folded again once it reaches this point, since every missing-object
// error comes before the catalog changes.
func (f *folder) addConstraint(st *stmt, t *schema.Table, cs conSpec) error {
	c := cs.node
	pos := f.at(st, c.Location)
	con := &schema.Constraint{Pos: pos}
	str := func(names ...string) []*pg_query.Node {
		var out []*pg_query.Node
		for _, n := range names {
			out = append(out, pg_query.MakeStrNode(n))
		}
		return out
	}
	// ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's,
	// which takes its columns and options (usingIndex checks and fills c).
	var ix *schema.Index
	if c.Indexname != "" {
		var err error
		if ix, err = f.usingIndex(st, t, c); err != nil {
			return err
		}
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
		con.Kind = schema.Unique
		if c.Contype == pg_query.ConstrType_CONSTR_PRIMARY {
			con.Kind = schema.PrimaryKey
			if t.PrimaryKey() != nil {
				return f.errorf(pos, "multiple primary keys for table %s are not allowed", schema.QuoteIdent(t.Name.Name))
			}
		}
		if cs.col != "" {
			c.Keys = str(cs.col)
		}
		con.Columns = strs(c.Keys)
	case pg_query.ConstrType_CONSTR_CHECK:
		con.Kind = schema.Check
		con.NotValid = c.SkipValidation
		// The user's text is taken before normalizeExpr rewrites the node.
		src, err := validConstraintDef(c)
		if err != nil {
			return f.errorf(pos, "constraint: %v", err)
		}
		con.Src = src
		normalizeExpr(c.RawExpr, tableTypes(t))
		con.Columns = columnRefs(c.RawExpr)
	case pg_query.ConstrType_CONSTR_FOREIGN:
		con.Kind = schema.ForeignKey
		if cs.col != "" {
			c.FkAttrs = str(cs.col)
		}
		con.Columns = strs(c.FkAttrs)
		con.RefTable = rangeVarName(c.Pktable)
		con.RefColumns = strs(c.PkAttrs)
		c.Pktable = rangeVar(con.RefTable)
		con.NotValid = c.SkipValidation
		if len(con.RefColumns) == 0 && con.RefTable == t.Name {
			// A self-reference resolves against the table as it is now.
			if pk := t.PrimaryKey(); pk != nil {
				con.RefColumns = pk.Columns
				c.PkAttrs = str(pk.Columns...)
			}
		}
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		con.Kind = schema.Exclude
		// The user's text is taken before exclusionColumns normalizes the
		// node.
		src, err := constraintDef(c)
		if err != nil {
			return f.errorf(pos, "constraint: %v", err)
		}
		con.Src = src
		con.Columns = exclusionColumns(t, c)
	default:
		return f.errorf(pos, "unsupported constraint %s", strings.TrimPrefix(c.Contype.String(), "CONSTR_"))
	}
	if err := f.constraintColumnsExist(pos, t, c, con.Columns); err != nil {
		return err
	}
	con.Name = c.Conname
	if con.Name == "" {
		con.Name = f.chooseConstraintName(t, con, c)
	} else if t.Constraint(con.Name) != nil {
		return f.errorf(pos, "constraint %s for relation %s already exists", schema.QuoteIdent(con.Name), schema.QuoteIdent(t.Name.Name))
	} else if hasIndex(con.Kind) && (ix == nil || con.Name != ix.Name.Name) && f.relationTaken(t.Name.Schema, false)(con.Name) {
		return f.errorf(pos, "relation %s already exists", schema.QuoteIdent(con.Name))
	}
	normalizeOptions(c.Options)
	c.SkipValidation = false
	c.InitiallyValid = true
	def, err := constraintDef(c)
	if err != nil {
		return f.errorf(pos, "constraint: %v", err)
	}
	con.Def = def
	if con.Src == def {
		con.Src = ""
	}
	if con.Kind == schema.PrimaryKey {
		for _, name := range con.Columns {
			t.Column(name).NotNull = true
		}
	}
	if ix != nil {
		// The index is the constraint's now, renamed to its name when they
		// differ (PostgreSQL's NOTICE "... will rename index").
		delete(f.cat.Indexes, ix.Name)
		if ix.Comment != "" {
			f.warn(st, "the comment on index "+schema.QuoteIdent(ix.Name.Name)+" stays on the index of constraint "+
				schema.QuoteIdent(con.Name)+", where ddlmig does not manage it")
		}
	}
	t.Constraints = append(t.Constraints, con)
	f.noteTable(t)
	return nil
}

// constraintColumnsExist refuses a constraint naming a column t does not
// have, with PostgreSQL's wording for its kind.
func (f *folder) constraintColumnsExist(pos schema.Pos, t *schema.Table, c *pg_query.Constraint, cols []string) error {
	for _, col := range cols {
		if t.Column(col) != nil || f.inheritedColumn(t, col) != nil {
			continue
		}
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_FOREIGN:
			return f.errorf(pos, "column %s referenced in foreign key constraint does not exist", schema.QuoteIdent(col))
		case pg_query.ConstrType_CONSTR_PRIMARY, pg_query.ConstrType_CONSTR_UNIQUE:
			return f.errorf(pos, "column %s named in key does not exist", schema.QuoteIdent(col))
		case pg_query.ConstrType_CONSTR_EXCLUSION:
			// An element that is a column is "named in key"; a column
			// in an expression or the predicate is merely missing.
			for _, ex := range c.Exclusions {
				if items := ex.GetList().GetItems(); len(items) > 0 && items[0].GetIndexElem().GetName() == col {
					return f.errorf(pos, "column %s named in key does not exist", schema.QuoteIdent(col))
				}
			}
			return f.errorf(pos, "column %s does not exist", schema.QuoteIdent(col))
		case pg_query.ConstrType_CONSTR_CHECK:
			return f.errorf(pos, "column %s does not exist", schema.QuoteIdent(col))
		}
	}
	return nil
}

// exclusionColumns normalizes the elements and predicate of an EXCLUDE
// constraint of t in place and returns the columns they mention.
func exclusionColumns(t *schema.Table, c *pg_query.Constraint) []string {
	var cols []string
	for _, ex := range c.Exclusions {
		items := ex.GetList().GetItems()
		if len(items) > 0 {
			if ie := items[0].GetIndexElem(); ie != nil {
				normalizeIndexElem(ie)
				normalizeExpr(ie.Expr, tableTypes(t))
				if ie.Name != "" {
					cols = appendUnique(cols, ie.Name)
				}
				for _, r := range columnRefs(ie.Expr) {
					cols = appendUnique(cols, r)
				}
			}
		}
	}
	normalizeExpr(c.WhereClause, tableTypes(t))
	for _, r := range columnRefs(c.WhereClause) {
		cols = appendUnique(cols, r)
	}
	return cols
}

// chooseConstraintName gives an unnamed constraint the name PostgreSQL
// would: table_columns_label with numeric suffixes, truncated to 63 bytes.
func (f *folder) chooseConstraintName(t *schema.Table, con *schema.Constraint, c *pg_query.Constraint) string {
	sch, tab := t.Name.Schema, t.Name.Name
	switch con.Kind {
	case schema.PrimaryKey:
		return chooseName(tab, "", "pkey", f.relationTaken(sch, true))
	case schema.Unique:
		cols := strs(c.Keys)
		cols = append(cols, strs(c.Including)...)
		return chooseName(tab, nameAddition(indexColumnNamesStr(cols)), "key", f.relationTaken(sch, true))
	case schema.Exclude:
		var elems []*pg_query.Node
		for _, ex := range c.Exclusions {
			if items := ex.GetList().GetItems(); len(items) > 0 {
				elems = append(elems, items[0])
			}
		}
		elems = append(elems, c.Including...)
		return chooseName(tab, nameAddition(indexColumnNames(elems)), "excl", f.relationTaken(sch, true))
	case schema.ForeignKey:
		return chooseName(tab, nameAddition(con.Columns), "fkey", f.constraintTaken(sch))
	}
	// CHECK: "tab_col_check" when the expression mentions exactly one
	// column, "tab_check" otherwise (AddRelationNewConstraints).
	col := ""
	if len(con.Columns) == 1 {
		col = con.Columns[0]
	}
	return chooseName(tab, col, "check", f.constraintTaken(sch))
}

func indexColumnNamesStr(cols []string) []string {
	var nodes []*pg_query.Node
	for _, c := range cols {
		nodes = append(nodes, pg_query.MakeStrNode(c))
	}
	return indexColumnNames(nodes)
}

// constraintPrefix is cut from the deparsed ALTER TABLE to leave the
// definition that follows "CONSTRAINT name".
const constraintPrefix = "ALTER TABLE x ADD CONSTRAINT c "

// constraintDef renders a normalized constraint node as canonical text.
// It sets the name and match type for the deparse and puts them back
// rather than copying the node: a deep copy per constraint was a large
// share of folding's time and memory.
func constraintDef(c *pg_query.Constraint) (string, error) {
	if c.Contype == pg_query.ConstrType_CONSTR_EXCLUSION && c.WhereClause != nil &&
		(c.Including != nil || c.Options != nil || c.Indexspace != "") {
		return exclusionDef(c)
	}
	return deparseConstraint(c)
}

// exclusionDef renders an EXCLUDE constraint with a predicate and INCLUDE,
// WITH or USING INDEX TABLESPACE. pg_query's deparser prints the predicate
// first, which PostgreSQL's grammar refuses (syntax error at or near
// "WITH"); it goes after them, before DEFERRABLE and INITIALLY.
func exclusionDef(c *pg_query.Constraint) (string, error) {
	where, deferrable, deferred := c.WhereClause, c.Deferrable, c.Initdeferred
	defer func() { c.WhereClause, c.Deferrable, c.Initdeferred = where, deferrable, deferred }()
	c.WhereClause = nil
	full, err := deparseConstraint(c)
	if err != nil {
		return "", err
	}
	c.Deferrable, c.Initdeferred = false, false
	head, err := deparseConstraint(c)
	if err != nil {
		return "", err
	}
	w, err := deparseExpr(where)
	if err != nil {
		return "", err
	}
	tail, ok := strings.CutPrefix(full, head)
	if !ok {
		return "", errors.New("cannot place the predicate of " + full)
	}
	return head + " WHERE (" + w + ")" + tail, nil
}

// deparseConstraint is constraintDef for any constraint.
func deparseConstraint(c *pg_query.Constraint) (string, error) {
	name, match := c.Conname, c.FkMatchtype
	defer func() { c.Conname, c.FkMatchtype = name, match }()
	c.Conname = "c"
	if c.FkMatchtype == "s" {
		c.FkMatchtype = ""
	}
	at := &pg_query.AlterTableStmt{
		Relation: &pg_query.RangeVar{Relname: "x", Inh: true, Relpersistence: "p"},
		Objtype:  pg_query.ObjectType_OBJECT_TABLE,
		Cmds: []*pg_query.Node{{Node: &pg_query.Node_AlterTableCmd{AlterTableCmd: &pg_query.AlterTableCmd{
			Subtype: pg_query.AlterTableType_AT_AddConstraint,
			Def:     &pg_query.Node{Node: &pg_query.Node_Constraint{Constraint: c}},
		}}}},
	}
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_AlterTableStmt{AlterTableStmt: at}})
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, constraintPrefix), nil
}

// validConstraintDef is constraintDef without NOT VALID, which is not part
// of Def or Src (Constraint.NotValid says it).
func validConstraintDef(c *pg_query.Constraint) (string, error) {
	skip, valid := c.SkipValidation, c.InitiallyValid
	defer func() { c.SkipValidation, c.InitiallyValid = skip, valid }()
	c.SkipValidation, c.InitiallyValid = false, true
	return constraintDef(c)
}

// parseConstraintDef parses canonical constraint text back into a node so
// that it can be rewritten (a column or table renamed) and rendered again.
func parseConstraintDef(def string) (*pg_query.Constraint, error) {
	tree, err := pgdecode.Parse(constraintPrefix + def)
	if err != nil {
		return nil, err
	}
	return tree.Stmts[0].Stmt.GetAlterTableStmt().Cmds[0].GetAlterTableCmd().Def.GetConstraint(), nil
}

// rewriteConstraint applies fn to a constraint's parsed definition and
// stores the rendered result, in both its texts: the one compared and the
// user's, which migrations write.
func rewriteConstraint(con *schema.Constraint, fn func(c *pg_query.Constraint)) {
	rewriteExprs(&con.Def, &con.Src, func(s string) string { return rewriteConstraintText(s, fn) })
}

// rewriteConstraintText is rewriteConstraint for one text: def unchanged
// when it does not parse or render back.
func rewriteConstraintText(def string, fn func(c *pg_query.Constraint)) string {
	c, err := parseConstraintDef(def)
	if err != nil {
		return def
	}
	fn(c)
	if out, err := constraintDef(c); err == nil {
		return out
	}
	return def
}

// Tables go with their constraints, indexes, triggers, partitions and
// owned sequences; columns and constraints with their table.
func init() {
	registerKind("table", kindParser{dropCascade: func(f *folder, st *stmt, o schema.Object) {
		_ = f.dropTable(st, o.Name, true, true)
	}})
	registerKind("column", kindParser{})
	registerKind("constraint", kindParser{})
}

// exclusionKey is what tells two EXCLUDE constraints apart for
// transformIndexConstraints: their access method, elements and operators,
// and WHERE clause; not their name, index options or tablespace.
func exclusionKey(c *pg_query.Constraint) string {
	n := proto.Clone(c).(*pg_query.Constraint)
	n.Conname, n.Options, n.Indexspace = "", nil, ""
	if n.AccessMethod == "" {
		n.AccessMethod = "btree"
	}
	unknownLocations(n.ProtoReflect())
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(n)
	return string(b)
}
