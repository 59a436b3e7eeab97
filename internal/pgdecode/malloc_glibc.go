//go:build linux

package pgdecode

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
static void tune_malloc(void) {
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
}
*/
import "C"

// TuneMalloc makes glibc's malloc keep the memory libpg_query frees for the
// next parse instead of handing it back to the kernel. It is for programs
// that parse large inputs (ddlmig's main calls it); a library never should,
// since the setting is the whole process's.
//
// Why: libpg_query builds each parse tree in a PostgreSQL memory context
// whose blocks grow to megabytes, and by default glibc serves blocks that
// large with mmap and unmaps them on free. Every parse then touches fresh
// pages, and on a virtual machine each page fault is dear: perf showed a
// quarter of a 1 MB parse in the kernel's page-fault path, and with freed
// memory reused the same parse took half the time (BENCHMARKS.md). The
// cost is that the memory of the largest parse stays mapped until the
// process exits (tens of megabytes for a 256 kB piece of a schema).
// Elsewhere than glibc it does nothing.
func TuneMalloc() { C.tune_malloc() }
