//go:build unix

package pgdecode

/*
#include <stdint.h>
#include <stddef.h>
int pgdecode_run_on_stack(uintptr_t h, size_t size);
size_t pgdecode_min_stack(void);
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"syscall"
)

// threadStack is the stack every thread that may call libpg_query has at
// least: Go's own threads get the system's default (runtime/cgo creates
// them with default attributes), the main thread the stack limit.
var threadStack = int(C.pgdecode_min_stack())

// onStack runs fn on a new thread with a stack of size bytes and waits
// for it. fn runs as Go code called from C: its cgo calls run on that
// thread's stack.
func onStack(size int, fn func()) error {
	h := cgo.NewHandle(fn)
	defer h.Delete()
	if errno := C.pgdecode_run_on_stack(C.uintptr_t(h), C.size_t(size)); errno != 0 {
		return fmt.Errorf("starting a thread with a %d MB stack for deeply nested input: %w", size>>20, syscall.Errno(errno))
	}
	return nil
}

//export pgdecodeRunHandle
func pgdecodeRunHandle(h C.uintptr_t) {
	cgo.Handle(h).Value().(func())()
}
