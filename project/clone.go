package project

import (
	"reflect"
	"sync"
)

// deepCopy returns a copy of v that shares nothing mutable with it: every
// pointer, slice and map reachable from v is copied, strings and plain
// values are shared. The steps of a run copy the part of the schema each
// one changes before folding it (stepDown); gob, which the fold cache
// uses, did the same work through an encoding and back, at three times the
// time and five times the memory.
//
// Like gob, it copies a pointer reached twice twice (the model has no
// cycles, and nothing in it relies on two of its paths leading to one
// object). Unlike gob, it keeps empty slices and maps empty rather than
// nil, so the copy is equal to v in every way the planner can see.
// It needs what gob needs: exported fields, no interfaces or functions
// (catalogGobs checks the model).
func deepCopy[T any](v T) T {
	var out T
	copyInto(reflect.ValueOf(&out).Elem(), reflect.ValueOf(v))
	return out
}

// copyValue sets dst, a settable value of src's type, to a deep copy of
// src.
func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyInto(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if !refsOf(src.Type().Elem()).any {
			reflect.Copy(s, src)
		} else {
			for i := range src.Len() {
				copyValue(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			copyInto(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		copyMap(dst, src)
	case reflect.Struct:
		dst.Set(src) // the plain fields; those that hold references follow
		for _, i := range refsOf(src.Type()).fields {
			copyValue(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

// copyInto is copyValue for a value of any type: one that holds no
// reference is assigned.
func copyInto(dst, src reflect.Value) {
	if refsOf(src.Type()).any {
		copyValue(dst, src)
	} else {
		dst.Set(src)
	}
}

// copyMap is copyValue for a map.
func copyMap(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	t := src.Type()
	m := reflect.MakeMapWithSize(t, src.Len())
	deepKeys, deepValues := refsOf(t.Key()).any, refsOf(t.Elem()).any
	k, v := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
	for it := src.MapRange(); it.Next(); {
		if deepKeys {
			copyValue(k, it.Key())
		} else {
			k.SetIterKey(it)
		}
		if deepValues {
			v.SetZero()
			copyValue(v, it.Value())
		} else {
			v.SetIterValue(it)
		}
		m.SetMapIndex(k, v)
	}
	dst.Set(m)
}

// refs says whether a value of a type can reach memory that a copy by
// assignment would share (a pointer, slice or map: strings are immutable,
// so sharing them is safe), and for a struct which of its fields can.
type refs struct {
	any    bool
	fields []int
}

// refTypes caches refsOf by type.
var refTypes sync.Map // reflect.Type -> refs

func refsOf(t reflect.Type) refs {
	if r, ok := refTypes.Load(t); ok {
		return r.(refs)
	}
	var r refs
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		r.any = true
	case reflect.Array:
		r.any = refsOf(t.Elem()).any
	case reflect.Struct:
		for i := range t.NumField() {
			if refsOf(t.Field(i).Type).any {
				r.fields = append(r.fields, i)
			}
		}
		r.any = len(r.fields) > 0
	}
	refTypes.Store(t, r)
	return r
}
