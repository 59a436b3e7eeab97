package runner

import (
	"fmt"
	"strings"
)

// nouns returns n and word in the number n takes: "1 batch", "3 batches",
// "2 migrations".
func nouns(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "ch") || strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// isAre returns the verb a count of n takes: "1 is", "2 are".
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// firstBatches names batches 1 to k with the verb they take: "batch 1 is",
// "batches 1-3 are" (verb "is"), "batch 1 stays", "batches 1-3 stay"
// (verb "stays"); verb "" gives the name alone.
func firstBatches(k int, verb string) string {
	if k == 1 {
		return strings.TrimSpace("batch 1 " + verb)
	}
	switch verb {
	case "is":
		verb = "are"
	default:
		verb = strings.TrimSuffix(verb, "s")
	}
	return strings.TrimSpace(fmt.Sprintf("batches 1-%d %s", k, verb))
}
