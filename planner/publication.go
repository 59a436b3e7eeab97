package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropPublication: DROP PUBLICATION of a publication schema.sql no
// longer has; the subscriptions that read it stop receiving changes.
const HazardDropPublication = "drop-publication"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropPublication, Locks, false, "DROP PUBLICATION of a publication schema.sql no longer has: the subscriptions that read it stop receiving changes and fail.", "Drop the subscriptions first (on the subscribers), then the publication."})
	codeIndex[HazardDropPublication] = Codes[len(Codes)-1]
}

// CreatePublication creates a publication after the tables it names.
type CreatePublication struct {
	Base
	Publication *schema.Publication
}

// DropPublication drops a publication before the tables it names.
type DropPublication struct {
	Base
	Publication *schema.Publication
}

func (c *DropPublication) dropped() schema.Object { return c.Publication.Object() }

// SetPublication is ALTER PUBLICATION ... SET (options) when Options is
// set, else SET the tables and schemas of Publication (DROP them all
// when it has none left, which SET cannot say).
type SetPublication struct {
	Base
	Publication *schema.Publication
	// From is the publication before: what DROP names when none is left.
	From    *schema.Publication
	Options bool
}

// diffPublications plans publications. PostgreSQL alters their tables,
// schemas and options in place; only FOR ALL TABLES cannot change, so
// such a change drops and creates it again. A publication one of whose
// tables the plan re-creates sets its tables again after, since DROP
// TABLE took the table out.
func (s *planState) diffPublications() {
	for _, n := range schema.SortedKeys(s.from.Publications) {
		fp, tp := s.from.Publications[n], s.to.Publications[n]
		switch {
		case tp == nil:
			s.add(phDropTrigger, &DropPublication{Base: hazard(HazardDropPublication, fp.Pos, "drops publication "+schema.QuoteIdent(n)+"; its subscriptions stop receiving changes"), Publication: fp})
		case fp.AllTables != tp.AllTables:
			s.add(phDropTrigger, &DropPublication{Publication: fp})
		}
	}
	for _, n := range schema.SortedKeys(s.to.Publications) {
		tp, fp := s.to.Publications[n], s.from.Publications[n]
		from := ""
		switch {
		case fp == nil || fp.AllTables != tp.AllTables:
			s.add(phCreateTrigger, &CreatePublication{Publication: tp})
		default:
			from = fp.Comment
			if fp.Options != tp.Options {
				s.add(phCreateTrigger, &SetPublication{Publication: tp, From: fp, Options: true})
			}
			if !fp.SameObjects(&tp.PublicationDef) || s.publishedTableRecreated(tp) {
				s.add(phCreateTrigger, &SetPublication{Publication: tp, From: fp})
			}
		}
		if from != tp.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindPublication, Name: tp.Object().Name, Comment: tp.Comment})
		}
	}
}

// publishedTableRecreated reports whether the plan drops and creates again
// a table p publishes.
func (s *planState) publishedTableRecreated(p *schema.Publication) bool {
	return slices.ContainsFunc(p.Tables, func(t schema.PublishedTable) bool { return s.recreatedTable[t.Table] })
}

func init() {
	registerKind("publication", kindPlanner{diff: (*planState).diffPublications, stage: stageRoutines, order: 51,
		changes: []Change{&CreatePublication{}, &DropPublication{}, &SetPublication{}}})
}
