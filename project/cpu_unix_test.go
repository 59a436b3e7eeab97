//go:build unix

package project_test

import "syscall"

// processCPU is the user and system CPU time this process has used, in
// nanoseconds (see forSizes).
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
