package parser

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// createOpFamily folds CREATE OPERATOR FAMILY.
func (f *folder) createOpFamily(st *stmt, cs *pg_query.CreateOpFamilyStmt) error {
	q, err := f.newName(st, cs.Opfamilyname)
	if err != nil {
		return err
	}
	fam := &schema.OpFamily{Name: q, Method: cs.Amname, Pos: st.pos}
	if f.cat.Operators.Families[fam.Signature()] != nil {
		return f.errorf(st.pos, "operator family %s already exists", fam.Signature())
	}
	f.cat.Operators.Families[fam.Signature()] = fam
	return nil
}

// createOpClass folds CREATE OPERATOR CLASS. Def is canonical: every
// operator and function qualified with its argument types (an operator
// written without them takes the class's type on both sides), members
// sorted, the family spelled out. A class without FAMILY is put in the
// family of its own name, which PostgreSQL creates when it does not
// exist. What a migration runs is the user's tree with the names
// qualified and FAMILY written out, after the family is created.
func (f *folder) createOpClass(st *stmt, cs *pg_query.CreateOpClassStmt) error {
	q, err := f.newName(st, cs.Opclassname)
	if err != nil {
		return err
	}
	c := &schema.OpClass{Name: q, Method: cs.Amname, Pos: st.pos}
	if f.cat.Operators.Classes[c.Signature()] != nil {
		return f.errorf(st.pos, "operator class %s already exists", c.Signature())
	}
	typ, err := f.aggregateType(st, cs.Datatype)
	if err != nil {
		return err
	}
	c.Types = appendName(c.Types, f.aggUserType(st, cs.Datatype))
	fam := q
	if len(cs.Opfamilyname) > 0 {
		fam = listName(cs.Opfamilyname)
		if len(cs.Opfamilyname) == 1 {
			fam.Schema = f.opFamilySchema(fam.Name, cs.Amname)
		}
		if f.cat.Operators.Families[schema.OpSignature(fam, cs.Amname)] == nil {
			return f.missingf(st.pos, "operator family %s does not exist for access method %s", fam, schema.QuoteIdent(cs.Amname))
		}
	}
	user := proto.Clone(cs).(*pg_query.CreateOpClassStmt)
	user.Opclassname = nameNodes(q)
	user.Opfamilyname = nameNodes(fam)
	members := make([]string, 0, len(user.Items))
	for _, n := range user.Items {
		m, err := f.opClassMember(st, c, typ, n.GetCreateOpClassItem())
		if err != nil {
			return err
		}
		members = append(members, m)
	}
	slices.SortStableFunc(members, compareMembers)
	def := ""
	if cs.IsDefault {
		def = "DEFAULT "
	}
	c.Def = def + "FOR TYPE " + typ + " FAMILY " + fam.String() + " AS " + strings.Join(members, ", ")
	if c.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_CreateOpClassStmt{CreateOpClassStmt: user}}); err != nil {
		return f.errorf(st.pos, "operator class: %v", err)
	}
	if famKey := schema.OpSignature(fam, cs.Amname); f.cat.Operators.Families[famKey] == nil {
		f.cat.Operators.Families[famKey] = &schema.OpFamily{Name: fam, Method: cs.Amname, Pos: st.pos}
	}
	f.cat.Operators.Classes[c.Signature()] = c
	return nil
}

// compareMembers orders canonical members by kind, then number.
func compareMembers(a, b string) int {
	ka, na := memberKey(a)
	kb, nb := memberKey(b)
	if ka != kb {
		return strings.Compare(ka, kb)
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(na, nb)
}

// memberKey splits "OPERATOR 3 ..." into its kind and number.
func memberKey(m string) (kind, num string) {
	fields := strings.SplitN(m, " ", 3)
	if len(fields) < 2 {
		return m, ""
	}
	return fields[0], fields[1]
}

// opClassMember makes one OPERATOR, FUNCTION or STORAGE item of CREATE
// OPERATOR CLASS canonical, qualifying its names in the user's tree and
// recording what the class names. A FUNCTION's (lefttype, righttype) is
// kept as written in Stmt and left out of Def: each index method
// derives it in its own way.
func (f *folder) opClassMember(st *stmt, c *schema.OpClass, typ string, it *pg_query.CreateOpClassItem) (string, error) {
	switch it.GetItemtype() {
	case 1: // OPERATOR
		left, right := typ, typ
		if args := it.Name.Objargs; len(args) == 2 {
			var err error
			if left, err = f.operatorArg(st, args[0]); err != nil {
				return "", err
			}
			if right, err = f.operatorArg(st, args[1]); err != nil {
				return "", err
			}
		}
		sig := f.memberOperator(strs(it.Name.Objname), left, right)
		if op := f.cat.Operators.Ops[sig]; op != nil {
			c.Ops = append(c.Ops, sig)
			it.Name.Objname = nameNodes(op.Name)
		}
		m := fmt.Sprintf("OPERATOR %d %s", it.Number, sig)
		if len(it.OrderFamily) > 0 {
			of := listName(it.OrderFamily)
			if len(it.OrderFamily) == 1 {
				of.Schema = f.opFamilySchema(of.Name, "btree")
			}
			it.OrderFamily = nameNodes(of)
			m += " FOR ORDER BY " + of.String()
		}
		return m, nil
	case 2: // FUNCTION
		fq := f.aggregateFunc(strs(it.Name.Objname))
		if fq.Schema != "pg_catalog" {
			c.Funcs = appendName(c.Funcs, fq)
		}
		it.Name.Objname = nameNodes(fq)
		var args []string
		for _, a := range it.Name.Objargs {
			t, err := f.aggregateType(st, a.GetTypeName())
			if err != nil {
				return "", err
			}
			args = append(args, t)
		}
		return fmt.Sprintf("FUNCTION %d %s(%s)", it.Number, fq, strings.Join(args, ", ")), nil
	case 3: // STORAGE
		t, err := f.aggregateType(st, it.Storedtype)
		if err != nil {
			return "", err
		}
		c.Types = appendName(c.Types, f.aggUserType(st, it.Storedtype))
		return "STORAGE " + t, nil
	}
	return "", f.errorf(st.pos, "unrecognized operator class item")
}

// memberOperator resolves the operator an operator class names: as
// written when qualified, else the first schema of the search path whose
// operator it is, else pg_catalog's.
func (f *folder) memberOperator(names []string, left, right string) string {
	if len(names) == 2 {
		return schema.OperatorSignature(schema.QualifiedName{Schema: names[0], Name: names[1]}, left, right)
	}
	for _, s := range f.searchPath() {
		sig := schema.OperatorSignature(schema.QualifiedName{Schema: s, Name: names[0]}, left, right)
		if f.cat.Operators.Ops[sig] != nil {
			return sig
		}
	}
	return schema.OperatorSignature(schema.QualifiedName{Schema: "pg_catalog", Name: names[0]}, left, right)
}

// opFamilySchema is the schema of the search path that has a family
// named name for method am; the creation schema when none has.
func (f *folder) opFamilySchema(name, am string) string {
	for _, s := range f.searchPath() {
		if f.cat.Operators.Families[schema.OpSignature(schema.QualifiedName{Schema: s, Name: name}, am)] != nil {
			return s
		}
	}
	return f.creationSchema()
}

// nameNodes is q as a qualified name list.
func nameNodes(q schema.QualifiedName) []*pg_query.Node {
	return []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
}

// opObject reads the object list of DROP, COMMENT ON and ALTER OPERATOR
// CLASS or FAMILY: the method first, then the name.
func (f *folder) opObject(n *pg_query.Node, classes bool) (key string, q schema.QualifiedName, am string) {
	items := strs(n.GetList().GetItems())
	if len(items) < 2 {
		return "", q, ""
	}
	am, q = items[0], listName(n.GetList().GetItems()[1:])
	if len(items) == 2 {
		for _, s := range f.searchPath() {
			q.Schema = s
			if k := schema.OpSignature(q, am); classes && f.cat.Operators.Classes[k] != nil || !classes && f.cat.Operators.Families[k] != nil {
				return k, q, am
			}
		}
		q.Schema = f.creationSchema()
	}
	return schema.OpSignature(q, am), q, am
}

// findOpClass returns the class n names, or an error at st.
func (f *folder) findOpClass(st *stmt, n *pg_query.Node) (*schema.OpClass, error) {
	key, q, am := f.opObject(n, true)
	if c := f.cat.Operators.Classes[key]; c != nil {
		return c, nil
	}
	return nil, f.missingf(st.pos, "operator class %s does not exist for access method %s", q, schema.QuoteIdent(am))
}

// findOpFamily returns the family n names, or an error at st.
func (f *folder) findOpFamily(st *stmt, n *pg_query.Node) (*schema.OpFamily, error) {
	key, q, am := f.opObject(n, false)
	if fam := f.cat.Operators.Families[key]; fam != nil {
		return fam, nil
	}
	return nil, f.missingf(st.pos, "operator family %s does not exist for access method %s", q, schema.QuoteIdent(am))
}

// removeOpClass forgets an operator class; its family stays, as
// PostgreSQL leaves it (even one CREATE OPERATOR CLASS made).
func (f *folder) removeOpClass(c *schema.OpClass) {
	delete(f.cat.Owners, c.Object())
	delete(f.cat.Operators.Classes, c.Signature())
}

// dropOpFamily folds DROP OPERATOR FAMILY, which drops its classes too.
func (f *folder) dropOpFamily(st *stmt, n *pg_query.Node, missingOK bool) error {
	fam, err := f.findOpFamily(st, n)
	if err != nil {
		var miss *missingError
		if missingOK && errors.As(err, &miss) {
			return nil
		}
		return err
	}
	famName := " FAMILY " + fam.Name.String() + " AS "
	for _, k := range schema.SortedKeys(f.cat.Operators.Classes) {
		if c := f.cat.Operators.Classes[k]; c.Method == fam.Method && strings.Contains(c.Def, famName) {
			f.removeOpClass(c)
		}
	}
	delete(f.cat.Owners, fam.Object())
	delete(f.cat.Operators.Families, fam.Signature())
	return nil
}

func init() {
	class, family := pg_query.ObjectType_OBJECT_OPCLASS, pg_query.ObjectType_OBJECT_OPFAMILY
	registerKind("operator class", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateOpClassStmt](): func(f *folder, st *stmt) error {
				return f.createOpClass(st, st.node.GetCreateOpClassStmt())
			},
			on[*pg_query.Node_DropStmt](class): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(o *pg_query.Node, missingOK, _ bool) error {
					c, err := f.findOpClass(st, o)
					var miss *missingError
					if err != nil && missingOK && errors.As(err, &miss) {
						return nil
					} else if err != nil {
						return err
					}
					f.removeOpClass(c)
					return nil
				})
			},
			on[*pg_query.Node_CommentStmt](class): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				c, err := f.findOpClass(st, cs.Object)
				if err != nil {
					return err
				}
				c.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](class): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					c, err := f.findOpClass(st, as.Object)
					if err != nil {
						return schema.Object{}, err
					}
					return c.Object(), nil
				})
			},
		},
	})
	registerKind("operator family", kindParser{
		stmts: map[stmtKey]func(*folder, *stmt) error{
			node[*pg_query.Node_CreateOpFamilyStmt](): func(f *folder, st *stmt) error {
				return f.createOpFamily(st, st.node.GetCreateOpFamilyStmt())
			},
			on[*pg_query.Node_DropStmt](family): func(f *folder, st *stmt) error {
				return f.dropEach(st, func(o *pg_query.Node, missingOK, _ bool) error { return f.dropOpFamily(st, o, missingOK) })
			},
			on[*pg_query.Node_CommentStmt](family): func(f *folder, st *stmt) error {
				cs := st.node.GetCommentStmt()
				fam, err := f.findOpFamily(st, cs.Object)
				if err != nil {
					return err
				}
				fam.Comment = cs.Comment
				return nil
			},
			on[*pg_query.Node_AlterOwnerStmt](family): func(f *folder, st *stmt) error {
				return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
					fam, err := f.findOpFamily(st, as.Object)
					if err != nil {
						return schema.Object{}, err
					}
					return fam.Object(), nil
				})
			},
		},
	})
}
