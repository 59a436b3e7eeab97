package planner

import (
	"maps"
	"slices"
	"strings"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropTextSearch: DROP TEXT SEARCH DICTIONARY or CONFIGURATION of
// one schema.sql no longer has; queries that name it fail from then on.
const HazardDropTextSearch = "drop-text-search"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropTextSearch, Locks, false, "DROP TEXT SEARCH DICTIONARY or CONFIGURATION of one schema.sql no longer has: queries that name it fail from then on.", "Drop it in a release after the code stops naming it."})
	codeIndex[HazardDropTextSearch] = Codes[len(Codes)-1]
}

// CreateTSDictionary creates a dictionary with the user's own statement.
type CreateTSDictionary struct {
	Base
	Dict *schema.TSDictionary
}

// AlterTSDictionary sets the dictionary's options to To's: Set those that
// are new or change, Reset those that go.
type AlterTSDictionary struct {
	Base
	Name  schema.QualifiedName
	Set   []string
	Reset []string
}

// DropTSDictionary drops a dictionary after the configurations that map
// to it.
type DropTSDictionary struct {
	Base
	Dict *schema.TSDictionary
}

func (c *DropTSDictionary) dropped() schema.Object {
	return schema.Object{Kind: schema.KindTSDictionary, Name: c.Dict.Name}
}

// CreateTSConfiguration creates a configuration with the user's own
// statement; its mappings follow as AlterTSMapping.
type CreateTSConfiguration struct {
	Base
	Config *schema.TSConfiguration
}

// AlterTSMapping sets (ADD MAPPING, or ALTER MAPPING when Replace) or,
// with no Dicts, drops the mapping of Tokens.
type AlterTSMapping struct {
	Base
	Name    schema.QualifiedName
	Tokens  []string
	Dicts   []string
	Replace bool
}

// DropTSConfiguration drops a configuration, after the indexes,
// columns and functions that name it.
type DropTSConfiguration struct {
	Base
	Config *schema.TSConfiguration
}

func (c *DropTSConfiguration) dropped() schema.Object {
	return schema.Object{Kind: schema.KindTSConfiguration, Name: c.Config.Name}
}

// diffTextSearch plans dictionaries and configurations. They are created
// after extensions (which provide templates) and before functions, tables
// and indexes (which name configurations, as regconfig literals among
// others), dictionaries first; they are dropped after those, configurations
// first. Options and mappings change in place; PostgreSQL cannot change a
// dictionary's template or a configuration's parser, and ddlmig does not
// guess what uses them, so such a change is refused with the way out.
func (s *planState) diffTextSearch() {
	fd, td := s.from.TextSearch.Dicts, s.to.TextSearch.Dicts
	fc, tc := s.from.TextSearch.Configs, s.to.TextSearch.Configs
	for _, n := range schema.SortedNames(td) {
		t, f := td[n], fd[n]
		switch {
		case f == nil:
			s.add(phCreateType, &CreateTSDictionary{Dict: t})
			if !slices.Equal(t.BaseOptions, t.Options) {
				s.add(phCreateType, alterDict(n, t.BaseOptions, t.Options))
			}
		case f.Template != t.Template:
			s.irreversible("text search dictionary " + n.String() + " changes its template (" + f.Template + " -> " + t.Template + "), which PostgreSQL cannot alter; create a new dictionary under another name and map the configurations to it")
		case !slices.Equal(f.Options, t.Options):
			s.add(phCreateType, alterDict(n, f.Options, t.Options))
		}
		s.textSearchComment(schema.KindTSDictionary, n, f != nil, func() string { return f.Comment }, t.Comment)
	}
	for _, n := range schema.SortedNames(tc) {
		t, f := tc[n], fc[n]
		base := t.Base
		switch {
		case f == nil:
			s.add(phCreateType, &CreateTSConfiguration{Config: t})
		case f.Parser != t.Parser:
			s.irreversible("text search configuration " + n.String() + " changes its parser (" + f.Parser + " -> " + t.Parser + "), which PostgreSQL cannot alter; create a new configuration under another name and move its users to it")
			base = t.Mappings
		default:
			base = f.Mappings
		}
		for _, c := range mappingChanges(n, base, t.Mappings) {
			s.add(phCreateType, c)
		}
		s.textSearchComment(schema.KindTSConfiguration, n, f != nil, func() string { return f.Comment }, t.Comment)
	}
	for _, n := range schema.SortedNames(fc) {
		if tc[n] == nil {
			s.add(phDropTypeLate, &DropTSConfiguration{Base: hazard(HazardDropTextSearch, fc[n].Pos, "drops text search configuration "+n.String()+"; queries that name it fail from then on"), Config: fc[n]})
		}
	}
	for _, n := range schema.SortedNames(fd) {
		if td[n] == nil {
			s.add(phDropTypeLate, &DropTSDictionary{Base: hazard(HazardDropTextSearch, fd[n].Pos, "drops text search dictionary "+n.String()+"; configurations that map to it lose it"), Dict: fd[n]})
		}
	}
}

// textSearchComment plans COMMENT ON when the comment changes.
func (s *planState) textSearchComment(k schema.Kind, n schema.QualifiedName, existed bool, from func() string, to string) {
	old := ""
	if existed {
		old = from()
	}
	if old != to {
		s.add(phComment, &SetComment{Kind: k, Name: n, Comment: to})
	}
}

// alterDict is the ALTER TEXT SEARCH DICTIONARY that turns options from
// into to.
func alterDict(n schema.QualifiedName, from, to []string) *AlterTSDictionary {
	c := &AlterTSDictionary{Name: n}
	names := map[string]bool{}
	for _, o := range to {
		name, _, _ := strings.Cut(o, " = ")
		names[name] = true
		if !slices.Contains(from, o) {
			c.Set = append(c.Set, o)
		}
	}
	for _, o := range from {
		if name, _, _ := strings.Cut(o, " = "); !names[name] {
			c.Reset = append(c.Reset, name)
		}
	}
	return c
}

// mappingChanges are the statements that turn mappings from into to:
// token types that share a new dictionary list are set together, in the
// order of their first token type; dropped ones go in one statement.
func mappingChanges(n schema.QualifiedName, from, to map[string][]string) []Change {
	var out []Change
	byDicts := map[string]*AlterTSMapping{}
	for _, t := range slices.Sorted(maps.Keys(to)) {
		ds, old := to[t], from[t]
		if slices.Equal(ds, old) {
			continue
		}
		key := strings.Join(ds, ",") + "|" + boolKey(old != nil)
		if c := byDicts[key]; c != nil {
			c.Tokens = append(c.Tokens, t)
			continue
		}
		c := &AlterTSMapping{Name: n, Tokens: []string{t}, Dicts: ds, Replace: old != nil}
		byDicts[key] = c
		out = append(out, c)
	}
	var gone []string
	for _, t := range slices.Sorted(maps.Keys(from)) {
		if to[t] == nil {
			gone = append(gone, t)
		}
	}
	if gone != nil {
		out = append(out, &AlterTSMapping{Name: n, Tokens: gone})
	}
	return out
}

func boolKey(b bool) string {
	if b {
		return "alter"
	}
	return "add"
}

func init() {
	registerKind("text search dictionary", kindPlanner{diff: (*planState).diffTextSearch, stage: stageTypes, order: 5,
		changes: []Change{&CreateTSDictionary{}, &AlterTSDictionary{}, &DropTSDictionary{}},
		opaqueUses: func(c *schema.Catalog) []string {
			var out []string
			for _, d := range c.TextSearch.Dicts {
				out = append(out, "TEXT SEARCH TEMPLATE "+d.Template)
			}
			return out
		}})
	registerKind("text search configuration", kindPlanner{
		changes: []Change{&CreateTSConfiguration{}, &AlterTSMapping{}, &DropTSConfiguration{}},
		opaqueUses: func(c *schema.Catalog) []string {
			var out []string
			for _, cf := range c.TextSearch.Configs {
				out = append(out, "TEXT SEARCH PARSER "+cf.Parser)
			}
			return out
		}})
}
