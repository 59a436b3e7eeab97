package parser

import (
	"strings"
	"testing"
)

// TestFunctionBodyQuoting folds functions whose bodies the deparser's
// $$ quoting does not hold, and wants each definition to fold back to
// itself: the body survives.
func TestFunctionBodyQuoting(t *testing.T) {
	for _, body := range []string{
		"SELECT 1",
		"SELECT $",
		"SELECT '$$' || $",
		"x $ddlmig",
		"y $ddlmig$ z $",
		"$outer$ $$ $",
	} {
		t.Run(body, func(t *testing.T) {
			src := "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS '" + strings.ReplaceAll(body, "'", "''") + "';"
			cat, _, err := ParseFile("f.sql", []byte(src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var def string
			for _, fn := range cat.Functions {
				def = fn.Def
			}
			again, _, err := ParseFile("g.sql", []byte(def+";"), Options{})
			if err != nil {
				t.Fatalf("%s: %v", def, err)
			}
			for _, fn := range again.Functions {
				if fn.Def != def {
					t.Errorf("folds back to %s, want %s", fn.Def, def)
				}
			}
			if !strings.Contains(def, body) && !strings.Contains(def, "'"+strings.ReplaceAll(body, "'", "''")+"'") {
				t.Errorf("%s does not hold the body %q", def, body)
			}
		})
	}
}
