package project

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
	"github.com/ddlmig/ddlmig/parser"
	"github.com/ddlmig/ddlmig/schema"
)

// The fold cache keeps the catalog that a migrations folder folds to, so that
// generate, check and diff parse the folder only when it changed: folding
// costs about as much as parsing schema.sql, and between two generates the
// folder does not change.
//
// A cache must never change a result. The key therefore covers everything
// the fold depends on: the cache format, the ddlmig executable (a rebuilt
// binary may fold differently), the parser options, the folder's path (it
// is in every position) and each up file's name and contents. Reading or writing the cache never
// fails a command: any error means folding as if there were no cache.

// cacheVersion changes whenever the encoding of a cache entry changes.
const cacheVersion = "ddlmig fold cache 8"

// cacheShard is how many objects of each kind (tables, indexes, ...) one
// gob message of an entry holds at most. gob reads a message larger than
// 10 MiB in 10 MiB pieces appended together, which copied the fold of a
// 5,000-table schema (13 MiB) twice more and was a quarter of decoding it;
// messages this small (about 2.5 MiB at 1 kB of DDL per table) are read in
// one piece.
const cacheShard = 1000

// cacheKeep is how many entries the cache directory keeps: each new
// migration makes a new key, and an entry of a large schema is megabytes.
const cacheKeep = 8

// CacheEnv names the environment variable that disables the cache when set
// to "off".
const CacheEnv = "DDLMIG_CACHE"

// cacheEntry is what one cache file holds.
type cacheEntry struct {
	Catalog  *schema.Catalog
	Warnings []parser.Warning
}

// cacheHeader is the first gob message of a cache file; Shards messages
// follow, each a *schema.Catalog with a part of every map of the catalog
// (see splitCatalog). Decoding them one after the other into the same
// Catalog merges them: gob adds a message's map entries to a map that
// already exists.
type cacheHeader struct {
	Shards   int
	Warnings []parser.Warning
}

// encodeEntry writes e to w as a header and catalog shards of at most
// shard objects of each kind.
func encodeEntry(w io.Writer, e *cacheEntry, shard int) error {
	shards := splitCatalog(e.Catalog, shard)
	enc := gob.NewEncoder(w)
	if err := enc.Encode(cacheHeader{Shards: len(shards), Warnings: e.Warnings}); err != nil {
		return err
	}
	for _, c := range shards {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// decodeEntry reads what encodeEntry wrote, or returns nil.
func decodeEntry(r io.Reader) *cacheEntry {
	dec := gob.NewDecoder(r)
	var h cacheHeader
	if err := dec.Decode(&h); err != nil || h.Shards < 1 {
		return nil
	}
	cat := &schema.Catalog{}
	for range h.Shards {
		if err := dec.Decode(cat); err != nil {
			return nil
		}
	}
	fillMaps(reflect.ValueOf(cat).Elem())
	return &cacheEntry{Catalog: cat, Warnings: h.Warnings}
}

// splitCatalog deals the entries of every map of c into catalogs of at most
// n entries per map; other fields go to the first. It returns at least
// one catalog. Reflection keeps it complete as the model grows; it runs
// only when an entry is written.
func splitCatalog(c *schema.Catalog, n int) []*schema.Catalog {
	shards := []*schema.Catalog{{}}
	src := reflect.ValueOf(c).Elem()
	for f := range src.NumField() {
		field := src.Field(f)
		if field.Kind() != reflect.Map {
			reflect.ValueOf(shards[0]).Elem().Field(f).Set(field)
			continue
		}
		i := 0
		for it := field.MapRange(); it.Next(); i++ {
			for len(shards) <= i/n {
				shards = append(shards, &schema.Catalog{})
			}
			dst := reflect.ValueOf(shards[i/n]).Elem().Field(f)
			if dst.IsNil() {
				dst.Set(reflect.MakeMap(field.Type()))
			}
			dst.SetMapIndex(it.Key(), it.Value())
		}
	}
	return shards
}

// foldCached is Fold through the cache.
func foldCached(fsys fs.FS, dir string, migs []migfile.Migration) (*schema.Catalog, []parser.Warning, error) {
	srcs := make([][]byte, len(migs))
	for i, m := range migs {
		src, err := fs.ReadFile(fsys, m.Up)
		if err != nil {
			return nil, nil, err
		}
		srcs[i] = src
	}
	path := cachePath(dir, migs, srcs)
	if path != "" {
		if e := readCache(path); e != nil {
			return e.Catalog, e.Warnings, nil
		}
	}
	cat, warns, err := foldSources(dir, migs, srcs)
	if err == nil && path != "" {
		writeCache(path, &cacheEntry{Catalog: cat, Warnings: warns})
	}
	return cat, warns, err
}

// cachePath returns the file that holds the fold of these migrations, or ""
// when the cache is off or cannot be used.
func cachePath(dir string, migs []migfile.Migration, srcs [][]byte) string {
	if os.Getenv(CacheEnv) == "off" || !catalogGobs() {
		return ""
	}
	exe := executableID()
	if exe == "" {
		return ""
	}
	root, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%#v\x00%s\x00%d\x00", cacheVersion, exe, foldOptions, dir, len(migs))
	for i, m := range migs {
		sum := sha256.Sum256(srcs[i])
		fmt.Fprintf(h, "%s\x00%x\x00", m.Up, sum)
	}
	return filepath.Join(root, "ddlmig", "fold", hex.EncodeToString(h.Sum(nil))+".gob")
}

var (
	exeOnce sync.Once
	exeID   string
)

// executableID identifies the running binary: its path, size and
// modification time, and the build information Go embeds. "" when the
// binary cannot be identified, which disables the cache.
func executableID() string {
	exeOnce.Do(func() {
		path, err := os.Executable()
		if err != nil {
			return
		}
		fi, err := os.Stat(path)
		if err != nil {
			return
		}
		build := ""
		if bi, ok := debug.ReadBuildInfo(); ok {
			build = bi.String()
		}
		exeID = fmt.Sprintf("%s\x00%d\x00%d\x00%s", path, fi.Size(), fi.ModTime().UnixNano(), build)
	})
	return exeID
}

// readCache returns the entry at path, or nil when there is none or it
// cannot be decoded.
//
// The file is read through gob's own buffering rather than read whole
// first: gob copies each message into a buffer of its own anyway.
func readCache(path string) *cacheEntry {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	e := decodeEntry(bufio.NewReaderSize(f, 64<<10))
	f.Close()
	if e == nil {
		return nil
	}
	// Touch the entry so that pruning keeps the ones in use.
	now := time.Now()
	_ = os.Chtimes(path, now, now)
	return e
}

// writeCache stores e at path (through a temporary file and a rename, so
// that a concurrent reader sees a whole entry or none) and prunes old
// entries. Errors are ignored: the next run folds again.
func writeCache(path string, e *cacheEntry) {
	var buf bytes.Buffer
	if err := encodeEntry(&buf, e, cacheShard); err != nil {
		return
	}
	storeCache(path, buf.Bytes())
}

// storeCache writes b to the cache file path through a temporary file and a
// rename, so that a concurrent reader sees a whole entry or none, and prunes
// the older entries of its directory (those with path's extension). Errors
// are ignored: a cache that cannot be written is recomputed next time.
func storeCache(path string, b []byte) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, "tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return
	}
	pruneCache(dir, filepath.Ext(path))
}

// pruneCache keeps the cacheKeep most recently used entries (files named
// *ext) of dir.
func pruneCache(dir, ext string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		mod  int64
	}
	var all []entry
	for _, de := range ents {
		if fi, err := de.Info(); err == nil && filepath.Ext(de.Name()) == ext {
			all = append(all, entry{de.Name(), fi.ModTime().UnixNano()})
		}
	}
	if len(all) <= cacheKeep {
		return
	}
	slices.SortFunc(all, func(a, b entry) int { return int(min(max(b.mod-a.mod, -1), 1)) })
	for _, e := range all[cacheKeep:] {
		os.Remove(filepath.Join(dir, e.name))
	}
}

// fillMaps replaces nil maps in v (a struct) by empty ones: gob does not
// send empty maps, and a decoded catalog must be usable like a folded one
// (schema.New makes every map).
func fillMaps(v reflect.Value) {
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Map && f.IsNil() && f.CanSet() {
			f.Set(reflect.MakeMap(f.Type()))
		}
	}
}

var (
	gobsOnce sync.Once
	gobsOK   bool
)

// catalogGobs reports whether gob carries every part of the model: all
// struct fields exported, no interfaces, functions or channels. The model
// grows as DDL kinds are added; if it ever gains a part gob would drop or
// refuse, the cache turns itself off rather than return a partial catalog.
func catalogGobs() bool {
	gobsOnce.Do(func() {
		gobsOK = gobSafe(reflect.TypeFor[cacheEntry](), map[reflect.Type]bool{})
	})
	return gobsOK
}

func gobSafe(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Uintptr, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return gobSafe(t.Elem(), seen)
	case reflect.Map:
		return gobSafe(t.Key(), seen) && gobSafe(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || !gobSafe(f.Type, seen) {
				return false
			}
		}
	}
	return true
}
