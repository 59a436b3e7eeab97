package testdb

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestWithDatabase parses what WithDatabase returns: the database pgx
// connects to must be the one asked for, however the input named another.
func TestWithDatabase(t *testing.T) {
	for _, in := range []string{
		"postgres://u@h/app?sslmode=disable",
		"postgres://u@h/app?database=prod",
		"postgresql://u@h/app?dbname=prod",
		"host=h user=u dbname=prod",
		"host=h user=u database=prod",
	} {
		cfg, err := pgx.ParseConfig(WithDatabase(in, "ddlmig_t_x"))
		if err != nil || cfg.Database != "ddlmig_t_x" {
			t.Errorf("WithDatabase(%q, ddlmig_t_x) connects to %q (%v)", in, cfg.Database, err)
		}
	}
}
