package main

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/project"
	"github.com/ddlmig/ddlmig/render"
	"github.com/ddlmig/ddlmig/schema"
)

// diffMarkdown is `diff --format markdown`: a pull-request comment that a
// reviewer can look at rather than read. A summary table of the changes and
// their hazards, the SQL of both files in collapsible blocks, and a Mermaid
// erDiagram of the changed tables and their foreign keys (GitHub renders
// mermaid code blocks).
func diffMarkdown(m *project.Migration, desired *schema.Catalog) string {
	var b strings.Builder
	if m.Empty() {
		b.WriteString("### ddlmig: no schema changes\n\nThe migrations already match the schema file.\n")
		return b.String()
	}
	var changes []planner.Change
	for _, f := range pairs(m) {
		changes = append(changes, f.UpPlan.Changes...)
	}
	hazards := 0
	for _, c := range changes {
		hazards += len(planner.HazardsOf(c))
	}
	fmt.Fprintf(&b, "### ddlmig: %s, %s\n\n", plural(len(changes), "change"), plural(hazards, "hazard"))
	b.WriteString("| # | change | statement | lock | hazards |\n|---|---|---|---|---|\n")
	for i, c := range changes {
		sql := render.Statement(c)
		var codes []string
		for _, h := range planner.HazardsOf(c) {
			codes = append(codes, "`"+h.Code+"`")
		}
		fmt.Fprintf(&b, "| %d | %s | `%s` | %s | %s |\n", i+1, kindName(c), mdCell(statementHead(sql, 100)), orDash(lockOf(c, sql)), orDash(strings.Join(codes, " ")))
	}
	if hazards > 0 {
		b.WriteString("\n#### Hazards to review\n\n| code | class | what |\n|---|---|---|\n")
		for _, c := range changes {
			for _, h := range planner.HazardsOf(c) {
				class := ""
				if info, ok := planner.Info(h.Code); ok {
					class = info.Class.String()
				}
				fmt.Fprintf(&b, "| `%s` | %s | %s |\n", h.Code, class, mdCell(h.Message))
			}
		}
	}
	for _, f := range pairs(m) {
		details(&b, "Up: "+f.UpFile, f.Up)
		details(&b, "Down: "+f.DownFile, f.Down)
	}
	if d := mermaidER(changedTables(changes), desired); d != "" {
		b.WriteString("\n#### Changed tables and their foreign keys\n\n```mermaid\n" + d + "```\n")
	}
	return b.String()
}

func kindName(c planner.Change) string { return strings.TrimPrefix(fmt.Sprintf("%T", c), "*planner.") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// details writes a collapsible block holding a file's SQL.
func details(b *strings.Builder, summary, sql string) {
	fence := "```"
	for strings.Contains(sql, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "\n<details><summary>%s</summary>\n\n%ssql\n%s", mdCell(summary), fence, sql)
	if !strings.HasSuffix(sql, "\n") {
		b.WriteString("\n")
	}
	b.WriteString(fence + "\n\n</details>\n")
}

// statementHead is the statement's first line, shortened to n runes.
func statementHead(s string, n int) string {
	s, _, more := strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > n {
		s, more = string(r[:n]), true
	}
	if more {
		s += " …"
	}
	return s
}

// mdCell makes text safe in a table cell or a summary: no line breaks, no
// column separators, no HTML.
func mdCell(s string) string {
	return strings.NewReplacer("\n", " ", "|", "\\|", "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}

var qualifiedType = reflect.TypeOf(schema.QualifiedName{})

// changedTables are the tables a plan's changes touch: created, dropped,
// renamed, or changed in a column, constraint or index.
func changedTables(changes []planner.Change) map[schema.QualifiedName]bool {
	out := map[schema.QualifiedName]bool{}
	for _, c := range changes {
		switch c := c.(type) {
		case *planner.CreateTable:
			out[c.Name] = true
		case *planner.DropTable:
			out[c.Name] = true
		case *planner.RenameTable:
			out[schema.QualifiedName{Schema: c.Name.Schema, Name: c.To}] = true
		case *planner.CreateIndex:
			out[c.Index.Table] = true
		default:
			if f := reflect.ValueOf(c).Elem().FieldByName("Table"); f.IsValid() && f.Type() == qualifiedType {
				out[f.Interface().(schema.QualifiedName)] = true
			}
		}
	}
	return out
}

// mermaidER draws the changed tables that exist in the new schema with
// their columns and keys, and every foreign key from or to one of them
// (the other table is drawn by name only). "" when there is none.
func mermaidER(changed map[schema.QualifiedName]bool, cat *schema.Catalog) string {
	var names []schema.QualifiedName
	for q := range changed {
		if cat.Tables[q] != nil {
			names = append(names, q)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Less(names[j]) })
	var b strings.Builder
	b.WriteString("erDiagram\n")
	for _, q := range names {
		erEntity(&b, cat.Tables[q])
	}
	var all []schema.QualifiedName
	for q := range cat.Tables {
		all = append(all, q)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Less(all[j]) })
	for _, q := range all {
		t := cat.Tables[q]
		for _, con := range t.Constraints {
			if con.Kind != schema.ForeignKey || (!changed[q] && !changed[con.RefTable]) {
				continue
			}
			card := "}o--||"
			for _, col := range con.Columns {
				if c := t.Column(col); c != nil && !c.NotNull {
					card = "}o--o|"
				}
			}
			fmt.Fprintf(&b, "    %s %s %s : %q\n", erName(q), card, erName(con.RefTable), erLabel(con.Name))
		}
	}
	return b.String()
}

// erEntity writes a table's block: one line per column, "type name KEYS".
func erEntity(b *strings.Builder, t *schema.Table) {
	keys := map[string][]string{}
	for _, con := range t.Constraints {
		k := map[schema.ConstraintKind]string{schema.PrimaryKey: "PK", schema.ForeignKey: "FK", schema.Unique: "UK"}[con.Kind]
		for _, col := range con.Columns {
			if k != "" && !slices.Contains(keys[col], k) {
				keys[col] = append(keys[col], k)
			}
		}
	}
	fmt.Fprintf(b, "    %s {\n", erName(t.Name))
	for _, c := range t.Columns {
		fmt.Fprintf(b, "        %s %s", erWord(c.Type.String()), erWord(c.Name))
		if k := keys[c.Name]; len(k) > 0 {
			b.WriteString(" " + strings.Join(k, ","))
		}
		b.WriteString("\n")
	}
	b.WriteString("    }\n")
}

var erUnsafe = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// erName names an entity: mermaid's entity names are words, so the schema
// and the table are joined with a dot replaced (public.users is
// public_users; a name with other characters has them replaced too).
func erName(q schema.QualifiedName) string { return erWord(q.Schema + "." + q.Name) }

// erWord makes a type or column name a mermaid word: character
// varying(200) is character_varying_200.
func erWord(s string) string {
	w := strings.Trim(erUnsafe.ReplaceAllString(s, "_"), "_")
	if w == "" || (w[0] >= '0' && w[0] <= '9') {
		w = "x_" + w
	}
	return w
}

// erLabel is a relationship's label without the quotes that would end it.
func erLabel(s string) string { return strings.ReplaceAll(s, `"`, "'") }
