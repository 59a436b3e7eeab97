package planner

import (
	"fmt"

	"github.com/ddlmig/ddlmig/schema"
)

func (s *planState) diffSchemas() {
	for _, n := range schema.SortedKeys(s.to.Schemas) {
		if s.from.Schemas[n] == nil {
			s.add(phCreateSchema, &CreateSchema{Name: n})
		}
	}
	for _, n := range schema.SortedKeys(s.from.Schemas) {
		if s.to.Schemas[n] == nil {
			s.add(phDropSchema, &DropSchema{
				Base: hazard(HazardDropSchema, s.from.Schemas[n].Pos, fmt.Sprintf("drops schema %s", schema.QuoteIdent(n))),
				Name: n,
			})
		}
	}
}

func (s *planState) diffExtensions() {
	for _, n := range schema.SortedKeys(s.to.Extensions) {
		te, fe := s.to.Extensions[n], s.from.Extensions[n]
		switch {
		case fe == nil:
			s.add(phCreateExtension, &CreateExtension{Name: n, Schema: te.Schema})
		case extSchema(fe) != extSchema(te):
			s.add(phCreateExtension, &AlterExtensionSchema{Name: n, Schema: extSchema(te)})
		}
	}
	for _, n := range schema.SortedKeys(s.from.Extensions) {
		if s.to.Extensions[n] == nil {
			s.add(phDropExtension, &DropExtension{Name: n})
		}
	}
}

// extSchema is the schema of an extension's objects: without WITH SCHEMA,
// CREATE EXTENSION uses the first schema of the search path, public.
func extSchema(e *schema.Extension) string {
	if e.Schema == "" {
		return schema.DefaultSchema
	}
	return e.Schema
}

// Schemas and extensions are planned first, by Diff itself: everything
// else lives in them.
func init() {
	registerKind("schema", kindPlanner{kept: func(s *planState, o schema.Object) bool {
		return s.to.Schemas[o.Name.Name] != nil
	}})
	registerKind("extension", kindPlanner{})
}
