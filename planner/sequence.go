package planner

import (
	"fmt"

	"github.com/ddlmig/ddlmig/schema"
)

// seqOptions returns the options of a sequence that ALTER SEQUENCE sets.
func seqOptions(d schema.SequenceDef) schema.SequenceDef {
	d.OwnedBy = schema.ColumnRef{}
	d.Comment = ""
	return d
}

func (s *planState) diffSequences() {
	for _, n := range schema.SortedNames(s.to.Sequences) {
		ts, fs := s.to.Sequences[n], s.from.Sequences[n]
		if fs == nil {
			s.add(phCreateSequence, &CreateSequence{Name: n, Def: seqOptions(ts.SequenceDef)})
			if !ts.OwnedBy.IsZero() {
				s.add(phSequenceOwner, &SetSequenceOwner{Name: n, OwnedBy: ts.OwnedBy})
			}
			continue
		}
		if seqOptions(fs.SequenceDef) != seqOptions(ts.SequenceDef) {
			s.add(phCreateSequence, &AlterSequence{Name: n, From: seqOptions(fs.SequenceDef), To: seqOptions(ts.SequenceDef)})
		}
		if fs.OwnedBy == ts.OwnedBy {
			continue
		}
		if s.ownerGoes(fs.OwnedBy) {
			// Released before its column or table is dropped, which would
			// take the sequence with it; the new owner may not exist yet.
			s.add(phDropFK, &SetSequenceOwner{Name: n})
			if ts.OwnedBy.IsZero() {
				continue
			}
		}
		s.add(phSequenceOwner, &SetSequenceOwner{Name: n, OwnedBy: ts.OwnedBy})
	}
}

// ownerGoes reports whether the owning column c of a sequence of from is
// dropped: with its table, on its own, or to be added again as a
// generated column.
func (s *planState) ownerGoes(c schema.ColumnRef) bool {
	if c.IsZero() {
		return false
	}
	ft, tt := s.from.Tables[c.Table], s.to.Tables[c.Table]
	if ft == nil || tt == nil {
		return tt == nil
	}
	fc, tc := ft.Column(c.Column), tt.Column(c.Column)
	return fc != nil && (tc == nil || needsRecreate(fc, tc))
}

// dropSequences drops the sequences that to lacks, except those owned by a
// dropped table or column: PostgreSQL drops them with their owner.
func (s *planState) dropSequences() {
	for _, n := range schema.SortedNames(s.from.Sequences) {
		if s.to.Sequences[n] != nil {
			continue
		}
		own := s.from.Sequences[n].OwnedBy
		if !own.IsZero() && (s.to.Tables[own.Table] == nil || s.droppedCol[conKey{own.Table, own.Column}]) {
			continue
		}
		var b Base
		if !s.becomesIdentity(own) {
			b = hazard(HazardDropSequence, s.from.Sequences[n].Pos, fmt.Sprintf("drops sequence %s and its current value", n))
		}
		s.add(phDropSequence, &DropSequence{Base: b, Name: n})
	}
}

// becomesIdentity reports whether column c (a serial's, owning the
// sequence being dropped) becomes an identity column, whose new sequence
// SyncSequence moves past the column's values: the old position is not
// lost in any way that matters, so dropping the serial's sequence is no
// hazard.
func (s *planState) becomesIdentity(c schema.ColumnRef) bool {
	if c.IsZero() {
		return false
	}
	ft, tt := s.from.Tables[c.Table], s.to.Tables[c.Table]
	if ft == nil || tt == nil {
		return false
	}
	fc, tc := ft.Column(c.Column), tt.Column(c.Column)
	return fc != nil && tc != nil && fc.Identity == schema.IdentityNone && tc.Identity != schema.IdentityNone
}

func init() {
	registerKind("sequence", kindPlanner{diff: (*planState).diffSequences, stage: stageTypes, order: 50,
		kept: func(s *planState, o schema.Object) bool {
			return s.to.Sequences[o.Name] != nil && s.from.Sequences[o.Name] != nil
		}})
}
