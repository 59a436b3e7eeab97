package parser

import (
	"math"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// typeRange gives the bounds of a sequence type.
func typeRange(typ string) (lo, hi int64) {
	switch typ {
	case "smallint":
		return math.MinInt16, math.MaxInt16
	case "integer":
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// defaultSequence is a sequence with every option at PostgreSQL's default
// for its type and direction.
func defaultSequence(typ string, inc int64) schema.SequenceDef {
	d := schema.SequenceDef{Type: typ, Increment: inc, Cache: 1}
	lo, hi := typeRange(typ)
	if inc > 0 {
		d.Min, d.Max, d.Start = 1, hi, 1
	} else {
		d.Min, d.Max, d.Start = lo, -1, -1
	}
	return d
}

// seqOpts are the options of CREATE/ALTER SEQUENCE or an identity column
// as written; nil fields were not given.
type seqOpts struct {
	typ                         string
	start, inc, min, max, cache *int64
	noMin, noMax                bool
	cycle                       *bool
	ownedBy                     []string // nil: not given; empty: NONE
	ownedByGiven                bool
	generated                   schema.Identity
}

func (f *folder) readSeqOpts(st *stmt, opts []*pg_query.Node) (*seqOpts, error) {
	o := &seqOpts{}
	for _, n := range opts {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		pos := f.at(st, d.Location)
		num := func() (*int64, error) {
			v, ok := defInt(d.Arg)
			if !ok {
				return nil, f.errorf(pos, "%s requires a numeric value", d.Defname)
			}
			return &v, nil
		}
		var err error
		switch d.Defname {
		case "as":
			t, _, terr := f.resolveType(st, d.Arg.GetTypeName())
			if terr != nil {
				return nil, terr
			}
			if t.Schema != "" || (t.Name != "smallint" && t.Name != "integer" && t.Name != "bigint") {
				return nil, f.errorf(pos, "sequence type must be smallint, integer, or bigint")
			}
			o.typ = t.Name
		case "start":
			o.start, err = num()
		case "increment":
			o.inc, err = num()
			if err == nil && *o.inc == 0 {
				err = f.errorf(pos, "INCREMENT must not be zero")
			}
		case "minvalue":
			if d.Arg == nil {
				o.noMin = true
			} else {
				o.min, err = num()
			}
		case "maxvalue":
			if d.Arg == nil {
				o.noMax = true
			} else {
				o.max, err = num()
			}
		case "cache":
			o.cache, err = num()
		case "cycle":
			b := d.Arg.GetBoolean().GetBoolval()
			o.cycle = &b
		case "owned_by":
			o.ownedByGiven = true
			o.ownedBy = strs(d.Arg.GetList().GetItems())
			if len(o.ownedBy) == 1 && o.ownedBy[0] == "none" {
				o.ownedBy = []string{}
			}
		case "restart", "sequence_name", "logged", "unlogged":
			// Not part of the model: RESTART changes data, and an
			// identity sequence's name is not compared.
		case "generated":
			switch d.Arg.GetInteger().GetIval() {
			case 'a':
				o.generated = schema.IdentityAlways
			default:
				o.generated = schema.IdentityByDefault
			}
		default:
			err = f.errorf(pos, "unsupported sequence option %s", d.Defname)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// defInt reads a numeric DefElem argument; values beyond int32 come as
// Float nodes holding the digits.
func defInt(n *pg_query.Node) (int64, bool) {
	if n == nil {
		return 0, false
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_Integer:
		return int64(x.Integer.Ival), true
	case *pg_query.Node_Float:
		v, err := strconv.ParseInt(x.Float.Fval, 10, 64)
		return v, err == nil
	}
	return 0, false
}

// applySeqOpts folds options into d. init is true for a new sequence, whose
// unset bounds and start follow the type and direction. On ALTER, bounds
// that were the old type's defaults follow a type change, as in
// PostgreSQL's init_params.
func applySeqOpts(d schema.SequenceDef, o *seqOpts, init bool) schema.SequenceDef {
	old := d
	if o.typ != "" {
		d.Type = o.typ
	}
	if d.Type == "" {
		d.Type = "bigint"
	}
	if o.inc != nil {
		d.Increment = *o.inc
	}
	if d.Increment == 0 {
		d.Increment = 1
	}
	if o.cache != nil {
		d.Cache = *o.cache
	}
	if d.Cache == 0 {
		d.Cache = 1
	}
	if o.cycle != nil {
		d.Cycle = *o.cycle
	}
	lo, hi := typeRange(d.Type)
	oldLo, oldHi := typeRange(old.Type)
	switch {
	case o.min != nil:
		d.Min = *o.min
	case init || o.noMin || (o.typ != "" && old.Min == oldLo) || (o.typ != "" && old.Increment < 0 && old.Min == oldLo):
		if d.Increment > 0 {
			d.Min = 1
		} else {
			d.Min = lo
		}
	}
	switch {
	case o.max != nil:
		d.Max = *o.max
	case init || o.noMax || (o.typ != "" && old.Max == oldHi):
		if d.Increment > 0 {
			d.Max = hi
		} else {
			d.Max = -1
		}
	}
	switch {
	case o.start != nil:
		d.Start = *o.start
	case init:
		if d.Increment > 0 {
			d.Start = d.Min
		} else {
			d.Start = d.Max
		}
	}
	return d
}

func (f *folder) createSequence(st *stmt, cs *pg_query.CreateSeqStmt) error {
	q := rangeVarName(cs.Sequence)
	pos := f.at(st, cs.Sequence.Location)
	if f.cat.Schemas[q.Schema] == nil {
		return f.missingf(pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	o, err := f.readSeqOpts(st, cs.Options)
	if err != nil {
		return err
	}
	owned, err := f.ownedBy(st, pos, o)
	if err != nil {
		return err
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
	s := &schema.Sequence{Name: q, Pos: pos}
	s.SequenceDef = applySeqOpts(schema.SequenceDef{}, o, true)
	if err := checkSeq(pos, s.SequenceDef); err != nil {
		return err
	}
	if owned != nil {
		s.OwnedBy = *owned
	}
	f.cat.Sequences[q] = s
	return nil
}

func checkSeq(pos schema.Pos, d schema.SequenceDef) error {
	if d.Min >= d.Max {
		return schema.Errorf(pos, "MINVALUE (%d) must be less than MAXVALUE (%d)", d.Min, d.Max)
	}
	if d.Start < d.Min || d.Start > d.Max {
		return schema.Errorf(pos, "START value (%d) must be between MINVALUE (%d) and MAXVALUE (%d)", d.Start, d.Min, d.Max)
	}
	lo, hi := typeRange(d.Type)
	if d.Min < lo || d.Max > hi {
		return schema.Errorf(pos, "sequence bounds out of range for data type %s", d.Type)
	}
	return nil
}

// ownedBy resolves OWNED BY table.column; nil when not given, a zero
// reference for NONE.
func (f *folder) ownedBy(st *stmt, pos schema.Pos, o *seqOpts) (*schema.ColumnRef, error) {
	if !o.ownedByGiven {
		return nil, nil
	}
	if len(o.ownedBy) == 0 {
		return &schema.ColumnRef{}, nil
	}
	if len(o.ownedBy) < 2 {
		return nil, f.errorf(pos, "invalid OWNED BY option")
	}
	parts := o.ownedBy
	var tq schema.QualifiedName
	if len(parts) == 2 {
		// An unqualified table resolves on the search path, as
		// everywhere else.
		tq = qualify(f.relationSchema(parts[0]), parts[0])
	} else {
		tq = qualify(parts[len(parts)-3], parts[len(parts)-2])
	}
	col := parts[len(parts)-1]
	t := f.cat.Tables[tq]
	if t == nil {
		return nil, f.missingf(pos, "relation %s does not exist", tq)
	}
	if t.Column(col) == nil {
		return nil, f.errorf(pos, "column %s of relation %s does not exist", schema.QuoteIdent(col), schema.QuoteIdent(tq.Name))
	}
	return &schema.ColumnRef{Table: tq, Column: col}, nil
}

func (f *folder) alterSequence(st *stmt, as *pg_query.AlterSeqStmt) error {
	q := rangeVarName(as.Sequence)
	pos := f.at(st, as.Sequence.Location)
	s := f.cat.Sequences[q]
	if s == nil {
		if as.MissingOk {
			return nil
		}
		return f.missingf(pos, "relation %s does not exist", q)
	}
	o, err := f.readSeqOpts(st, as.Options)
	if err != nil {
		return err
	}
	owned, err := f.ownedBy(st, pos, o)
	if err != nil {
		return err
	}
	def := applySeqOpts(s.SequenceDef, o, false)
	if err := checkSeq(pos, def); err != nil {
		return err
	}
	s.SequenceDef = def
	if owned != nil {
		s.OwnedBy = *owned
	}
	return nil
}

// setIdentity makes col an identity column from a GENERATED ... AS
// IDENTITY constraint.
func (f *folder) setIdentity(st *stmt, col *schema.Column, c *pg_query.Constraint) error {
	if col.Default != "" {
		return f.errorf(f.at(st, c.Location), "both default and identity specified for column %s", schema.QuoteIdent(col.Name))
	}
	if col.Type.Schema != "" || col.Type.ArrayDims > 0 || (col.Type.Name != "smallint" && col.Type.Name != "integer" && col.Type.Name != "bigint") {
		return f.errorf(f.at(st, c.Location), "identity column type must be smallint, integer, or bigint")
	}
	o, err := f.readSeqOpts(st, c.Options)
	if err != nil {
		return err
	}
	col.Identity = schema.IdentityByDefault
	if c.GeneratedWhen == "a" {
		col.Identity = schema.IdentityAlways
	}
	col.NotNull = true
	o.typ = ""
	col.IdentityOptions = identityOptions(applySeqOpts(schema.SequenceDef{Type: col.Type.Name}, o, true))
	return nil
}

// identityOptions renders the options of an identity sequence that differ
// from the defaults for its type and direction, in a fixed order, so that
// spelling a default out (as pg_dump does) changes nothing.
func identityOptions(d schema.SequenceDef) string {
	def := defaultSequence(d.Type, d.Increment)
	var parts []string
	if d.Increment != 1 {
		parts = append(parts, "INCREMENT BY "+strconv.FormatInt(d.Increment, 10))
	}
	if d.Min != def.Min {
		parts = append(parts, "MINVALUE "+strconv.FormatInt(d.Min, 10))
	}
	if d.Max != def.Max {
		parts = append(parts, "MAXVALUE "+strconv.FormatInt(d.Max, 10))
	}
	start := d.Min
	if d.Increment < 0 {
		start = d.Max
	}
	if d.Start != start {
		parts = append(parts, "START WITH "+strconv.FormatInt(d.Start, 10))
	}
	if d.Cache != 1 {
		parts = append(parts, "CACHE "+strconv.FormatInt(d.Cache, 10))
	}
	if d.Cycle {
		parts = append(parts, "CYCLE")
	}
	return strings.Join(parts, " ")
}

// parseIdentityOptions reads canonical identity options back into a
// sequence definition, so that ALTER COLUMN ... SET can change one option.
func parseIdentityOptions(typ, opts string) schema.SequenceDef {
	d := schema.SequenceDef{Type: typ, Increment: 1}
	fields := strings.Fields(opts)
	var o seqOpts
	for i := 0; i < len(fields); i++ {
		num := func() *int64 {
			for i+1 < len(fields) {
				i++
				if v, err := strconv.ParseInt(fields[i], 10, 64); err == nil {
					return &v
				}
			}
			return nil
		}
		switch fields[i] {
		case "INCREMENT":
			o.inc = num()
		case "MINVALUE":
			o.min = num()
		case "MAXVALUE":
			o.max = num()
		case "START":
			o.start = num()
		case "CACHE":
			o.cache = num()
		case "CYCLE":
			t := true
			o.cycle = &t
		}
	}
	return applySeqOpts(d, &o, true)
}

// A sequence dropped with CASCADE takes the defaults that call it.
func init() {
	registerKind("sequence", kindParser{dropCascade: func(f *folder, st *stmt, o schema.Object) {
		_ = f.dropSequence(st, o.Name, true, true)
	}})
}
