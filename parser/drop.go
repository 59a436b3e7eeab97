package parser

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

func (f *folder) drop(st *stmt, ds *pg_query.DropStmt) error {
	cascade := ds.Behavior == pg_query.DropBehavior_DROP_CASCADE
	var errs schema.ErrorList
	for _, obj := range ds.Objects {
		var err error
		if ok, err := f.dropRoutine(st, ds, obj); ok {
			addErr(&errs, err)
			continue
		}
		switch ds.RemoveType {
		case pg_query.ObjectType_OBJECT_TABLE:
			if err := f.relationKindError(st, f.cat.Tables[listName(obj.GetList().GetItems())], false); err != nil {
				addErr(&errs, err)
				continue
			}
			err = f.dropTable(st, listName(obj.GetList().GetItems()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_INDEX:
			err = f.dropIndex(st, listName(obj.GetList().GetItems()), ds.MissingOk)
		case pg_query.ObjectType_OBJECT_SEQUENCE:
			err = f.dropSequence(st, listName(obj.GetList().GetItems()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_TYPE:
			err = f.dropType(st, listName(obj.GetTypeName().GetNames()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_DOMAIN:
			err = f.dropDomain(st, listName(obj.GetTypeName().GetNames()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_SCHEMA:
			err = f.dropSchema(st, obj.GetString_().GetSval(), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_EXTENSION:
			name := obj.GetString_().GetSval()
			if f.cat.Extensions[name] == nil {
				if !ds.MissingOk && !ignoredExtensions[name] {
					err = f.missingf(st.pos, "extension %s does not exist", schema.QuoteIdent(name))
				}
				break
			}
			delete(f.cat.Extensions, name)
		case pg_query.ObjectType_OBJECT_POLICY:
			err = f.dropPolicy(st, obj.GetList().GetItems(), ds.MissingOk)
		default:
			return f.unsupportedf(st.pos, "DROP %s", objTypeName(ds.RemoveType))
		}
		addErr(&errs, err)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func (f *folder) dropTable(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if f.cat.Tables[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "table %s does not exist", q)
	}
	for _, c := range f.referencingFKs(q, nil) {
		if !cascade && f.ownerOf(c) != q {
			return f.errorf(st.pos, "cannot drop table %s because other objects depend on it (constraint %s on table %s)", q, schema.QuoteIdent(c.Name), f.ownerOf(c))
		}
	}
	for _, c := range f.referencingFKs(q, nil) {
		if owner := f.cat.Tables[f.ownerOf(c)]; owner != nil {
			removeConstraint(owner, c)
		}
	}
	delete(f.cat.Tables, q)
	f.dropPartitionsOf(q)
	f.dropTriggersOf(q)
	f.dropRulesOf(q)
	f.unpublish(q)
	f.dropStatisticsOf(q, "")
	for iq, ix := range f.cat.Indexes {
		if ix.Table == q {
			delete(f.cat.Indexes, iq)
		}
	}
	for sq, s := range f.cat.Sequences {
		if s.OwnedBy.Table == q {
			delete(f.cat.Sequences, sq)
		}
	}
	return nil
}

// ownerOf returns the table a constraint belongs to.
func (f *folder) ownerOf(c *schema.Constraint) schema.QualifiedName {
	for q, t := range f.cat.Tables {
		if slices.Contains(t.Constraints, c) {
			return q
		}
	}
	return schema.QualifiedName{}
}

func (f *folder) dropIndex(st *stmt, q schema.QualifiedName, missingOK bool) error {
	if ix := f.cat.Indexes[q]; ix != nil {
		if f.cat.Indexes[ix.Parent] != nil {
			return f.errorf(st.pos, "cannot drop index %s because index %s requires it", q, ix.Parent)
		}
		f.dropIndexTree(q)
		return nil
	}
	if c := f.constraintIndex(q); c != nil {
		return f.errorf(st.pos, "cannot drop index %s because constraint %s requires it", q, schema.QuoteIdent(c.Name))
	}
	if missingOK {
		return nil
	}
	return f.missingf(st.pos, "index %s does not exist", q)
}

func (f *folder) dropSequence(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if f.cat.Sequences[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "sequence %s does not exist", q)
	}
	use := nextvalText(q)
	for _, t := range f.cat.Tables {
		for _, c := range t.Columns {
			if strings.Contains(c.Default, use) {
				if !cascade {
					return f.errorf(st.pos, "cannot drop sequence %s because default value for column %s of table %s depends on it", q, schema.QuoteIdent(c.Name), t.Name)
				}
				c.Default, c.DefaultSrc = "", ""
			}
		}
	}
	delete(f.cat.Sequences, q)
	return nil
}

// dropType folds DROP TYPE of any set of kind TYPE (enum, composite,
// range...): its users go with it under CASCADE.
func (f *folder) dropType(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	o := schema.Object{Kind: schema.KindType, Name: q}
	set, ok := f.cat.SetOf(o)
	if !ok {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	if err := f.dropTypeUsers(st, q, cascade); err != nil {
		return err
	}
	set.Remove(f.cat, o)
	return nil
}

func (f *folder) dropSchema(st *stmt, name string, missingOK, cascade bool) error {
	if f.cat.Schemas[name] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(name))
	}
	objs := f.cat.SchemaObjects(name)
	if len(objs) > 0 && !cascade {
		return f.errorf(st.pos, "cannot drop schema %s because other objects depend on it", schema.QuoteIdent(name))
	}
	// Some sets go first (views read the tables); the rest as their
	// parsers say, each after the kinds before it.
	type held struct {
		o   schema.Object
		set schema.KindInfo
	}
	var first, rest []held
	for _, o := range objs {
		set, ok := f.cat.SetOf(o)
		if !ok {
			continue
		}
		if kp := kindParsers[set.Noun]; kp != nil && kp.dropFirst {
			first = append(first, held{o, set})
		} else {
			rest = append(rest, held{o, set})
		}
	}
	for _, h := range append(first, rest...) {
		f.dropSchemaObject(st, h.o, h.set)
	}
	// Its privileges go with it: CREATE SCHEMA public gives PUBLIC no
	// USAGE, as a new database's public schema does.
	for k := range f.cat.Privileges {
		if k.Object.Kind == schema.KindSchema && k.Object.Name.Name == name {
			delete(f.cat.Privileges, k)
		}
	}
	delete(f.cat.Schemas, name)
	return nil
}
