package parser

import (
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/schema"
)

// TestForeignData: wrappers, servers and user mappings fold with their
// options (ADD, SET, DROP as PostgreSQL checks them), and go with what
// they belong to under CASCADE.
func TestForeignData(t *testing.T) {
	src := "CREATE EXTENSION postgres_fdw;\n" +
		"CREATE FOREIGN DATA WRAPPER w OPTIONS (a '1');\n" +
		"ALTER FOREIGN DATA WRAPPER w VALIDATOR postgresql_fdw_validator OPTIONS (SET a '2', ADD b '3');\n" +
		"CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h');\n" +
		"CREATE SERVER t FOREIGN DATA WRAPPER w;\n" +
		"CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u', password 'secret');\n" +
		"CREATE USER MAPPING FOR app SERVER t;\n" +
		"ALTER USER MAPPING FOR PUBLIC SERVER s OPTIONS (DROP password);\n" +
		"ALTER SERVER s OWNER TO app;\n" +
		"DROP FOREIGN DATA WRAPPER w CASCADE;\n"
	got, _, err := ParseFile("f.sql", []byte(src), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	fd := got.Foreign
	if len(fd.Wrappers) != 0 || len(fd.Servers) != 1 || len(fd.Mappings) != 1 {
		t.Fatalf("after CASCADE: %d wrappers, %d servers, %d mappings", len(fd.Wrappers), len(fd.Servers), len(fd.Mappings))
	}
	if o := fd.Mappings["PUBLIC@s"].Options.SQL(); o != `"user" 'u'` {
		t.Errorf("mapping options %s", o)
	}
	if got.Owners[fd.Servers["s"].Object()] != "app" {
		t.Errorf("owners %v", got.Owners)
	}
	w, _, err := ParseFile("f.sql", []byte(strings.TrimSuffix(src, "DROP FOREIGN DATA WRAPPER w CASCADE;\n")), Options{Migration: true})
	if err != nil {
		t.Fatal(err)
	}
	if fw := w.Foreign.Wrappers["w"]; fw.Options.SQL() != "a '2', b '3'" || fw.Validator != (schema.QualifiedName{Schema: "pg_catalog", Name: "postgresql_fdw_validator"}) {
		t.Errorf("wrapper %+v", fw)
	}
}

// TestForeignDataErrors: mistakes PostgreSQL refuses are errors at their
// line, and no message holds a mapping's password.
func TestForeignDataErrors(t *testing.T) {
	const base = "CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER s FOREIGN DATA WRAPPER w;\nCREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (password 'secret');\n"
	tests := []struct{ name, src, want string }{
		{"missing wrapper", "CREATE SERVER x FOREIGN DATA WRAPPER nope;", `m.sql:1:1: foreign-data wrapper nope does not exist (create it, or the extension of that name that provides it)`},
		{"server twice", "\nCREATE SERVER s FOREIGN DATA WRAPPER w;", "m.sql:2:1: server s already exists"},
		{"option twice", "CREATE SERVER x FOREIGN DATA WRAPPER w OPTIONS (a '1', a '2');", `m.sql:1:56: option 'a' provided more than once`},
		{"set a missing option", "ALTER SERVER s OPTIONS (SET a '1');", `m.sql:1:29: option 'a' not found`},
		{"mapping twice", "CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (password 'other');", `m.sql:1:1: user mapping FOR PUBLIC SERVER s already exists`},
		{"mapping for CURRENT_USER", "CREATE USER MAPPING FOR CURRENT_USER SERVER s;", "m.sql:1:1: user mapping for CURRENT_USER: name the role (ddlmig does not know which role applies the migration)"},
		{"server in use", "DROP SERVER s;", "m.sql:1:1: cannot drop server s because other objects depend on it (user mapping FOR PUBLIC SERVER s)"},
		{"wrapper in use", "DROP FOREIGN DATA WRAPPER w;", "m.sql:1:1: cannot drop foreign-data wrapper w because other objects depend on it (server s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantMigrationError(t, base, tt.src, tt.want)
			if _, _, err := ParseFile("m.sql", []byte(base+tt.src), Options{}); err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("message holds the password: %v", err)
			}
		})
	}
}
