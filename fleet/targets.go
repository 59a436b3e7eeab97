package fleet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/runner"
)

// Target is one database of the fleet, or one tenant schema in a
// database (schema-per-tenant): the tenant then has its own bookkeeping
// table in its schema, and its session's search_path is that schema, so
// the migrations' unqualified names land there.
type Target struct {
	URL    string
	Schema string // "" for a database per tenant
}

// Databases makes one Target per URL.
func Databases(urls []string) []Target {
	out := make([]Target, len(urls))
	for i, u := range urls {
		out[i] = Target{URL: u}
	}
	return out
}

// Schemas makes one Target per tenant schema of the database at url.
func Schemas(url string, schemas []string) []Target {
	out := make([]Target, len(schemas))
	for i, s := range schemas {
		out[i] = Target{URL: url, Schema: s}
	}
	return out
}

// ReadTargets reads database URLs, one a line; blank lines and lines
// starting with # are skipped. A duplicate is an error: two workers on one
// database would only wait for each other's lock.
func ReadTargets(r io.Reader) ([]string, error) {
	var out []string
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if prev, ok := seen[line]; ok {
			return nil, fmt.Errorf("line %d: the same target as line %d (%s)", n, prev, runner.Redact(line))
		}
		seen[line] = n
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no targets: the file lists no database URL")
	}
	return out, nil
}

// Query runs query on the control database at url and returns its one
// text column, row by row: database URLs (--targets-query) or tenant
// schema names (--schemas-query). A NULL, a duplicate or no row at all is
// an error, as in a targets file.
func Query(ctx context.Context, url, query string) ([]string, error) {
	conn, err := runner.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("running the targets query: %w", err)
	}
	if n := len(rows.FieldDescriptions()); n != 1 {
		rows.Close()
		return nil, fmt.Errorf("the targets query returns %d columns; want one (a URL or a schema name a row)", n)
	}
	vals, err := pgx.CollectRows(rows, pgx.RowTo[*string])
	if err != nil {
		return nil, fmt.Errorf("running the targets query: %w", err)
	}
	var out []string
	seen := map[string]int{}
	for i, v := range vals {
		if v == nil {
			return nil, fmt.Errorf("the targets query returned NULL in row %d", i+1)
		}
		if prev, ok := seen[*v]; ok {
			return nil, fmt.Errorf("the targets query returned the same target in rows %d and %d (%s)", prev, i+1, runner.Redact(*v))
		}
		seen[*v] = i + 1
		out = append(out, *v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no targets: the targets query returned no row")
	}
	return out, nil
}

// WaveSize reads a --wave value, a number of targets ("10") or a share of
// those left after the canary ("25%", rounded up), and returns the number
// of targets a wave starts; 0 for an empty spec (one wave).
func WaveSize(spec string, afterCanary int) (int, error) {
	if spec == "" {
		return 0, nil
	}
	if p, ok := strings.CutSuffix(spec, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f <= 0 || f > 100 {
			return 0, fmt.Errorf("bad wave %q: want a number of targets or a percentage in (0, 100]", spec)
		}
		return max(1, int(math.Ceil(f*float64(afterCanary)/100))), nil
	}
	n, err := strconv.Atoi(spec)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad wave %q: want a number of targets or a percentage in (0, 100]", spec)
	}
	return n, nil
}
