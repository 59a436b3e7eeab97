package render_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// hazardCase is one hazard rule on SQL: whether planning old -> new (with
// renames) raises code.
type hazardCase struct {
	code     string
	name     string
	old, new string
	renames  []string
	flagged  bool
}

// hazardCases hold, for every hazard code, a case that must be flagged and
// a near miss that must not be.
var hazardCases = []hazardCase{
	{planner.HazardDropTable, "dropped", "CREATE TABLE t (a int); CREATE TABLE u (a int);", "CREATE TABLE u (a int);", nil, true},
	{planner.HazardDropTable, "renamed", "CREATE TABLE t (a int);", "CREATE TABLE t2 (a int);", []string{"table t=t2"}, false},
	{planner.HazardDropColumn, "dropped", "CREATE TABLE t (a int, b text);", "CREATE TABLE t (a int);", nil, true},
	{planner.HazardDropColumn, "made generated", "CREATE TABLE t (a int, b int);", "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);", nil, true},
	{planner.HazardDropColumn, "renamed", "CREATE TABLE t (a int, b text);", "CREATE TABLE t (a int, c text);", []string{"t.b=c"}, false},
	{planner.HazardDropSchema, "dropped", "CREATE SCHEMA s;", "", nil, true},
	{planner.HazardDropSchema, "created", "", "CREATE SCHEMA s;", nil, false},
	{planner.HazardDropSequence, "dropped", "CREATE SEQUENCE s;", "", nil, true},
	{planner.HazardDropSequence, "altered", "CREATE SEQUENCE s;", "CREATE SEQUENCE s INCREMENT BY 2;", nil, false},
	{planner.HazardDropType, "dropped", "CREATE TYPE mood AS ENUM ('a');", "", nil, true},
	{planner.HazardDropType, "value added", "CREATE TYPE mood AS ENUM ('a');", "CREATE TYPE mood AS ENUM ('a', 'b');", nil, false},
	{planner.HazardTypeChangeLossy, "varchar narrowed", "CREATE TABLE t (a varchar(50));", "CREATE TABLE t (a varchar(20));", nil, true},
	{planner.HazardTypeChangeLossy, "text to int", "CREATE TABLE t (a text);", "CREATE TABLE t (a int);", nil, true},
	{planner.HazardTypeChangeLossy, "bigint to int", "CREATE TABLE t (a bigint);", "CREATE TABLE t (a int);", nil, true},
	{planner.HazardTypeChangeLossy, "timestamptz to date", "CREATE TABLE t (a timestamptz);", "CREATE TABLE t (a date);", nil, true},
	{planner.HazardTypeChangeLossy, "smaller scale", "CREATE TABLE t (a numeric(10,2));", "CREATE TABLE t (a numeric(10,1));", nil, true},
	{planner.HazardTypeChangeLossy, "varchar widened", "CREATE TABLE t (a varchar(20));", "CREATE TABLE t (a varchar(50));", nil, false},
	{planner.HazardTypeChangeLossy, "int to bigint", "CREATE TABLE t (a int);", "CREATE TABLE t (a bigint);", nil, false},
	{planner.HazardTypeChangeRewrite, "int to bigint", "CREATE TABLE t (a int);", "CREATE TABLE t (a bigint);", nil, true},
	{planner.HazardTypeChangeRewrite, "numeric precision up", "CREATE TABLE t (a numeric(10,2));", "CREATE TABLE t (a numeric(12,2));", nil, false},
	{planner.HazardTypeChangeRewrite, "varchar to text", "CREATE TABLE t (a varchar(20) PRIMARY KEY);", "CREATE TABLE t (a text PRIMARY KEY);", nil, false},
	{planner.HazardTypeChangeReindex, "collation of an indexed column", "CREATE TABLE t (a text); CREATE INDEX t_a ON t (a);", `CREATE TABLE t (a text COLLATE "C"); CREATE INDEX t_a ON t (a);`, nil, true},
	{planner.HazardTypeChangeReindex, "collation of a plain column", "CREATE TABLE t (a text);", `CREATE TABLE t (a text COLLATE "C");`, nil, false},
	{planner.HazardSetNotNull, "existing column", "CREATE TABLE t (a int);", "CREATE TABLE t (a int NOT NULL);", nil, true},
	{planner.HazardSetNotNull, "new table", "", "CREATE TABLE t (a int NOT NULL);", nil, false},
	{planner.HazardAddNotNullColumn, "no default", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, b int NOT NULL);", nil, true},
	{planner.HazardAddNotNullColumn, "with a default", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, b int NOT NULL DEFAULT 0);", nil, false},
	{planner.HazardAddColumnRewrite, "serial", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, id serial);", nil, true},
	{planner.HazardAddColumnRewrite, "identity", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, id int GENERATED ALWAYS AS IDENTITY);", nil, true},
	{planner.HazardAddColumnRewrite, "random uuid", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, u uuid DEFAULT gen_random_uuid());", nil, true},
	{planner.HazardAddColumnRewrite, "now()", "CREATE TABLE t (a int);", "CREATE TABLE t (a int, at timestamptz DEFAULT now());", nil, false},
	{planner.HazardCreateIndex, "existing table", "CREATE TABLE t (a int);", "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);", nil, true},
	{planner.HazardCreateIndex, "unique, existing table", "CREATE TABLE t (a int);", "CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a);", nil, true},
	{planner.HazardCreateIndex, "new table", "", "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);", nil, false},
	{planner.HazardAddPrimaryKey, "existing table", "CREATE TABLE t (a int);", "CREATE TABLE t (a int PRIMARY KEY);", nil, true},
	{planner.HazardAddPrimaryKey, "new table", "", "CREATE TABLE t (a int PRIMARY KEY);", nil, false},
	{planner.HazardAddUniqueConstraint, "existing table", "CREATE TABLE t (a int);", "CREATE TABLE t (a int UNIQUE);", nil, true},
	{planner.HazardAddUniqueConstraint, "new table", "", "CREATE TABLE t (a int UNIQUE);", nil, false},
	{planner.HazardAddExclusionConstraint, "existing table", "CREATE TABLE t (r int4range);", "CREATE TABLE t (r int4range, EXCLUDE USING gist (r WITH &&));", nil, true},
	{planner.HazardAddExclusionConstraint, "new table", "", "CREATE TABLE t (r int4range, EXCLUDE USING gist (r WITH &&));", nil, false},
	{planner.HazardAddForeignKey, "existing table", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int);", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p);", nil, true},
	{planner.HazardAddForeignKey, "NOT VALID", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int);", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int); ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p NOT VALID;", nil, false},
	{planner.HazardAddForeignKey, "new table referencing an existing one", "CREATE TABLE p (id int PRIMARY KEY);", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p);", nil, false},
	{planner.HazardAddCheckConstraint, "existing table", "CREATE TABLE t (a int);", "CREATE TABLE t (a int CHECK (a > 0));", nil, true},
	{planner.HazardAddCheckConstraint, "NOT VALID", "CREATE TABLE t (a int);", "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;", nil, false},
	{planner.HazardIrreversible, "enum value removed under a domain", "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE DOMAIN d AS mood;", "CREATE TYPE mood AS ENUM ('a'); CREATE DOMAIN d AS mood;", nil, true},
	{planner.HazardIrreversible, "enum value added", "CREATE TYPE mood AS ENUM ('a');", "CREATE TYPE mood AS ENUM ('a', 'b');", nil, false},
}

// TestHazardCodes plans every case and checks that its code is raised
// exactly when it should be, and that every code has both kinds of case.
func TestHazardCodes(t *testing.T) {
	flagged, missed := map[string]bool{}, map[string]bool{}
	for _, c := range hazardCases {
		t.Run(c.code+"/"+c.name, func(t *testing.T) {
			var opts planner.Options
			for _, r := range c.renames {
				rn, err := planner.ParseRename(r)
				if err != nil {
					t.Fatal(err)
				}
				opts.Renames = append(opts.Renames, rn)
			}
			p, err := planner.Diff(parse(t, "old.sql", c.old), parse(t, "new.sql", c.new), opts)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, h := range p.Hazards() {
				codes = append(codes, h.Code)
				if _, ok := planner.Info(h.Code); !ok {
					t.Errorf("undocumented hazard code %q", h.Code)
				}
				if h.Message == "" {
					t.Errorf("%s: empty message", h.Code)
				}
			}
			if got := slices.Contains(codes, c.code); got != c.flagged {
				t.Errorf("flagged = %t, want %t; hazards %v; plan:\n%s", got, c.flagged, codes, render.SQL(p))
			}
		})
		if c.flagged {
			flagged[c.code] = true
		} else {
			missed[c.code] = true
		}
	}
	for _, info := range planner.Codes {
		if !flagged[info.Code] || !missed[info.Code] {
			t.Errorf("code %s: flagged case %t, near-miss case %t; want both", info.Code, flagged[info.Code], missed[info.Code])
		}
	}
}

// TestInitialMigrationHasNoUpHazards: a first migration creates everything
// on an empty database, so nothing in it can lock or lose anything; its
// down drops the tables and the rows added since, and says so.
func TestInitialMigrationHasNoUpHazards(t *testing.T) {
	for _, c := range loadCases(t) {
		for _, src := range []string{c.old, c.new} {
			to := parse(t, "schema.sql", src)
			up, err := planner.Diff(parse(t, "empty.sql", ""), to, planner.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if hs := up.Hazards(); len(hs) > 0 {
				t.Errorf("%s: initial migration has hazards %v", c.name, hs)
			}
			down, err := planner.Diff(to, parse(t, "empty.sql", ""), planner.Options{})
			if err != nil {
				t.Fatal(err)
			}
			drops := 0
			for _, h := range down.Hazards() {
				if h.Code == planner.HazardDropTable {
					drops++
				}
			}
			if drops != len(to.Tables) {
				t.Errorf("%s: initial down has %d drop-table hazards for %d tables", c.name, drops, len(to.Tables))
			}
		}
	}
}

// TestTypeChangeClassesOnServer checks the type change classes against
// PostgreSQL itself: a table with an index on the column is altered, and
// pg_class.relfilenode of the table and of the index says whether each was
// rewritten. The session time zone is not UTC, as on most servers, since
// PostgreSQL skips the timestamp <-> timestamptz rewrite in UTC only.
func TestTypeChangeClassesOnServer(t *testing.T) {
	pairs := [][2]string{
		{"varchar(20)", "varchar(50)"}, {"varchar(50)", "varchar(20)"}, {"varchar(20)", "varchar"},
		{"varchar(20)", "text"}, {"text", "varchar"}, {"text", "varchar(20)"},
		{"char(5)", "char(10)"}, {"char(5)", "text"}, {"char(5)", "bpchar"}, {"text", "char(10)"},
		{"smallint", "integer"}, {"integer", "bigint"}, {"bigint", "integer"}, {"integer", "numeric"},
		{"integer", "numeric(12,0)"}, {"real", "double precision"},
		{"numeric(10,2)", "numeric(12,2)"}, {"numeric(10,2)", "numeric"}, {"numeric(10,2)", "numeric(12,4)"},
		{"numeric(10,2)", "numeric(10,1)"}, {"numeric", "numeric(10,2)"},
		{"timestamp(3)", "timestamp(6)"}, {"timestamp(6)", "timestamp(3)"}, {"timestamp(3)", "timestamp"},
		{"timestamp(3) with time zone", "timestamptz"},
		{"timestamp", "timestamptz"}, {"timestamptz", "timestamp"}, {"timestamptz", "date"}, {"date", "timestamp"},
		{"time(3)", "time(6)"}, {"time", "timetz"}, {"timetz", "time"},
		{"interval(3)", "interval"}, {"interval", "interval(3)"},
		{"bit varying(5)", "bit varying(10)"}, {"bit varying(10)", "bit varying(5)"},
		{"bit(5)", "bit varying(10)"}, {"bit(5)", "bit varying"},
		{"cidr", "inet"}, {"inet", "cidr"},
		{"text", `text COLLATE "C"`}, {"varchar(20)", `varchar(50) COLLATE "C"`},
		{"varchar(20)[]", "varchar(50)[]"}, {"integer[]", "bigint[]"},
		{"uuid", "text"}, {"integer", "text"},
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SET TimeZone = 'America/New_York'"); err != nil {
		t.Fatal(err)
	}
	relfile := func(name string) uint32 {
		t.Helper()
		var n uint32
		if err := conn.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE relname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, p := range pairs {
		from := parse(t, "old.sql", "CREATE TABLE t (c "+p[0]+");").Tables[schema.QualifiedName{Schema: "public", Name: "t"}].Columns[0]
		to := parse(t, "new.sql", "CREATE TABLE t (c "+p[1]+");").Tables[schema.QualifiedName{Schema: "public", Name: "t"}].Columns[0]
		class, reason := planner.ClassifyTypeChange(from.ColumnDef, to.ColumnDef, true)
		typeSQL, collate, _ := strings.Cut(p[1], " COLLATE ")
		alter := "ALTER TABLE t ALTER COLUMN c TYPE " + typeSQL
		if collate != "" {
			alter += " COLLATE " + collate
		}
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS t; CREATE TABLE t (c "+p[0]+"); CREATE INDEX t_c ON t (c)"); err != nil {
			t.Fatalf("%s: %v", p[0], err)
		}
		tbl, idx := relfile("t"), relfile("t_c")
		if _, err := conn.Exec(ctx, alter); err != nil {
			t.Fatalf("%s: %v", alter, err)
		}
		rewrote, reindexed := relfile("t") != tbl, relfile("t_c") != idx
		var want outcome
		switch class {
		case planner.MetadataOnly:
			want = outcome{false, false}
		case planner.Reindex:
			want = outcome{false, true}
		default:
			want = outcome{true, true}
		}
		if got := (outcome{rewrote, reindexed}); got != want {
			t.Errorf("%s -> %s: classified %s (%s), but the server: table rewritten %t, index rebuilt %t", p[0], p[1], class, reason, rewrote, reindexed)
		}
	}
}

// outcome is what the server did to the table and its index.
type outcome struct{ Rewrote, Reindexed bool }
