//go:build !linux

package pgdecode

// TuneMalloc does nothing here: the page-fault cost it avoids was measured
// with glibc's malloc (see malloc_glibc.go).
func TuneMalloc() {}
