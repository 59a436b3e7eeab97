package planner

import (
	"fmt"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropRule: DROP RULE of a rule schema.sql no longer has.
const HazardDropRule = "drop-rule"

func init() {
	h := HazardInfo{HazardDropRule, LosesData, false, "DROP RULE of a rule schema.sql no longer has: what it did instead of or besides each write or read (a redirect, an audit row, a refusal) silently stops.", ""}
	Codes = append(Codes, h)
	codeIndex[h.Code] = h
}

// CreateRule creates a rule with the user's own statement, after the
// tables and views it names; Replace makes it CREATE OR REPLACE RULE, for
// a rule whose definition changed.
type CreateRule struct {
	Base
	Rule    *schema.Rule
	Replace bool
}

// DropRule drops a rule, before the tables and views it names.
type DropRule struct {
	Base
	Name schema.TriggerName
}

// diffRules plans rules: created with the triggers (after tables and
// views), dropped with them; a changed rule is replaced in place (CREATE
// OR REPLACE RULE); one whose table or view is re-created is created again
// on the new one (with its comment), and one whose relation is dropped
// goes with it.
func (s *planState) diffRules() {
	for _, k := range schema.SortedTriggers(s.from.Rules) {
		fr, tr := s.from.Rules[k], s.to.Rules[k]
		if tr != nil || s.recreatedTable[k.Table] || s.relationGone(k.Table) {
			continue
		}
		s.add(phDropTrigger, &DropRule{Base: hazard(HazardDropRule, fr.Pos, fmt.Sprintf("drops rule %s on %s; what it did silently stops", schema.QuoteIdent(k.Name), k.Table)), Name: k})
	}
	for _, k := range schema.SortedTriggers(s.to.Rules) {
		tr, fr := s.to.Rules[k], s.from.Rules[k]
		from := ""
		switch {
		case fr == nil || s.recreatedTable[k.Table] || s.recreatedView[k.Table]:
			s.add(phCreateTrigger, &CreateRule{Rule: tr})
		case fr.Def != tr.Def:
			s.add(phCreateTrigger, &CreateRule{Rule: tr, Replace: true})
			from = fr.Comment
		default:
			from = fr.Comment
		}
		if from != tr.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindRule, Name: k.Table, Sub: k.Name, Comment: tr.Comment})
		}
	}
}

func init() {
	registerKind("rule", kindPlanner{diff: (*planState).diffRules, stage: stageViews, order: 60,
		changes: []Change{&CreateRule{}, &DropRule{}}})
}
