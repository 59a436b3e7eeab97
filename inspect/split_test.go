package inspect

import "testing"

// TestSplitPath: the file of an item is named by rank and plural kind, in
// its schema's folder, whose name can neither climb out of the folder nor
// hide itself.
func TestSplitPath(t *testing.T) {
	for _, c := range []struct {
		name string
		p    place
		rank int
		want string
	}{
		{"schema", place{"", "schema"}, rankSchema, "00_schemas.sql"},
		{"index", place{"public", "index"}, rankIndex, "public/17_indexes.sql"},
		{"policy", place{"app", "policy"}, rankPolicy, "app/20_policies.sql"},
		{"two words", place{"s", "materialized view"}, rankMatview, "s/15_materialized_views.sql"},
		{"slash", place{"a/b", "table"}, rankTable, "a%2Fb/12_tables.sql"},
		{"parent", place{"..", "table"}, rankTable, "%2E./12_tables.sql"},
		{"hidden", place{".x", "table"}, rankTable, "%2Ex/12_tables.sql"},
		{"no kind", place{"", ""}, rankOpaque, "21_objects.sql"},
		{"tilde", place{"~a", "view"}, rankView, "%7Ea/14_views.sql"},
		{"default privileges last", place{"", "default acl"}, rankDefaultPrivileges, "~22_default_privileges.sql"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.p.path(c.rank, 2, c.rank); got != c.want {
				t.Errorf("path = %q, want %q", got, c.want)
			}
		})
	}
}
