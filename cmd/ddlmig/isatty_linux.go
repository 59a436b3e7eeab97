package main

import (
	"syscall"
	"unsafe"
)

// isatty reports whether fd is a terminal: whether the terminal driver
// answers TCGETS (what the C library's isatty does).
func isatty(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
