package conformance

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	createTableRE = regexp.MustCompile(`(?i)^\s*CREATE\s+(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`)
	renamedRE     = regexp.MustCompile(`@renamed\s+from=("(?:[^"]|"")*"|[^\s*,;]+)`)
	notColumnRE   = regexp.MustCompile(`(?i)^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE|LIKE)\b`)
)

// sqldefRenames reads sqldef's rename directives (`-- @renamed from=old` or
// `/* @renamed from=old */` on a CREATE TABLE line or a column line) in a
// desired schema, as the oracle's Renames map: "schema.old" for a table and
// "schema.table.old" for a column, both to the new full name. The oracle then
// holds the migration to keeping the renamed data, which a drop and an add
// does not. Index, type and enum value renames carry no rows and are left out.
// The reading is line-based, which is enough for the corpus's layout.
func sqldefRenames(desired string) map[string]string {
	out := map[string]string{}
	var newTable, oldTable string // the CREATE TABLE being read, "" outside
	for _, line := range strings.Split(desired, "\n") {
		m := renamedRE.FindStringSubmatch(line)
		if loc := createTableRE.FindStringIndex(line); loc != nil {
			name, _ := readQualified(line[loc[1]:])
			newTable, oldTable = name, name
			if m != nil {
				old, _ := readQualified(m[1])
				if !strings.Contains(m[1], ".") { // same schema as the new name
					old = name[:strings.LastIndexByte(name, '.')+1] + old[strings.LastIndexByte(old, '.')+1:]
				}
				oldTable = old
				out[old] = name
			}
			continue
		}
		if newTable == "" {
			continue
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, ")") {
			newTable, oldTable = "", ""
			continue
		}
		if m == nil || notColumnRE.MatchString(t) {
			continue
		}
		col, rest := readIdent(t)
		if col == "" || rest == t {
			continue
		}
		old, _ := readIdent(m[1])
		out[oldTable+"."+old] = newTable + "." + col
	}
	return out
}

// readQualified reads a possibly schema-qualified name at the start of s,
// quoted or not, and returns it as "schema.name" (public when unqualified)
// with PostgreSQL's case folding applied.
func readQualified(s string) (string, string) {
	var parts []string
	for {
		id, rest := readIdent(strings.TrimLeft(s, " \t"))
		if id == "" {
			break
		}
		parts = append(parts, id)
		s = rest
		if !strings.HasPrefix(s, ".") {
			break
		}
		s = s[1:]
	}
	if len(parts) == 1 {
		parts = []string{"public", parts[0]}
	}
	return strings.Join(parts, "."), s
}

// readIdent reads one identifier at the start of s: "quoted" as written,
// bare folded to lower case.
func readIdent(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				return b.String(), s[i+1:]
			}
			b.WriteByte(s[i])
		}
		return "", s
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '$' || s[i] >= 0x80 ||
		(s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (i > 0 && s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	return strings.ToLower(s[:i]), s[i:]
}

func TestSqldefRenames(t *testing.T) {
	tests := []struct {
		name, sql string
		want      map[string]string
	}{
		{"column", "CREATE TABLE users (\n  id int,\n  user_name text, -- @renamed from=username\n);", map[string]string{"public.users.username": "public.users.user_name"}},
		{"quoted column", "CREATE TABLE users (\n  \"NewName\" text -- @renamed from=\"Old\"\"Name\"\n);", map[string]string{`public.users.Old"Name`: "public.users.NewName"}},
		{"table and column", "CREATE TABLE accounts ( -- @renamed from=old_accounts\n  id int,\n  username varchar(100) NOT NULL, -- @renamed from=user_name\n);",
			map[string]string{"public.old_accounts": "public.accounts", "public.old_accounts.user_name": "public.accounts.username"}},
		{"block comment, schema", "CREATE TABLE s.New_Users /* @renamed from=old_users */ (\n  id int\n);", map[string]string{"s.old_users": "s.new_users"}},
		{"constraint and index ignored", "CREATE TABLE t (\n  id int,\n  CONSTRAINT u UNIQUE (id) -- @renamed from=old_u\n);\nCREATE INDEX i /* @renamed from=j */ ON t (id);", map[string]string{}},
		{"column after the table ends", "CREATE TABLE t (id int);\nCREATE TYPE e AS ENUM (\n  'a' /* @renamed from=b */\n);", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sqldefRenames(tt.sql)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
