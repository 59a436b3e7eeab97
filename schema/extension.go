package schema

// DefaultExtensionComment is the comment CREATE EXTENSION gives an
// extension shipped with PostgreSQL (the comment line of its control file;
// PostgreSQL 15's contrib), "" for any other. pg_dump writes it back as
// COMMENT ON EXTENSION, so a schema folded from CREATE EXTENSION alone must
// hold it too, or a dump and the migrations that made it would differ.
func DefaultExtensionComment(name string) string { return extensionComments[name] }

var extensionComments = map[string]string{
	"adminpack":          "administrative functions for PostgreSQL",
	"amcheck":            "functions for verifying relation integrity",
	"autoinc":            "functions for autoincrementing fields",
	"bloom":              "bloom access method - signature file based index",
	"btree_gin":          "support for indexing common datatypes in GIN",
	"btree_gist":         "support for indexing common datatypes in GiST",
	"citext":             "data type for case-insensitive character strings",
	"cube":               "data type for multidimensional cubes",
	"dblink":             "connect to other PostgreSQL databases from within a database",
	"dict_int":           "text search dictionary template for integers",
	"dict_xsyn":          "text search dictionary template for extended synonym processing",
	"earthdistance":      "calculate great-circle distances on the surface of the Earth",
	"file_fdw":           "foreign-data wrapper for flat file access",
	"fuzzystrmatch":      "determine similarities and distance between strings",
	"hstore":             "data type for storing sets of (key, value) pairs",
	"insert_username":    "functions for tracking who changed a table",
	"intagg":             "integer aggregator and enumerator (obsolete)",
	"intarray":           "functions, operators, and index support for 1-D arrays of integers",
	"isn":                "data types for international product numbering standards",
	"lo":                 "Large Object maintenance",
	"ltree":              "data type for hierarchical tree-like structures",
	"moddatetime":        "functions for tracking last modification time",
	"old_snapshot":       "utilities in support of old_snapshot_threshold",
	"pageinspect":        "inspect the contents of database pages at a low level",
	"pg_buffercache":     "examine the shared buffer cache",
	"pg_freespacemap":    "examine the free space map (FSM)",
	"pg_prewarm":         "prewarm relation data",
	"pg_stat_statements": "track planning and execution statistics of all SQL statements executed",
	"pg_surgery":         "extension to perform surgery on a damaged relation",
	"pg_trgm":            "text similarity measurement and index searching based on trigrams",
	"pg_visibility":      "examine the visibility map (VM) and page-level visibility info",
	"pg_walinspect":      "functions to inspect contents of PostgreSQL Write-Ahead Log",
	"pgcrypto":           "cryptographic functions",
	"pgrowlocks":         "show row-level locking information",
	"pgstattuple":        "show tuple-level statistics",
	"plpgsql":            "PL/pgSQL procedural language",
	"postgres_fdw":       "foreign-data wrapper for remote PostgreSQL servers",
	"refint":             "functions for implementing referential integrity (obsolete)",
	"seg":                "data type for representing line segments or floating-point intervals",
	"sslinfo":            "information about SSL certificates",
	"tablefunc":          "functions that manipulate whole tables, including crosstab",
	"tcn":                "Triggered change notifications",
	"tsm_system_rows":    "TABLESAMPLE method which accepts number of rows as a limit",
	"tsm_system_time":    "TABLESAMPLE method which accepts time in milliseconds as a limit",
	"unaccent":           "text search dictionary that removes accents",
	"uuid-ossp":          "generate universally unique identifiers (UUIDs)",
	"xml2":               "XPath querying and XSLT",
}
