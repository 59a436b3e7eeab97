package project

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ddlmig/ddlmig/internal/synth"
	"github.com/ddlmig/ddlmig/schema"
)

// TestDeepCopy holds deepCopy of the catalogs of every render golden case
// and of a synthetic schema equal to the original (nil and empty alike)
// and sharing no pointer, slice or map with it, so that folding a step
// into one never changes the other.
func TestDeepCopy(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "render", "testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no render golden cases: %v", err)
	}
	var cats []*schema.Catalog
	for _, f := range files {
		old, nu, _ := goldenCase(t, f)
		cats = append(cats, old, nu)
	}
	r := synth.Generate(synth.Options{Tables: 60, Seed: 3, Views: true})
	cats = append(cats, parseCase(t, "base.sql", string(r.Base)), schema.New(), &schema.Catalog{})
	refs := 0
	for i, c := range cats {
		cp := deepCopy(c)
		if !reflect.DeepEqual(c, cp) {
			t.Fatalf("catalog %d: the copy differs from the original", i)
		}
		refs += shared(t, reflect.ValueOf(c), reflect.ValueOf(cp), "catalog")
	}
	if refs < 10000 {
		t.Errorf("compared %d pointers, slices and maps; want the corpus to hold over 10,000", refs)
	}
}

// shared walks a and b, equal values of one type, reports every pointer,
// slice or map that both reach at the same address, and returns how many
// it compared.
func shared(t *testing.T, a, b reflect.Value, path string) int {
	t.Helper()
	n := 0
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if a.IsNil() {
			return 0
		}
		if a.Kind() != reflect.Slice || a.Cap() > 0 {
			n++
			if a.UnsafePointer() == b.UnsafePointer() {
				t.Errorf("%s: the copy shares it with the original", path)
				return n
			}
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		n += shared(t, a.Elem(), b.Elem(), path)
	case reflect.Slice, reflect.Array:
		for i := range a.Len() {
			n += shared(t, a.Index(i), b.Index(i), path+"[]")
		}
	case reflect.Map:
		for it := a.MapRange(); it.Next(); {
			n += shared(t, it.Value(), b.MapIndex(it.Key()), path+"[key]")
		}
	case reflect.Struct:
		for i := range a.NumField() {
			n += shared(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	}
	return n
}
