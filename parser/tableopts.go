package parser

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// createTableOptions reads what CREATE TABLE says besides columns and
// constraints into o: UNLOGGED, WITH (...), PARTITION BY, PARTITION OF and
// INHERITS. It changes nothing in the catalog, so that a missing parent
// defers the statement; parent is the table of PARTITION OF, or nil.
// tableAccessMethod refuses SET default_table_access_method to another
// method than heap, as pg_dump writes it before a table that uses one:
// the tables after it would be folded, and created, as heap.
func (f *folder) tableAccessMethod(st *stmt, vs *pg_query.VariableSetStmt) error {
	if !strings.EqualFold(vs.Name, "default_table_access_method") || vs.Kind != pg_query.VariableSetKind_VAR_SET_VALUE || len(vs.Args) != 1 {
		return nil
	}
	c := vs.Args[0].GetAConst()
	if am := c.GetSval().GetSval(); am != "heap" {
		return f.unsupportedf(st.pos, "SET default_table_access_method = %s (a table access method other than heap is not modelled; the tables after it would be created as heap)", schema.QuoteIdent(am))
	}
	return nil
}

func (f *folder) createTableOptions(st *stmt, cs *pg_query.CreateStmt) (o schema.TableOptions, parent *schema.Table, err error) {
	switch cs.Relation.Relpersistence {
	case "u":
		o.Unlogged = true
	case "t":
		return o, nil, f.unsupportedf(st.pos, "CREATE TEMPORARY TABLE")
	}
	if cs.OfTypename != nil {
		ct, err := f.ofType(st, cs.OfTypename)
		if err != nil {
			return o, nil, err
		}
		o.OfType = ct.Name
	}
	if am := cs.AccessMethod; am != "" && am != "heap" {
		return o, nil, f.unsupportedf(st.pos, "CREATE TABLE ... USING %s (a table access method other than heap is not modelled; without this refusal the table would be created as heap)", schema.QuoteIdent(am))
	}
	if o.StorageParams, err = f.setStorageParams("", cs.Options, st); err != nil {
		return o, nil, err
	}
	if cs.Partspec != nil {
		if o.PartitionBy, err = partitionBy(cs.Partspec); err != nil {
			return o, nil, f.errorf(st.pos, "partition key: %v", err)
		}
	}
	if cs.Partbound != nil {
		if len(cs.InhRelations) != 1 {
			return o, nil, f.errorf(st.pos, "a partition has one parent")
		}
		pq := rangeVarName(cs.InhRelations[0].GetRangeVar())
		parent = f.cat.Tables[pq]
		if parent == nil {
			return o, nil, f.missingf(f.at(st, cs.InhRelations[0].GetRangeVar().Location), "relation %s does not exist", pq)
		}
		if parent.Options.PartitionBy == "" {
			return o, nil, f.errorf(st.pos, "table %s is not partitioned", pq)
		}
		o.PartitionOf = pq
		if o.PartitionBound, o.PartitionBoundSrc, err = storedBound(parent, cs.Partbound); err != nil {
			return o, nil, f.errorf(st.pos, "partition bound: %v", err)
		}
		return o, parent, nil
	}
	if len(cs.InhRelations) > 0 {
		o.Inherits, err = f.inheritsParents(st, cs.InhRelations)
	}
	return o, nil, err
}

// partitionColumns gives a partition its parent's columns: they are the
// parent's (ALTER TABLE on the parent changes them), so a partition keeps
// copies only so that indexes and expressions on it can resolve them.
// Comments are not inherited.
func partitionColumns(parent *schema.Table) []*schema.Column {
	out := make([]*schema.Column, 0, len(parent.Columns))
	for _, c := range parent.Columns {
		cp := *c
		// Comments and statistics targets are not inherited: a new
		// partition starts without them.
		cp.Comment, cp.Statistics = "", ""
		out = append(out, &cp)
	}
	return out
}

// syncPartitions copies every partitioned table's columns into its
// partitions again, after statements on the parent may have changed them.
func (f *folder) syncPartitions() {
	for q, t := range f.cat.Tables {
		// Partitions whose parent was dropped went with it.
		if t.Options.IsPartition() && f.cat.Tables[t.Options.PartitionOf] == nil {
			delete(f.cat.Tables, q)
		}
	}
	for _, t := range f.cat.Tables {
		if !t.Options.IsPartition() {
			continue
		}
		parent := f.cat.Tables[t.Options.PartitionOf]
		if parent == nil {
			continue
		}
		old := columnMap(t)
		t.Columns = partitionColumns(parent)
		for _, c := range t.Columns {
			if o := old[c.Name]; o != nil {
				c.Comment, c.Statistics = o.Comment, o.Statistics
				// A partition may hold NOT NULL where its parent does not
				// (its own declaration, SET NOT NULL, its primary key).
				c.NotNull = c.NotNull || o.NotNull
			}
		}
	}
}

func columnMap(t *schema.Table) map[string]*schema.Column {
	m := make(map[string]*schema.Column, len(t.Columns))
	for _, c := range t.Columns {
		m[c.Name] = c
	}
	return m
}

// dropPartitionNotNull drops NOT NULL from column col of the partitions of
// t, and theirs, as ALTER TABLE ... DROP NOT NULL on t does.
func (f *folder) dropPartitionNotNull(t *schema.Table, col string) {
	for _, part := range f.partitionsOf(t.Name) {
		if c := part.Column(col); c != nil {
			c.NotNull = false
			f.dropPartitionNotNull(part, col)
		}
	}
}

// columnOptions folds a column definition of CREATE TABLE ... PARTITION
// OF parent (col NOT NULL, col CHECK (...), ...) into the partition's copy
// of the parent's column, or one of CREATE TABLE ... OF type (col WITH
// OPTIONS ...) into the typed table's column: what PostgreSQL lets such a
// table add, a default too on a typed table. The constraints written in
// it are returned to be added with the table's.
func (f *folder) columnOptions(st *stmt, t *schema.Table, cd *pg_query.ColumnDef) ([]conSpec, error) {
	col := t.Column(cd.Colname)
	if col == nil {
		return nil, f.errorf(f.at(st, cd.Location), "column %s does not exist", schema.QuoteIdent(cd.Colname))
	}
	typed := t.Options.IsTyped()
	var cons []conSpec
	for _, n := range cd.Constraints {
		c := n.GetConstraint()
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_NULL:
			// NULL does not undo the parent's NOT NULL (a typed table's
			// column starts without one).
		case pg_query.ConstrType_CONSTR_CHECK, pg_query.ConstrType_CONSTR_PRIMARY,
			pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_FOREIGN:
			cons = append(cons, conSpec{node: c, col: cd.Colname})
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if typed {
				d, src, err := f.canonicalDefault(st, c.RawExpr, col.Type, nil)
				if err != nil {
					return nil, err
				}
				setColumnDefault(col, c.RawExpr, d, src)
				continue
			}
			fallthrough
		default:
			what := strings.TrimPrefix(c.GetContype().String(), "CONSTR_")
			if typed {
				return nil, f.unsupportedf(f.at(st, cd.Location), "%s on column %s of typed table %s (NOT NULL, DEFAULT and constraints are supported; way out: CREATE TABLE with the columns spelled out)",
					what, schema.QuoteIdent(cd.Colname), t.Name)
			}
			return nil, f.errorf(f.at(st, cd.Location), "unsupported column option %s in CREATE TABLE ... PARTITION OF (NOT NULL and constraints are supported)", what)
		}
	}
	return cons, nil
}

// partitionBy renders a partition key as it follows PARTITION BY.
func partitionBy(ps *pg_query.PartitionSpec) (string, error) {
	cs := &pg_query.CreateStmt{Relation: rangeVar(schema.QualifiedName{Name: "x"}), Partspec: ps, Oncommit: pg_query.OnCommitAction_ONCOMMIT_NOOP}
	return deparseCreateAfter(cs, " PARTITION BY ")
}

// partitionBound renders a partition bound as it follows the parent's name
// in PARTITION OF: "FOR VALUES ..." or "DEFAULT".
func partitionBound(b *pg_query.PartitionBoundSpec) (string, error) {
	cs := &pg_query.CreateStmt{
		Relation:     rangeVar(schema.QualifiedName{Name: "x"}),
		InhRelations: []*pg_query.Node{{Node: &pg_query.Node_RangeVar{RangeVar: rangeVar(schema.QualifiedName{Name: "p"})}}},
		Partbound:    b,
		Oncommit:     pg_query.OnCommitAction_ONCOMMIT_NOOP,
	}
	return deparseCreateAfter(cs, " PARTITION OF p ")
}

// deparseCreateAfter deparses a stand-in CREATE TABLE and returns the text
// after marker: libpg_query prints clauses such as PARTITION BY only as part
// of a whole statement.
func deparseCreateAfter(cs *pg_query.CreateStmt, marker string) (string, error) {
	s, err := deparse(&pg_query.Node{Node: &pg_query.Node_CreateStmt{CreateStmt: cs}})
	if err != nil {
		return "", err
	}
	_, after, ok := strings.Cut(s, marker)
	if !ok {
		return "", errorString("no" + marker + "in " + s)
	}
	return after, nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

// setStorageParams applies WITH (...) or SET (...) items to the parameters
// in cur ("name=value, ..."), replacing a value in place and appending a
// new name, as PostgreSQL's transformRelOptions does.
func (f *folder) setStorageParams(cur string, items []*pg_query.Node, st *stmt) (string, error) {
	params := splitParams(cur)
	for _, n := range items {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		if d.Defnamespace != "" {
			name = strings.ToLower(d.Defnamespace) + "." + name
		}
		if name == "oids" {
			return "", f.errorf(st.pos, "tables declared WITH OIDS are not supported")
		}
		val := "true"
		if d.Arg != nil {
			v, ok := defArgString(d.Arg)
			if !ok {
				return "", f.errorf(f.at(st, d.Location), "unsupported value of storage parameter %s", name)
			}
			val = v
		}
		item := name + "=" + val
		if i := slices.IndexFunc(params, func(p string) bool { return paramName(p) == name }); i >= 0 {
			params[i] = item
		} else {
			params = append(params, item)
		}
	}
	return strings.Join(params, ", "), nil
}

// resetStorageParams removes the named parameters.
func resetStorageParams(cur string, items []*pg_query.Node) string {
	params := splitParams(cur)
	for _, n := range items {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		name := strings.ToLower(d.Defname)
		if d.Defnamespace != "" {
			name = strings.ToLower(d.Defnamespace) + "." + name
		}
		params = slices.DeleteFunc(params, func(p string) bool { return paramName(p) == name })
	}
	return strings.Join(params, ", ")
}

func splitParams(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

func paramName(item string) string {
	name, _, _ := strings.Cut(item, "=")
	return name
}

// defArgString is defGetString: the text PostgreSQL stores for an option
// value.
func defArgString(n *pg_query.Node) (string, bool) {
	switch x := n.Node.(type) {
	case *pg_query.Node_String_:
		return x.String_.Sval, true
	case *pg_query.Node_Integer:
		return strconv.Itoa(int(x.Integer.Ival)), true
	case *pg_query.Node_Float:
		return x.Float.Fval, true
	case *pg_query.Node_Boolean:
		return strconv.FormatBool(x.Boolean.Boolval), true
	case *pg_query.Node_TypeName:
		names := strs(x.TypeName.Names)
		return names[len(names)-1], true
	}
	return "", false
}

// alterTableOption folds the ALTER TABLE subcommands about table options,
// partitions and row level security. handled is false for any other
// subcommand.
func (f *folder) alterTableOption(st *stmt, t *schema.Table, cmd *pg_query.AlterTableCmd) (handled bool, err error) {
	o := &t.Options
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_EnableRowSecurity:
		o.RowSecurity = true
	case pg_query.AlterTableType_AT_DisableRowSecurity:
		o.RowSecurity = false
	case pg_query.AlterTableType_AT_ForceRowSecurity:
		o.ForceRowSecurity = true
	case pg_query.AlterTableType_AT_NoForceRowSecurity:
		o.ForceRowSecurity = false
	case pg_query.AlterTableType_AT_SetLogged:
		o.Unlogged = false
	case pg_query.AlterTableType_AT_SetUnLogged:
		o.Unlogged = true
	case pg_query.AlterTableType_AT_SetRelOptions:
		p, err := f.setStorageParams(o.StorageParams, cmd.Def.GetList().GetItems(), st)
		if err != nil {
			return true, err
		}
		o.StorageParams = p
		f.dropToastParams(st, t)
	case pg_query.AlterTableType_AT_ResetRelOptions:
		o.StorageParams = resetStorageParams(o.StorageParams, cmd.Def.GetList().GetItems())
	case pg_query.AlterTableType_AT_ReplicaIdentity:
		ri := cmd.Def.GetReplicaIdentityStmt()
		switch ri.GetIdentityType() {
		case "d":
			o.ReplicaIdentity = ""
		case "f":
			o.ReplicaIdentity = "FULL"
		case "n":
			o.ReplicaIdentity = "NOTHING"
		case "i":
			q := schema.QualifiedName{Schema: t.Name.Schema, Name: ri.Name}
			ix := f.cat.Indexes[q]
			con := t.Constraint(ri.Name)
			switch {
			case ix != nil && ix.Table == t.Name && ix.Unique:
			case con != nil && (con.Kind == schema.PrimaryKey || con.Kind == schema.Unique):
			case ix == nil && con == nil:
				return true, f.missingf(st.pos, "index %s for table %s does not exist", schema.QuoteIdent(ri.Name), schema.QuoteIdent(t.Name.Name))
			default:
				return true, f.errorf(st.pos, "index %s cannot be used as replica identity", schema.QuoteIdent(ri.Name))
			}
			o.ReplicaIdentity = "USING INDEX " + schema.QuoteIdent(ri.Name)
		}
	case pg_query.AlterTableType_AT_AddInherit, pg_query.AlterTableType_AT_DropInherit:
		return true, f.alterInherit(st, t, cmd)
	case pg_query.AlterTableType_AT_AttachPartition:
		return true, f.attachPartition(st, t, cmd.Def.GetPartitionCmd())
	case pg_query.AlterTableType_AT_DetachPartition:
		pc := cmd.Def.GetPartitionCmd()
		q := rangeVarName(pc.Name)
		child := f.cat.Tables[q]
		if child == nil || child.Options.PartitionOf != t.Name {
			return true, f.errorf(st.pos, "relation %s is not a partition of relation %s", q, t.Name)
		}
		// The partition becomes a table of its own. PostgreSQL leaves it
		// copies of the inherited constraints and indexes; the model keeps
		// only its own, which is exact when it is attached again (as ddlmig
		// does to change a bound).
		child.Options.PartitionOf, child.Options.PartitionBound, child.Options.PartitionBoundSrc = schema.QualifiedName{}, "", ""
		f.detachIndexes(t.Name, q)
		return true, nil
	default:
		return false, nil
	}
	return true, nil
}

// attachPartition folds ALTER TABLE parent ATTACH PARTITION child FOR
// VALUES ..., as pg_dump writes partitions: the child was created as a
// table of its own with the same columns, and becomes a partition. What it
// inherits from the parent (columns, and CHECK constraints of the same
// definition) is removed from it so that the model is the one of CREATE
// TABLE ... PARTITION OF.
func (f *folder) attachPartition(st *stmt, parent *schema.Table, pc *pg_query.PartitionCmd) error {
	q := rangeVarName(pc.Name)
	child := f.cat.Tables[q]
	if child == nil {
		return f.missingf(f.at(st, pc.Name.Location), "relation %s does not exist", q)
	}
	if parent.Options.PartitionBy == "" {
		return f.errorf(st.pos, "table %s is not partitioned", parent.Name)
	}
	if child.Options.IsPartition() {
		return f.errorf(st.pos, "%s is already a partition", q)
	}
	for _, c := range child.Columns {
		if parent.Column(c.Name) == nil {
			return f.errorf(st.pos, "table %s contains column %s not found in parent %s", q, schema.QuoteIdent(c.Name), parent.Name)
		}
	}
	bound, src, err := storedBound(parent, pc.Bound)
	if err != nil {
		return f.errorf(st.pos, "partition bound: %v", err)
	}
	child.Options.PartitionOf, child.Options.PartitionBound, child.Options.PartitionBoundSrc = parent.Name, bound, src
	kept := child.Constraints[:0]
	for _, c := range child.Constraints {
		if pc := parent.Constraint(c.Name); pc != nil && pc.Kind == c.Kind && pc.Def == c.Def {
			continue
		}
		kept = append(kept, c)
	}
	child.Constraints = nilIfEmpty(kept)
	f.syncPartitions()
	f.cloneIndexes(parent, child)
	return nil
}

// attachIndex folds ALTER INDEX parent_index ATTACH PARTITION child_index,
// which pg_dump writes for each partition's copy of a partitioned table's
// index: the copy is implied by the parent's index (or key constraint), so
// the model drops it.
func (f *folder) attachIndex(st *stmt, at *pg_query.AlterTableStmt) error {
	for _, n := range at.Cmds {
		if cmd := n.GetAlterTableCmd(); cmd.GetSubtype() != pg_query.AlterTableType_AT_AttachPartition {
			return f.unsupportedf(st.pos, "ALTER INDEX ... %s", words(strings.TrimPrefix(cmd.GetSubtype().String(), "AT_")))
		}
	}
	pq := rangeVarName(at.Relation)
	var parentTable *schema.Table
	if ix := f.cat.Indexes[pq]; ix != nil {
		parentTable = f.cat.Tables[ix.Table]
	} else if c := f.constraintIndex(pq); c != nil {
		parentTable = f.tableOfConstraint(pq.Schema, c)
	} else {
		return f.missingf(f.at(st, at.Relation.Location), "relation %s does not exist", pq)
	}
	for _, n := range at.Cmds {
		cmd := n.GetAlterTableCmd()
		pc := cmd.GetDef().GetPartitionCmd()
		if cmd.GetSubtype() != pg_query.AlterTableType_AT_AttachPartition || pc == nil {
			return f.unsupportedf(st.pos, "ALTER INDEX ... %s", words(strings.TrimPrefix(cmd.GetSubtype().String(), "AT_")))
		}
		cq := rangeVarName(pc.Name)
		if ix, pi := f.cat.Indexes[cq], f.cat.Indexes[pq]; ix != nil && pi != nil {
			if err := f.attachPlainIndex(st, pi, ix); err != nil {
				return err
			}
			continue
		}
		if ix := f.cat.Indexes[cq]; ix != nil {
			if child := f.cat.Tables[ix.Table]; child == nil || parentTable == nil || child.Options.PartitionOf != parentTable.Name {
				return f.errorf(st.pos, "index %s is not an index of a partition of %s", cq, pq)
			}
			delete(f.cat.Indexes, cq)
			continue
		}
		c := f.constraintIndex(cq)
		if c == nil {
			return f.missingf(f.at(st, pc.Name.Location), "relation %s does not exist", cq)
		}
		child := f.tableOfConstraint(cq.Schema, c)
		if parentTable == nil || child.Options.PartitionOf != parentTable.Name {
			return f.errorf(st.pos, "index %s is not an index of a partition of %s", cq, pq)
		}
		removeConstraint(child, c)
		child.Constraints = nilIfEmpty(child.Constraints)
	}
	return nil
}

// nilIfEmpty keeps a table without constraints in one shape, whatever
// removed them.
func nilIfEmpty(cs []*schema.Constraint) []*schema.Constraint {
	if len(cs) == 0 {
		return nil
	}
	return cs
}

func (f *folder) tableOfConstraint(sch string, c *schema.Constraint) *schema.Table {
	for tn, t := range f.cat.Tables {
		if tn.Schema == sch && slices.Contains(t.Constraints, c) {
			return t
		}
	}
	return nil
}

// policyCommands are CREATE POLICY's FOR clauses as pg_query spells them.
var policyCommands = map[string]string{"": "ALL", "all": "ALL", "select": "SELECT", "insert": "INSERT", "update": "UPDATE", "delete": "DELETE"}

func (f *folder) createPolicy(st *stmt, cp *pg_query.CreatePolicyStmt) error {
	q := rangeVarName(cp.Table)
	t := f.cat.Tables[q]
	if t == nil {
		return f.missingf(f.at(st, cp.Table.Location), "relation %s does not exist", q)
	}
	if t.Policy(cp.PolicyName) != nil {
		return f.errorf(st.pos, "policy %s for table %s already exists", schema.QuoteIdent(cp.PolicyName), schema.QuoteIdent(q.Name))
	}
	p := &schema.Policy{Name: cp.PolicyName, Pos: st.pos}
	p.Restrictive = !cp.Permissive
	p.Command = policyCommands[cp.CmdName]
	p.Roles = policyRoles(cp.Roles)
	if err := f.policyExprs(st, t, p, cp.Qual, cp.WithCheck); err != nil {
		return err
	}
	switch {
	case p.Command == "SELECT" || p.Command == "DELETE":
		if p.WithCheck != "" {
			return f.errorf(st.pos, "WITH CHECK cannot be applied to SELECT or DELETE")
		}
	case p.Command == "INSERT":
		if p.Using != "" {
			return f.errorf(st.pos, "only WITH CHECK expression allowed for INSERT")
		}
	}
	t.Policies = append(t.Policies, p)
	sortPolicies(t)
	return nil
}

func sortPolicies(t *schema.Table) {
	slices.SortStableFunc(t.Policies, func(a, b *schema.Policy) int { return strings.Compare(a.Name, b.Name) })
}

func (f *folder) alterPolicy(st *stmt, ap *pg_query.AlterPolicyStmt) error {
	q := rangeVarName(ap.Table)
	t := f.cat.Tables[q]
	if t == nil {
		return f.missingf(f.at(st, ap.Table.Location), "relation %s does not exist", q)
	}
	p := t.Policy(ap.PolicyName)
	if p == nil {
		return f.missingf(st.pos, "policy %s for table %s does not exist", schema.QuoteIdent(ap.PolicyName), schema.QuoteIdent(q.Name))
	}
	if len(ap.Roles) > 0 {
		p.Roles = policyRoles(ap.Roles)
	}
	np := *p
	np.Using, np.WithCheck = "", ""
	if err := f.policyExprs(st, t, &np, ap.Qual, ap.WithCheck); err != nil {
		return err
	}
	if ap.Qual != nil {
		p.Using, p.UsingSrc = np.Using, np.UsingSrc
	}
	if ap.WithCheck != nil {
		p.WithCheck, p.WithCheckSrc = np.WithCheck, np.WithCheckSrc
	}
	return nil
}

// policyExprs sets the canonical USING and WITH CHECK texts of p, and the
// user's own that a migration writes.
func (f *folder) policyExprs(st *stmt, t *schema.Table, p *schema.Policy, using, check *pg_query.Node) error {
	for _, e := range []struct {
		n        *pg_query.Node
		dst, src *string
	}{{using, &p.Using, &p.UsingSrc}, {check, &p.WithCheck, &p.WithCheckSrc}} {
		if e.n == nil {
			continue
		}
		src, err := deparseExpr(e.n)
		if err != nil {
			return f.errorf(st.pos, "policy expression: %v", err)
		}
		*e.src = src
		n := proto.Clone(e.n).(*pg_query.Node)
		normalizeExpr(n, tableTypes(t))
		s, err := deparseExpr(n)
		if err != nil {
			return f.errorf(st.pos, "policy expression: %v", err)
		}
		*e.dst = s
	}
	return nil
}

// policyRoles renders a TO clause: role names quoted and sorted, PUBLIC
// for none or when PUBLIC is listed (it covers every role).
func policyRoles(roles []*pg_query.Node) string {
	var out []string
	for _, n := range roles {
		r := n.GetRoleSpec()
		if r == nil {
			continue
		}
		switch r.Roletype {
		case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
			return "PUBLIC"
		case pg_query.RoleSpecType_ROLESPEC_CURRENT_ROLE:
			out = append(out, "CURRENT_ROLE")
		case pg_query.RoleSpecType_ROLESPEC_CURRENT_USER:
			out = append(out, "CURRENT_USER")
		case pg_query.RoleSpecType_ROLESPEC_SESSION_USER:
			out = append(out, "SESSION_USER")
		default:
			out = append(out, schema.QuoteIdent(r.Rolename))
		}
	}
	if len(out) == 0 {
		return "PUBLIC"
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ", ")
}

// dropPolicy folds DROP POLICY name ON table.
func (f *folder) dropPolicy(st *stmt, items []*pg_query.Node, missingOK bool) error {
	parts := strs(items)
	if len(parts) < 2 {
		return f.errorf(st.pos, "DROP POLICY needs a table")
	}
	q := listName(items[:len(items)-1])
	name := parts[len(parts)-1]
	t := f.cat.Tables[q]
	if t == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "relation %s does not exist", q)
	}
	p := t.Policy(name)
	if p == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "policy %s for table %s does not exist", schema.QuoteIdent(name), schema.QuoteIdent(q.Name))
	}
	t.Policies = slices.DeleteFunc(t.Policies, func(x *schema.Policy) bool { return x == p })
	return nil
}

// commentPolicy folds COMMENT ON POLICY name ON table.
func (f *folder) commentPolicy(st *stmt, items []*pg_query.Node, text string) error {
	parts := strs(items)
	if len(parts) < 2 {
		return f.errorf(st.pos, "COMMENT ON POLICY needs a table")
	}
	q := listName(items[:len(items)-1])
	t := f.cat.Tables[q]
	if t == nil {
		return f.missingf(st.pos, "relation %s does not exist", q)
	}
	p := t.Policy(parts[len(parts)-1])
	if p == nil {
		return f.missingf(st.pos, "policy %s for table %s does not exist", schema.QuoteIdent(parts[len(parts)-1]), schema.QuoteIdent(q.Name))
	}
	p.Comment = text
	return nil
}

// dropPartitionsOf drops the partitions of a dropped table, as DROP TABLE
// does.
func (f *folder) dropPartitionsOf(q schema.QualifiedName) {
	for cq, t := range f.cat.Tables {
		if t.Options.PartitionOf == q {
			delete(f.cat.Tables, cq)
			for iq, ix := range f.cat.Indexes {
				if ix.Table == cq {
					delete(f.cat.Indexes, iq)
				}
			}
			f.dropPartitionsOf(cq)
		}
	}
}

// Policies go with their table.
func init() { registerKind("policy", kindParser{}) }
