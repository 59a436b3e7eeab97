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
			err = f.dropTable(st, listName(obj.GetList().GetItems()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_INDEX:
			err = f.dropIndex(st, listName(obj.GetList().GetItems()), ds.MissingOk)
		case pg_query.ObjectType_OBJECT_SEQUENCE:
			err = f.dropSequence(st, listName(obj.GetList().GetItems()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_TYPE:
			err = f.dropType(st, listName(obj.GetTypeName().GetNames()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_DOMAIN:
			err = f.dropDomain(st, listName(obj.GetTypeName().GetNames()), ds.MissingOk, cascade)
		case pg_query.ObjectType_OBJECT_COLLATION:
			err = f.dropCollation(st, listName(obj.GetList().GetItems()), ds.MissingOk)
		case pg_query.ObjectType_OBJECT_AGGREGATE:
			err = f.dropAggregate(st, obj.GetObjectWithArgs(), ds.MissingOk)
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
	if f.cat.Indexes[q] != nil {
		delete(f.cat.Indexes, q)
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
				c.Default = ""
			}
		}
	}
	delete(f.cat.Sequences, q)
	return nil
}

func (f *folder) dropType(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if f.cat.Composites[q] != nil {
		if err := f.dropTypeUsers(st, q, cascade); err != nil {
			return err
		}
		delete(f.cat.Composites, q)
		return nil
	}
	if f.cat.Enums[q] == nil {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "type %s does not exist", q)
	}
	if err := f.dropTypeUsers(st, q, cascade); err != nil {
		return err
	}
	delete(f.cat.Enums, q)
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
	// Views first: they read the tables.
	for _, o := range objs {
		if o.Kind == schema.KindView || o.Kind == schema.KindMaterializedView {
			_ = f.dropView(st, o.Name, o.Kind == schema.KindMaterializedView, true, true)
		}
	}
	for _, o := range objs {
		switch o.Kind {
		case schema.KindTable:
			_ = f.dropTable(st, o.Name, true, true)
		case schema.KindSequence:
			_ = f.dropSequence(st, o.Name, true, true)
		case schema.KindDomain:
			_ = f.dropDomain(st, o.Name, true, true)
		case schema.KindType:
			_ = f.dropType(st, o.Name, true, true)
		case schema.KindCollation:
			_ = f.dropCollation(st, o.Name, true)
		case schema.KindFunction, schema.KindProcedure:
			delete(f.cat.Functions, o.Name.Name)
		case schema.KindAggregate:
			delete(f.cat.Aggregates, o.Name.Name)
		case schema.KindExtension:
			delete(f.cat.Extensions, o.Name.Name)
		}
	}
	delete(f.cat.Schemas, name)
	return nil
}
