//go:build unix

#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include "_cgo_export.h"

static void *bigstack_start(void *arg) {
	pgdecodeRunHandle((uintptr_t)arg);
	return NULL;
}

// pgdecode_run_on_stack runs the Go function behind handle h on a new
// thread whose stack is size bytes, and waits for it; it returns 0 or an
// errno value.
int pgdecode_run_on_stack(uintptr_t h, size_t size) {
	pthread_attr_t attr;
	pthread_t t;
	int err = pthread_attr_init(&attr);
	if (err != 0) {
		return err;
	}
	err = pthread_attr_setstacksize(&attr, size);
	if (err == 0) {
		err = pthread_create(&t, &attr, bigstack_start, (void *)h);
	}
	pthread_attr_destroy(&attr);
	if (err != 0) {
		return err;
	}
	return pthread_join(t, NULL);
}

// pgdecode_min_stack returns the smaller of the stack size the Go
// runtime's threads get and the main thread's stack limit. runtime/cgo
// creates threads with default attributes, except on macOS, where it gives
// them the stack size of the thread that creates them: the main thread's,
// in the end (package initialisation runs on the main thread).
size_t pgdecode_min_stack(void) {
#ifdef __APPLE__
	return pthread_get_stacksize_np(pthread_self());
#else
	size_t size = 0;
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_getstacksize(&attr, &size);
		pthread_attr_destroy(&attr);
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (size == 0 || rl.rlim_cur < size)) {
		size = rl.rlim_cur;
	}
	return size;
#endif
}
