package schema

// Statistics is an extended statistics object (CREATE STATISTICS): what
// ANALYZE gathers about several columns or expressions of one table
// together. It lives in a schema (not necessarily its table's) and goes
// with its table and with any column it names.
type Statistics struct {
	Name  QualifiedName
	Table QualifiedName
	StatisticsDef
	// Columns are the table columns it names, in its expressions too: a
	// column dropped or added again takes it along. Derived from Def.
	Columns []string
	// Src is what a migration writes after "CREATE STATISTICS name ": the
	// user's own statement deparsed, the table qualified as the search path
	// resolved it. Def is brought to the form PostgreSQL prints back to be
	// compared (columns in table order, expressions normalized), which
	// means the same but is not what the user wrote. "" when Def is both.
	// Not compared.
	Src string
	Pos Pos
}

// DefSQL is the text migrations write after "CREATE STATISTICS name ": the
// user's own.
func (s *Statistics) DefSQL() string {
	if s.Src != "" {
		return s.Src
	}
	return s.Def
}

// StatisticsDef is what is compared about a statistics object.
type StatisticsDef struct {
	// Def is the canonical text that follows "CREATE STATISTICS name":
	// the kinds (left out when all are built, as pg_dump does), ON the
	// columns and expressions, FROM the qualified table.
	Def string
	// Target is ALTER STATISTICS ... SET STATISTICS's target in decimal;
	// "" for the default (-1). It changes in place.
	Target  string
	Comment string
}

// Object is the statistics object as comments and owners name it.
func (s *Statistics) Object() Object {
	return Object{Kind: KindStatistics, Name: s.Name}
}

func init() {
	k := qualifiedSet("statistics", KindStatistics,
		func(c *Catalog) map[QualifiedName]*Statistics { return c.Statistics },
		func(s *Statistics) *string { return &s.Comment }, false)
	k.Init = func(c *Catalog) { c.Statistics = map[QualifiedName]*Statistics{} }
	Register(k)
}
