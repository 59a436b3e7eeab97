package render_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/ddlmig/ddlmig/oracle"
	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/render"
)

// TestInheritedColumnKeptOnServer plans, with rows, the changes whose
// way back PostgreSQL cannot take exactly: the up only (a column a table
// comes to declare itself stays its own, attislocal, after the way back).
// A table keeping a column it only inherited, when the parent drops it,
// keeps its rows: the parent drops it with ONLY, down the line to a
// grandchild that keeps it; a column the parent takes up from a table
// that had it as its own keeps the table's rows.
func TestInheritedColumnKeptOnServer(t *testing.T) {
	testdb.Require(t)
	cases := []struct {
		name, old, new string
		want           []string // statements the up must hold
		// stillLocal: the table keeps the column as its own, which no
		// statement changes (the only difference from new loaded
		// directly: the rows matter more).
		stillLocal string
	}{
		{
			name: "children keep a dropped parent column",
			old: `CREATE TABLE item (id bigint NOT NULL, note text, code int);
CREATE TABLE toy (age int) INHERITS (item);
CREATE TABLE game (players int) INHERITS (item);
CREATE TABLE boardgame () INHERITS (game);
CREATE TABLE gone () INHERITS (item);
ALTER TABLE ONLY toy ALTER COLUMN note SET DEFAULT 'toy';`,
			new: `CREATE TABLE item (id bigint NOT NULL, code int);
CREATE TABLE toy (age int, note text DEFAULT 'toy') INHERITS (item);
CREATE TABLE game (players int) INHERITS (item);
CREATE TABLE boardgame (note text) INHERITS (game);
CREATE TABLE gone () INHERITS (item);`,
			want: []string{"ALTER TABLE ONLY public.item DROP COLUMN note;", "ALTER TABLE ONLY public.game DROP COLUMN note;", "ALTER TABLE public.gone DROP COLUMN note;"},
		},
		{
			name: "parent takes up a child's column",
			old: `CREATE TABLE item (id bigint NOT NULL);
CREATE TABLE toy (age int, note text) INHERITS (item);`,
			new: `CREATE TABLE item (id bigint NOT NULL, note text);
CREATE TABLE toy (age int) INHERITS (item);`,
			want:       []string{"ALTER TABLE public.item ADD COLUMN note text;"},
			stillLocal: "column public.toy.note: local true vs false",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oldCat, newCat := parse(t, "old.sql", tc.old), parse(t, "new.sql", tc.new)
			up, err := planner.Diff(oldCat, newCat, planner.Options{})
			if err != nil {
				t.Fatal(err)
			}
			body := render.Body(up, 0)
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("up lacks %s:\n%s", w, body)
				}
			}
			rep, err := oracle.RoundTripIn(context.Background(), testdb.Databases(), oracle.Case{Old: tc.old, New: tc.new, Up: body, SkipDown: true})
			if err != nil {
				t.Fatal(err)
			}
			if tc.stillLocal != "" && len(rep.UpDiffs) == 1 && strings.Contains(rep.UpDiffs[0], tc.stillLocal) {
				rep.UpDiffs = nil
			}
			if !rep.OK() {
				t.Errorf("round trip:\n%s\nup:\n%s", rep, body)
			}
			if len(rep.Filled) == 0 {
				t.Error("no rows checked")
			}
			t.Logf("up:\n%s", body)
		})
	}
}
