package project_test

import (
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/project"
)

func TestResolveRename(t *testing.T) {
	cur := mustParse(t, "current.sql", `CREATE SCHEMA app;
CREATE TABLE users (id int, name text);
CREATE TABLE app.users (id int, name text);
CREATE TABLE app.x (id int);
CREATE TABLE app (x int);
`)
	st := &project.State{Current: cur}
	tests := []struct{ arg, want, err string }{
		{arg: "users.name=full_name", want: "users.name=full_name"},
		{arg: "users.name=users.full_name", want: "users.name=full_name"},
		{arg: "app.users.name=full_name", want: "app.users.name=full_name"},
		{arg: "app.users.name=app.users.full_name", want: "app.users.name=full_name"},
		{arg: "users=people", want: "table users=people"},
		{arg: "app.users=app.people", want: "table app.users=people"},
		{arg: "app.users=people", want: "table app.users=people"},
		{arg: "app.x=y", err: "ambiguous"}, // column x of table public.app, or table app.x
		{arg: "column app.x=y", want: "app.x=y"},
		{arg: "table app.x=y", want: "table app.x=y"},
		{arg: "users.nope=x", err: "matches no column public.users.nope"},
		{arg: "nope=x", err: "no table nope"},
		{arg: "users.name=other.full_name", err: "want [schema.]table.old=new"},
		{arg: "users.name", err: "want [schema.]table.old=new"},
	}
	for _, tt := range tests {
		r, err := st.ResolveRename(tt.arg)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.arg, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.arg, err)
		case r.String() != tt.want:
			t.Errorf("%q = %s, want %s", tt.arg, r, tt.want)
		}
	}
}
