package pgdecode

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddlmig/ddlmig/internal/corpus"
	"github.com/ddlmig/ddlmig/internal/synth"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	pgparser "github.com/pganalyze/pg_query_go/v5/parser"
	"google.golang.org/protobuf/proto"
)

// corpusTexts returns SQL texts to decode: the repository's own SQL files and
// golden cases, a synthetic schema, and the sqldef corpus (internal/corpus).
func corpusTexts(t testing.TB) map[string]string {
	texts := map[string]string{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".sql") || strings.HasSuffix(path, ".txtar")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".txtar") {
			// Each section of a golden case on its own: they do not
			// parse as one file.
			for i, sec := range strings.Split(string(b), "\n-- ") {
				if _, body, ok := strings.Cut(sec, " --\n"); ok {
					texts[path+"#"+string(rune('a'+i%26))+strings.Repeat("'", i/26)] = body
				}
			}
			return nil
		}
		texts[path] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := synth.Generate(synth.Options{Tables: 200, Seed: 1, Views: true})
	texts["synth base"], texts["synth mutated"] = string(r.Base), string(r.Mutated)

	// The sqldef corpus: JSON lines with SQL strings in some fields.
	if dir, ok := corpus.Optional(t, "conformance/sqldef"); ok {
		f, err := os.Open(filepath.Join(dir, "cases.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 16<<20)
		for line := 1; sc.Scan(); line++ {
			var c map[string]any
			if json.Unmarshal(sc.Bytes(), &c) != nil {
				continue
			}
			for k, v := range c {
				if s, ok := v.(string); ok && strings.Contains(strings.ToUpper(s), "CREATE") {
					texts["sqldef:"+string(rune(line))+":"+k] = s
				}
			}
		}
	}
	return texts
}

// TestDecodeMatchesProto decodes every corpus text with the generated
// decoder and with proto.Unmarshal, and wants the same tree. A text that
// does not parse must fail the same way.
func TestDecodeMatchesProto(t *testing.T) {
	texts := corpusTexts(t)
	if len(texts) < 100 {
		t.Fatalf("corpus holds %d texts, want at least 100", len(texts))
	}
	parsed := 0
	for name, text := range texts {
		buf, err := pgparser.ParseToProtobuf(text)
		if err != nil {
			_, err2 := Parse(text)
			var pe, pe2 *pgparser.Error
			if !errors.As(err, &pe) || !errors.As(err2, &pe2) || *pe != *pe2 {
				t.Errorf("%s: pg_query: %v; Parse: %v", name, err, err2)
			}
			continue
		}
		want := &pg_query.ParseResult{}
		if err := proto.Unmarshal(buf, want); err != nil {
			t.Fatalf("%s: proto.Unmarshal: %v", name, err)
		}
		got := &pg_query.ParseResult{}
		if err := decodeParseResult(buf, got); err != nil {
			t.Errorf("%s: generated decoder: %v", name, err)
			continue
		}
		if !proto.Equal(want, got) {
			t.Errorf("%s: the generated decoder's tree differs from proto.Unmarshal's", name)
		}
		parsed++
	}
	t.Logf("%d texts, %d parsed and compared", len(texts), parsed)
}

// TestDecodeFallsBack: bytes the generated decoder cannot read go to
// proto.Unmarshal, which rejects or accepts them on its own terms.
func TestDecodeFallsBack(t *testing.T) {
	buf, err := pgparser.ParseToProtobuf("CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x')")
	if err != nil {
		t.Fatal(err)
	}
	// A field 2 (stmts) sent as a varint: wrong wire type. protobuf-go keeps
	// it as an unknown field; the generated decoder refuses it.
	odd := append([]byte{2 << 3, 1}, buf...)
	if err := decodeParseResult(odd, &pg_query.ParseResult{}); !errors.Is(err, errDecode) {
		t.Fatalf("generated decoder on a mistyped field: %v, want errDecode", err)
	}
	got, err := Decode(odd)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := &pg_query.ParseResult{}
	if err := proto.Unmarshal(odd, want); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(want, got) || len(got.Stmts) != 1 {
		t.Fatalf("Decode's fallback differs from proto.Unmarshal")
	}
	// Truncated input: both fail.
	if _, err := Decode(buf[:len(buf)-3]); err == nil {
		t.Fatalf("Decode of a truncated tree: no error")
	}
}

func BenchmarkDecode(b *testing.B) {
	mutated := string(synth.Generate(synth.Options{Tables: 1000, Seed: 1}).Mutated)
	buf, err := pgparser.ParseToProtobuf(mutated)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("proto.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			if err := proto.Unmarshal(buf, &pg_query.ParseResult{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generated", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		for b.Loop() {
			if err := decodeParseResult(buf, &pg_query.ParseResult{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParseToProtobuf", func(b *testing.B) {
		b.SetBytes(int64(len(mutated)))
		for b.Loop() {
			if _, err := pgparser.ParseToProtobuf(mutated); err != nil {
				b.Fatal(err)
			}
		}
	})
}
