// Package pgdecode parses SQL with libpg_query as pg_query.Parse does, but
// decodes the protobuf parse tree with code generated for pg_query's
// messages (decode_gen.go) instead of protobuf-go's reflective decoder.
//
// Why: folding a large schema is bounded by parsing it (issue 7), and of
// pg_query.Parse's time, protobuf-go's Unmarshal takes a large share. It
// walks tables of field descriptors and allocates every oneof wrapper
// through reflect.New; a decoder with one switch per message does the same
// work in a fraction of the time and allocations. The result is the same
// *pg_query.ParseResult, checked against proto.Unmarshal in the tests, so
// everything downstream (the deparser included) is unchanged.
package pgdecode

//go:generate go run ./gen -o decode_gen.go

import (
	"errors"
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	pgparser "github.com/pganalyze/pg_query_go/v5/parser"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Parse parses sql into pg_query_go's tree, exactly as pg_query.Parse
// does; a syntax error is the same *parser.Error.
//
// Input nested deeper than MaxDepth is a *DepthError; input nested deeper
// than the calling thread's stack surely holds is parsed on a thread with
// a stack large enough (depth.go).
func Parse(sql string) (*pg_query.ParseResult, error) {
	depth, _, over := scanDepth(sql, MaxDepth)
	if over >= 0 {
		return nil, &DepthError{Offset: over, Depth: depth}
	}
	var buf []byte
	err := withStack(depth*msgsPerLevel, func() error {
		var err error
		buf, err = pgparser.ParseToProtobuf(sql)
		return err
	})
	if err != nil {
		return nil, err
	}
	return Decode(buf)
}

// Deparse prints a tree back as SQL, as pg_query.Deparse does, on a thread
// with a stack large enough for the tree's depth.
func Deparse(tree *pg_query.ParseResult) (string, error) {
	buf, err := proto.Marshal(tree)
	if err != nil {
		return "", err
	}
	msgs := len(buf) / 2 // a nested message takes two bytes at least
	if msgs > directMsgs() {
		msgs = wireDepth(buf)
	}
	if msgs > maxMsgs {
		return "", fmt.Errorf("expression too deeply nested to print (%d levels of the parse tree, ddlmig prints at most %d)", msgs, maxMsgs)
	}
	var s string
	err = withStack(msgs, func() error {
		var err error
		s, err = pgparser.DeparseFromProtobuf(buf)
		return err
	})
	return s, err
}

// Decode decodes a protobuf-encoded pg_query ParseResult. Should the
// generated decoder meet anything it does not expect (it never should: it
// is generated from the same descriptors libpg_query encodes), it falls back
// to proto.Unmarshal, so an unexpected encoding costs time, never a result.
func Decode(buf []byte) (*pg_query.ParseResult, error) {
	tree := &pg_query.ParseResult{}
	if err := decodeParseResult(buf, tree); err == nil {
		return tree, nil
	}
	tree = &pg_query.ParseResult{}
	if err := proto.Unmarshal(buf, tree); err != nil {
		return nil, fmt.Errorf("decoding pg_query's parse tree: %w", err)
	}
	return tree, nil
}

// errDecode is what a generated function returns on input it does not
// expect; Decode then falls back to proto.Unmarshal.
var errDecode = errors.New("pgdecode: unexpected encoding")

// The wire types that pg_query's messages use.
const (
	varintType  = protowire.VarintType
	bytesType   = protowire.BytesType
	fixed64Type = protowire.Fixed64Type
)

// tag reads a field's tag; n < 0 on error.
func tag(b []byte) (protowire.Number, protowire.Type, int) {
	if len(b) > 0 && b[0] < 0x80 && b[0] >= 8 {
		// One byte: field numbers below 16, most of pg_query's.
		return protowire.Number(b[0] >> 3), protowire.Type(b[0] & 7), 1
	}
	num, wt, n := protowire.ConsumeTag(b)
	return num, wt, n
}

// varint reads a varint; n < 0 on error.
func varint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return protowire.ConsumeVarint(b)
}

// lenPrefixed reads a length-prefixed value; n < 0 on error.
func lenPrefixed(b []byte) ([]byte, int) {
	return protowire.ConsumeBytes(b)
}

// fixed64 reads a fixed 64-bit value; n < 0 on error.
func fixed64(b []byte) (uint64, int) {
	return protowire.ConsumeFixed64(b)
}

// skip skips a field of an unknown number; n < 0 on error.
func skip(num protowire.Number, wt protowire.Type, b []byte) int {
	return protowire.ConsumeFieldValue(num, wt, b)
}

// skipAll checks that b holds only well-formed fields, for messages that
// have none of their own.
func skipAll(b []byte) error {
	for len(b) > 0 {
		num, wt, n := tag(b)
		if n < 0 {
			return errDecode
		}
		b = b[n:]
		if n = skip(num, wt, b); n < 0 {
			return errDecode
		}
		b = b[n:]
	}
	return nil
}
