package pgdecode

import (
	"google.golang.org/protobuf/encoding/protowire"
)

// The stack libpg_query needs, as measured by TestDepthLimit.
const (
	// msgsPerLevel bounds the protobuf messages of one level of Depth
	// (TestDepthBound, FuzzDepth): an operator node is two (the Node
	// wrapper and the expression), a nested query more.
	msgsPerLevel = 4
	// stackPerMsg bounds the C stack one level of message nesting takes
	// in a parse (about 180 bytes) or a deparse (about 950, protobuf-c's
	// unpacking), with room to spare.
	stackPerMsg = 1280
	// stackBase is the stack a parse or deparse takes at no depth.
	stackBase = 256 << 10
	// maxMsgs is the deepest tree Deparse prints: what Parse returns at
	// MaxDepth, and the statement around it.
	maxMsgs = MaxDepth*msgsPerLevel + 64
)

// stackFor is the stack a parse or deparse of msgs levels of nesting
// needs.
func stackFor(msgs int) int { return stackBase + msgs*stackPerMsg }

// directMsgs is the deepest nesting run on the calling thread: what half
// the smallest thread stack holds.
func directMsgs() int {
	if threadStack <= 0 {
		return 0
	}
	return (threadStack/2 - stackBase) / stackPerMsg
}

// withStack runs fn, which calls libpg_query on input of msgs levels of
// nesting, on the calling thread if its stack surely holds them and on a
// thread of its own with twice the stack needed if not.
func withStack(msgs int, fn func() error) error {
	if msgs <= directMsgs() {
		return fn()
	}
	size := 2 * stackFor(msgs)
	size = (size + 1<<20 - 1) &^ (1<<20 - 1)
	var err error
	if e := onStack(size, func() { err = fn() }); e != nil {
		return e
	}
	return err
}

// wireDepth returns an upper bound of the nesting of messages in the
// encoded message b: every length-delimited field that reads as a message
// is taken for one (a string rarely does; a packed list may). It is -1
// when b does not read as a message.
func wireDepth(b []byte) int {
	deepest := 0
	for len(b) > 0 {
		num, wt, n := protowire.ConsumeTag(b)
		if n < 0 {
			return -1
		}
		b = b[n:]
		if wt == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return -1
			}
			if d := wireDepth(v); d > deepest {
				deepest = d // an empty field may be an empty message: 1
			}
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, wt, b)
		if m < 0 {
			return -1
		}
		b = b[m:]
	}
	return deepest + 1
}
