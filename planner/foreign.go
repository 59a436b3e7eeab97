package planner

import (
	"slices"

	"github.com/ddlmig/ddlmig/schema"
)

// HazardDropServer: DROP SERVER of a server schema.sql no longer has;
// queries of its foreign tables fail from then on.
const HazardDropServer = "drop-server"

func init() {
	Codes = append(Codes, HazardInfo{HazardDropServer, Locks, false, "DROP SERVER (or DROP FOREIGN DATA WRAPPER) of one schema.sql no longer has, with its user mappings: what reads the remote data through it fails from then on.", "Drop the foreign tables and the code that reads them first."})
	codeIndex[HazardDropServer] = Codes[len(Codes)-1]
}

// CreateWrapper creates a foreign data wrapper, after its functions.
type CreateWrapper struct {
	Base
	Wrapper *schema.ForeignDataWrapper
}

// DropWrapper drops a foreign data wrapper, after its servers.
type DropWrapper struct {
	Base
	Wrapper *schema.ForeignDataWrapper
}

func (c *DropWrapper) dropped() schema.Object { return c.Wrapper.Object() }

// AlterWrapper is ALTER FOREIGN DATA WRAPPER: its handler and validator
// when they differ, and its options (From's are what it has).
type AlterWrapper struct {
	Base
	Wrapper, From *schema.ForeignDataWrapper
}

// CreateServer creates a foreign server, after its wrapper.
type CreateServer struct {
	Base
	Server *schema.ForeignServer
}

// DropServer drops a foreign server, after its user mappings.
type DropServer struct {
	Base
	Server *schema.ForeignServer
}

func (c *DropServer) dropped() schema.Object { return c.Server.Object() }

// AlterServer is ALTER SERVER: VERSION and OPTIONS.
type AlterServer struct {
	Base
	Server, From *schema.ForeignServer
}

// CreateUserMapping creates a user mapping, after its server.
type CreateUserMapping struct {
	Base
	Mapping *schema.UserMapping
}

// DropUserMapping drops a user mapping.
type DropUserMapping struct {
	Base
	Mapping *schema.UserMapping
}

// AlterUserMapping is ALTER USER MAPPING ... OPTIONS.
type AlterUserMapping struct {
	Base
	Mapping, From *schema.UserMapping
}

// diffForeign plans wrappers, servers and user mappings. PostgreSQL alters
// their options (and a wrapper's functions, a server's version) in place;
// a server whose wrapper or type changes is dropped with its mappings and
// created again, and so are the servers of a wrapper dropped.
func (s *planState) diffForeign() {
	fd, td := &s.from.Foreign, &s.to.Foreign
	recreated := map[string]bool{}
	for _, n := range schema.SortedKeys(fd.Servers) {
		if td.Servers[n] == nil || serverRecreated(s.from, s.to, n) {
			recreated[n] = true
		}
	}
	for _, k := range schema.SortedKeys(fd.Mappings) {
		if fm := fd.Mappings[k]; td.Mappings[k] == nil || recreated[fm.Server] {
			s.add(phDropIndex, &DropUserMapping{Mapping: fm})
		}
	}
	for _, n := range schema.SortedKeys(fd.Servers) {
		if recreated[n] {
			var b Base
			ph := phDropIndex // before it is created again
			if td.Servers[n] == nil {
				b = hazard(HazardDropServer, fd.Servers[n].Pos, "drops server "+schema.QuoteIdent(n)+" and its user mappings")
				// After the tables: a foreign table that dropped local
				// tables inherit from goes with them (phDropTable).
				ph = phDropOperator
			}
			s.add(ph, &DropServer{Base: b, Server: fd.Servers[n]})
		}
	}
	for _, n := range schema.SortedKeys(fd.Wrappers) {
		if td.Wrappers[n] == nil {
			s.add(phDropOperator, &DropWrapper{Base: hazard(HazardDropServer, fd.Wrappers[n].Pos, "drops foreign data wrapper "+schema.QuoteIdent(n)), Wrapper: fd.Wrappers[n]})
		}
	}
	for _, n := range schema.SortedKeys(td.Wrappers) {
		tw, fw := td.Wrappers[n], fd.Wrappers[n]
		switch {
		case fw == nil:
			s.add(phCreateTable, &CreateWrapper{Wrapper: tw})
			fw = &schema.ForeignDataWrapper{}
		case fw.Handler != tw.Handler || fw.Validator != tw.Validator || !slices.Equal(fw.Options, tw.Options):
			s.add(phCreateTable, &AlterWrapper{Wrapper: tw, From: fw})
		}
		if fw.Comment != tw.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindForeignDataWrapper, Name: tw.Object().Name, Comment: tw.Comment})
		}
	}
	for _, n := range schema.SortedKeys(td.Servers) {
		ts, fs := td.Servers[n], fd.Servers[n]
		switch {
		case fs == nil || recreated[n]:
			s.add(phCreateTable, &CreateServer{Server: ts})
			fs = &schema.ForeignServer{}
		case fs.Version != ts.Version || !slices.Equal(fs.Options, ts.Options):
			s.add(phCreateTable, &AlterServer{Server: ts, From: fs})
		}
		if fs.Comment != ts.Comment {
			s.add(phComment, &SetComment{Kind: schema.KindServer, Name: ts.Object().Name, Comment: ts.Comment})
		}
	}
	for _, k := range schema.SortedKeys(td.Mappings) {
		tm, fm := td.Mappings[k], fd.Mappings[k]
		switch {
		case fm == nil || recreated[tm.Server]:
			s.add(phCreateTable, &CreateUserMapping{Mapping: tm})
		case !slices.Equal(fm.Options, tm.Options):
			s.add(phCreateTable, &AlterUserMapping{Mapping: tm, From: fm})
		}
	}
}

// serverRecreated reports whether server n of from, which to has too, is
// dropped and created again: its wrapper or type changes, or its wrapper
// is dropped.
func serverRecreated(from, to *schema.Catalog, n string) bool {
	fd, td := &from.Foreign, &to.Foreign
	fs, ts := fd.Servers[n], td.Servers[n]
	if fs == nil || ts == nil {
		return false
	}
	return fs.Wrapper != ts.Wrapper || fs.Type != ts.Type || fd.Wrappers[fs.Wrapper] != nil && td.Wrappers[fs.Wrapper] == nil
}

// foreignKept reports whether wrapper or server o of from stands after the
// plan: one dropped (also to be created again) takes its grants along.
func (s *planState) foreignKept(o schema.Object) bool {
	for _, ph := range s.phases {
		for _, c := range ph {
			if d, ok := c.(dropper); ok && d.dropped() == o {
				return false
			}
		}
	}
	return s.to.HasObject(o)
}

// foreignBaseline leaves out of from's privileges those of the wrappers
// and servers the plan drops, so that one created again gets its grants
// again.
func (s *planState) foreignBaseline(out map[schema.Privilege]*schema.Grant) {
	for k := range out {
		if (k.Object.Kind == schema.KindServer || k.Object.Kind == schema.KindForeignDataWrapper) && !s.foreignKept(k.Object) {
			delete(out, k)
		}
	}
}

func init() {
	registerKind("foreign data wrapper", kindPlanner{diff: (*planState).diffForeign, stage: stageTypes, order: 60,
		kept: (*planState).foreignKept, baseline: (*planState).foreignBaseline,
		changes: []Change{&CreateWrapper{}, &DropWrapper{}, &AlterWrapper{}, &CreateServer{}, &DropServer{}, &AlterServer{},
			&CreateUserMapping{}, &DropUserMapping{}, &AlterUserMapping{}}})
	registerKind("foreign server", kindPlanner{kept: (*planState).foreignKept})
}
