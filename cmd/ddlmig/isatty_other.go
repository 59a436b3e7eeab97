//go:build !linux && !darwin

package main

// isatty has no terminal check on this platform: it answers no, so that
// generate never waits for an answer nobody can give, and prints the
// --rename flags to rerun with instead.
func isatty(fd uintptr) bool { return false }
