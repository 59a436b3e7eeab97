package inspect_test

import (
	"os"
	"testing"

	"github.com/ddlmig/ddlmig/internal/testdb"
)

// TestMain lets the tests reuse their scratch databases (testdb.Main).
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
