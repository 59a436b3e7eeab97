//go:build !unix

package pgdecode

import "errors"

// threadStack is Windows's default thread stack (1 MB).
var threadStack = 1 << 20

// onStack cannot make a thread of its own here: input deeper than a 1 MB
// stack holds is refused.
func onStack(size int, fn func()) error {
	return errors.New("input nested too deeply for this platform's thread stacks")
}
