package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropOperator: DROP OPERATOR, OPERATOR CLASS or OPERATOR FAMILY of
// one schema.sql no longer has; queries and indexes that use it fail.
const HazardDropOperator = "drop-operator"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropOperator, Locks, false, "DROP OPERATOR, OPERATOR CLASS or OPERATOR FAMILY of one schema.sql no longer has: queries that use it fail from then on.", "Drop it in a release after the code and the indexes stop using it."})
	codeIndex[HazardDropOperator] = Codes[len(Codes)-1]
}

// CreateOperator creates an operator with the user's own statement and
// its links and estimators from the model, after its functions.
type CreateOperator struct {
	Base
	Operator *schema.Operator
}

// DropOperator drops an operator.
type DropOperator struct {
	Base
	Operator *schema.Operator
}

func (c *DropOperator) dropped() schema.Object { return c.Operator.Object() }

// SetOperatorEstimators is ALTER OPERATOR ... SET (RESTRICT = ..., JOIN =
// ...): "" is NONE.
type SetOperatorEstimators struct {
	Base
	Operator       *schema.Operator
	Restrict, Join string
}

// CreateOpFamily creates an operator family, before its classes.
type CreateOpFamily struct {
	Base
	Family *schema.OpFamily
}

// DropOpFamily drops an operator family, after its classes.
type DropOpFamily struct {
	Base
	Family *schema.OpFamily
}

func (c *DropOpFamily) dropped() schema.Object { return c.Family.Object() }

// CreateOpClass creates an operator class with the user's own statement,
// after its family and operators, before the indexes that use it.
type CreateOpClass struct {
	Base
	Class *schema.OpClass
}

// DropOpClass drops an operator class.
type DropOpClass struct {
	Base
	Class *schema.OpClass
}

func (c *DropOpClass) dropped() schema.Object { return c.Class.Object() }

// diffOperators plans operator families, operators and classes.
// PostgreSQL 15 alters only an operator's estimators in place; an
// operator or class whose definition changes, or whose function is
// created again, is dropped early and created again after the functions.
// What schema.sql no longer has is dropped late, after the tables and
// indexes that may use it.
func (s *planState) diffOperators() {
	fo, to := s.from.Operators, s.to.Operators
	recreatedOps := map[string]bool{}
	for _, k := range schema.SortedKeys(fo.Ops) {
		if f, t := fo.Ops[k], to.Ops[k]; t != nil && s.operatorChanged(f, t) {
			recreatedOps[k] = true
		}
	}
	recreatedClasses := map[string]bool{}
	for _, k := range schema.SortedKeys(fo.Classes) {
		f, t := fo.Classes[k], to.Classes[k]
		if t != nil && (f.Def != t.Def || s.funcsRecreated(f.Funcs) || slices.ContainsFunc(f.Ops, func(o string) bool { return recreatedOps[o] })) {
			recreatedClasses[k] = true
		}
	}
	s.dropOperators(recreatedOps, recreatedClasses)
	for _, k := range schema.SortedKeys(to.Families) {
		t, f := to.Families[k], fo.Families[k]
		if f == nil {
			s.add(phCreateOperator, &CreateOpFamily{Family: t})
		}
		s.operatorComment(t.Object(), f != nil, t.Comment, func() string { return f.Comment })
	}
	for _, k := range schema.SortedKeys(to.Ops) {
		t, f := to.Ops[k], fo.Ops[k]
		kept := f != nil && !recreatedOps[k]
		if !kept {
			s.add(phCreateOperator, &CreateOperator{Operator: t})
		} else if f.Restrict != t.Restrict || f.Join != t.Join {
			s.add(phCreateOperator, &SetOperatorEstimators{Operator: t, Restrict: t.Restrict, Join: t.Join})
		}
		s.operatorComment(t.Object(), kept, t.Comment, func() string { return f.Comment })
	}
	for _, k := range schema.SortedKeys(to.Classes) {
		t, f := to.Classes[k], fo.Classes[k]
		kept := f != nil && !recreatedClasses[k]
		if !kept {
			s.add(phCreateOperator, &CreateOpClass{Class: t})
		}
		s.operatorComment(t.Object(), kept, t.Comment, func() string { return f.Comment })
	}
}

// dropOperators plans the drops: those created again early (classes
// before operators), the others late (classes, operators, families).
func (s *planState) dropOperators(recreatedOps, recreatedClasses map[string]bool) {
	fo, to := s.from.Operators, s.to.Operators
	for _, k := range schema.SortedKeys(fo.Classes) {
		c := fo.Classes[k]
		switch {
		case recreatedClasses[k]:
			s.add(phDropOperatorEarly, &DropOpClass{Class: c})
		case to.Classes[k] == nil:
			s.add(phDropOperator, &DropOpClass{Base: hazard(HazardDropOperator, c.Pos, "drops operator class "+k+"; indexes that use it go too"), Class: c})
		}
	}
	for _, k := range schema.SortedKeys(fo.Ops) {
		op := fo.Ops[k]
		switch {
		case recreatedOps[k]:
			s.add(phDropOperatorEarly, &DropOperator{Operator: op})
		case to.Ops[k] == nil:
			s.add(phDropOperator, &DropOperator{Base: hazard(HazardDropOperator, op.Pos, "drops operator "+k+"; queries that use it fail from then on"), Operator: op})
		}
	}
	for _, k := range schema.SortedKeys(fo.Families) {
		if to.Families[k] == nil {
			fam := fo.Families[k]
			s.add(phDropOperator, &DropOpFamily{Base: hazard(HazardDropOperator, fam.Pos, "drops operator family "+k+" with its operator classes"), Family: fam})
		}
	}
}

// operatorComment sets the comment of an operator, class or family that
// the plan keeps (kept, with its old comment from old) or creates.
func (s *planState) operatorComment(o schema.Object, kept bool, comment string, old func() string) {
	from := ""
	if kept {
		from = old()
	}
	if from != comment {
		s.add(phComment, &SetComment{Kind: o.Kind, Name: o.Name, Comment: comment})
	}
}

// operatorChanged reports whether an operator must be dropped and
// created again: what PostgreSQL 15 cannot alter changed, or its function
// is dropped and created again.
func (s *planState) operatorChanged(f, t *schema.Operator) bool {
	return f.Def != t.Def || f.Commutator != t.Commutator || f.Negator != t.Negator || s.funcsRecreated(f.Funcs)
}

// funcsRecreated reports whether the plan drops and creates again a
// function named in fns.
func (s *planState) funcsRecreated(fns []schema.QualifiedName) bool {
	for k, ff := range s.from.Functions {
		if slices.Contains(fns, ff.Name) && s.recreatedFunction(ff, s.to.Functions[k]) {
			return true
		}
	}
	return false
}

func init() {
	registerKind("operator", kindPlanner{diff: (*planState).diffOperators, stage: stageRoutines, order: 20,
		changes: []Change{&CreateOperator{}, &DropOperator{}, &SetOperatorEstimators{}, &CreateOpFamily{}, &DropOpFamily{}, &CreateOpClass{}, &DropOpClass{}}})
	registerKind("operator class", kindPlanner{opaqueUses: func(c *schema.Catalog) []string {
		var out []string
		for _, cl := range c.Operators.Classes {
			out = append(out, "ACCESS METHOD "+schema.QuoteIdent(cl.Method))
		}
		return out
	}})
	registerKind("operator family", kindPlanner{opaqueUses: func(c *schema.Catalog) []string {
		var out []string
		for _, f := range c.Operators.Families {
			out = append(out, "ACCESS METHOD "+schema.QuoteIdent(f.Method))
		}
		return out
	}})
}
