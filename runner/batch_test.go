package runner

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestBatchesResume: a failing batch is rolled back alone, the earlier ones
// stay applied and recorded, and apply resumes at the failing batch once
// the file is fixed; editing an applied batch is refused.
func TestBatchesResume(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	up := "CREATE TABLE a (id int);\n-- ddlmig:batch 2 of 3\nCREATE TABLE b (id int);\nINSERT INTO nope VALUES (1);\n-- ddlmig:batch 3 of 3\nCREATE TABLE c (id int);\n"
	down := "DROP TABLE c;\n-- ddlmig:batch\nDROP TABLE b;\n-- ddlmig:batch\nDROP TABLE a;\n"
	fsys := files(map[string]string{"000001_abc": up}, map[string]string{"000001_abc": down})
	r := newRunner(t, url, fsys, Options{})

	_, err := r.Apply(ctx, 0)
	var me *MigrationError
	if !errors.As(err, &me) || me.Batch != 2 || me.Batches != 3 || !me.RolledBack || me.Line != 4 {
		t.Fatalf("apply: want batch 2 of 3 failing at line 4, got %#v: %v", me, err)
	}
	if !strings.Contains(err.Error(), "resumes at batch 2") {
		t.Errorf("error does not say how to resume:\n%v", err)
	}
	if got, want := tables(t, url), "a,ddlmig_migrations"; got != want {
		t.Errorf("after the failure tables = %s, want %s", got, want)
	}
	if got, want := states(t, r), "version 000001: 000001 PARTLY DONE"; got != want {
		t.Errorf("status = %s, want %s", got, want)
	}
	if _, err := r.Down(ctx, 1); !errors.Is(err, ErrDirty) {
		t.Errorf("down of a partly applied migration: want ErrDirty, got %v", err)
	}

	// Editing batch 1, which already ran, is refused.
	fsys["000001_abc.up.sql"] = &fstest.MapFile{Data: []byte("-- edited\n" + up)}
	if _, err := r.Apply(ctx, 0); !errors.Is(err, ErrChecksum) {
		t.Errorf("apply with batch 1 edited: want ErrChecksum, got %v", err)
	}
	// Fixing batch 2 lets apply resume there.
	fixed := strings.Replace(up, "INSERT INTO nope VALUES (1);\n", "INSERT INTO b VALUES (1);\n", 1)
	fsys["000001_abc.up.sql"] = &fstest.MapFile{Data: []byte(fixed)}
	steps, err := r.Plan(ctx, 0)
	if err != nil || len(steps) != 1 || steps[0].Resume != 1 || steps[0].Batches != 3 {
		t.Fatalf("plan: %+v, %v", steps, err)
	}
	if _, err := r.Apply(ctx, 0); err != nil {
		t.Fatalf("resumed apply: %v", err)
	}
	if got, want := tables(t, url), "a,b,c,ddlmig_migrations"; got != want {
		t.Errorf("tables = %s, want %s", got, want)
	}
	if got, want := states(t, r), "version 000001: 000001 applied"; got != want {
		t.Errorf("status = %s, want %s", got, want)
	}
	if got := query(t, url, `SELECT count(*) FROM b`); got != "1" {
		t.Errorf("batch 2 ran %s times, want once", got)
	}

	// Down in batches: a failure in batch 2 leaves c dropped, and down
	// resumes after the cause is gone.
	execSQL(t, url, "CREATE VIEW bv AS SELECT * FROM b")
	_, err = r.Down(ctx, 1)
	if !errors.As(err, &me) || me.Batch != 2 || me.Direction != Down {
		t.Fatalf("down: want batch 2 failing, got %v", err)
	}
	if got, want := tables(t, url), "a,b,ddlmig_migrations"; got != want {
		t.Errorf("tables = %s, want %s", got, want)
	}
	if _, err := r.Apply(ctx, 0); !errors.Is(err, ErrDirty) {
		t.Errorf("apply during a partly done down: want ErrDirty, got %v", err)
	}
	execSQL(t, url, "DROP VIEW bv")
	if _, err := r.Down(ctx, 1); err != nil {
		t.Fatalf("resumed down: %v", err)
	}
	if got, want := tables(t, url), "ddlmig_migrations"; got != want {
		t.Errorf("tables = %s, want %s", got, want)
	}
	if got, want := states(t, r), "version 000000: 000001 pending"; got != want {
		t.Errorf("status = %s, want %s", got, want)
	}
}

// TestBatchMarkerChecks: markers must sit between statements and mean
// nothing in a no-transaction file; both are refused before anything runs.
func TestBatchMarkerChecks(t *testing.T) {
	url := testdb.New(t)
	ctx := ctxTimeout(t, time.Minute)
	for name, up := range map[string]string{
		"inside a function body": "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\nSELECT 1\n-- ddlmig:batch\n$$;\n",
		"no-transaction":         "-- ddlmig:no-transaction\nCREATE TABLE a ();\n-- ddlmig:batch\nCREATE TABLE b ();\n",
	} {
		t.Run(name, func(t *testing.T) {
			r := newRunner(t, url, files(map[string]string{"000001_x": up}, nil), Options{})
			_, err := r.Apply(ctx, 0)
			if !errors.Is(err, ErrUnsafeStatement) || !strings.Contains(err.Error(), "000001_x.up.sql:3:1: -- ddlmig:batch") {
				t.Errorf("want ErrUnsafeStatement at line 3, got %v", err)
			}
		})
	}
}

func TestSplitBatches(t *testing.T) {
	text := "A;\n-- ddlmig:batch\nB;\n-- ddlmig:batch x\nC;"
	bs := splitBatches(text)
	var got []string
	for _, b := range bs {
		got = append(got, b.SQL)
		if text[b.Off:b.Off+len(b.SQL)] != b.SQL {
			t.Errorf("batch %q: offset %d is wrong", b.SQL, b.Off)
		}
	}
	if want := []string{"A;\n", "B;\n", "C;"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("splitBatches = %q, want %q", got, want)
	}
	if prefixChecksum(text, 1) == prefixChecksum(text, 2) || prefixChecksum(text, 4) != "" {
		t.Errorf("prefixChecksum does not tell prefixes apart")
	}
}
