package render

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/planner"
	"github.com/ddlmig/ddlmig/schema"
)

// everyChange holds one value of every change type of package planner
// that no kind's planner registration lists (planner.KindChanges).
// TestEveryChangeRenders fails until a new change type is listed here or
// there, and then until a renderer claims it.
var everyChange = []planner.Change{
	&planner.AddAttribute{}, &planner.AddColumn{}, &planner.AddConstraint{}, &planner.AddDomainConstraint{},
	&planner.RunUnmanaged{Stmt: &schema.Unmanaged{Text: "SELECT 1"}}, &planner.UndoUnmanaged{Stmt: &schema.Unmanaged{}},
	&planner.AddEnumValue{}, &planner.AddIdentity{}, &planner.AlterAttributeType{}, &planner.AlterColumnType{},
	&planner.AlterExtensionSchema{}, &planner.AlterPolicy{}, &planner.AlterSequence{}, &planner.AttachPartition{},
	&planner.CreateCollation{}, &planner.CreateComposite{}, &planner.CreateDomain{}, &planner.CreateEnum{},
	&planner.CreateExtension{}, &planner.CreateFunction{}, &planner.CreateIndex{}, &planner.AttachIndex{}, &planner.CreatePolicy{},
	&planner.CreateSchema{}, &planner.CreateSequence{}, &planner.CreateTable{}, &planner.CreateTrigger{},
	&planner.CreateView{}, &planner.DetachPartition{}, &planner.DropAttribute{}, &planner.DropCollation{},
	&planner.DropColumn{}, &planner.DropComposite{}, &planner.DropConstraint{}, &planner.DropDefault{},
	&planner.DropDomain{}, &planner.DropDomainConstraint{}, &planner.DropEnum{}, &planner.DropExpression{},
	&planner.DropExtension{}, &planner.DropFunction{}, &planner.DropIdentity{}, &planner.DropIndex{},
	&planner.DropNotNull{}, &planner.DropPolicy{}, &planner.DropSchema{}, &planner.DropSequence{},
	&planner.DropTable{}, &planner.DropTrigger{}, &planner.DropView{}, &planner.GrantPrivileges{},
	&planner.Irreversible{}, &planner.RebuildEnum{}, &planner.RenameColumn{}, &planner.RenameConstraint{},
	&planner.RenameDomainConstraint{}, &planner.RenameEnumValue{}, &planner.RenameIndex{}, &planner.RenameSequence{},
	&planner.RenameTable{}, &planner.RevokePrivileges{}, &planner.SetComment{}, &planner.SetDefault{},
	&planner.SetDomainDefault{}, &planner.SetDomainNotNull{}, &planner.SetForceRowSecurity{}, &planner.SetGenerated{},
	&planner.SetIdentity{}, &planner.SetInherit{}, &planner.SetLogged{}, &planner.SetOfType{}, &planner.SetNotNull{}, &planner.SetOwner{},
	&planner.SetReplicaIdentity{}, &planner.SetRowSecurity{}, &planner.SetSequenceOwner{}, &planner.SetStorageParams{},
	&planner.SetTriggerEnabled{}, &planner.SyncSequence{}, &planner.ValidateConstraint{}, &planner.ValidateDomainConstraint{},
}

// changeTypes returns the names of the types of package planner that embed
// Base, read from its source.
func changeTypes(t *testing.T) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), "../planner", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pkgs {
		ast.Inspect(p, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if st, ok := ts.Type.(*ast.StructType); ok {
				for _, f := range st.Fields.List {
					if id, ok := f.Type.(*ast.Ident); ok && id.Name == "Base" && len(f.Names) == 0 {
						names = append(names, ts.Name.Name)
					}
				}
			}
			return false
		})
	}
	slices.Sort(names)
	if len(names) == 0 {
		t.Fatal("no type of package planner embeds Base")
	}
	return names
}

// filled returns c with every nil pointer field set to a zero value, so
// that a renderer that reads through it does not fail on the sample.
func filled(c planner.Change) planner.Change {
	v := reflect.ValueOf(c).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Pointer && f.IsNil() && f.CanSet() {
			f.Set(reflect.New(f.Type().Elem()))
		}
	}
	return c
}

// TestEveryChangeRenders checks that every change type of package planner
// (found with go/ast, so a new one cannot be missed) has a renderer.
func TestEveryChangeRenders(t *testing.T) {
	have := map[string]planner.Change{}
	for _, c := range append(slices.Clone(everyChange), planner.KindChanges()...) {
		have[reflect.TypeOf(c).Elem().Name()] = c
	}
	for _, name := range changeTypes(t) {
		c, ok := have[name]
		if !ok {
			t.Errorf("planner.%s is not in everyChange", name)
			continue
		}
		s, _ := statement(filled(c))
		if strings.Contains(s, "cannot render change") || !strings.HasSuffix(s, ";") {
			t.Errorf("planner.%s renders as %q", name, s)
		}
	}
}
