//go:build !unix

package project_test

// processCPU is not measured here: forSizes reports no cpu-ns/op.
func processCPU() int64 { return 0 }
