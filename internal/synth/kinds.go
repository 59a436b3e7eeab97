package synth

// colKind is one kind of ordinary column in the pool tables draw from: a
// name, a type and the rest of the definition as written, and the altered
// form the mutator turns it into (a new type, default or nullability).
// "{c}" in a tail stands for the column's name.
type colKind struct {
	name    string
	typ     string
	tail    string
	altTyp  string // "" keeps the type
	altTail string
	enum    bool // typ is one of the schema's enums, chosen per table
}

// colKinds is the pool, in the order columns appear in a table.
var colKinds = [...]colKind{
	{name: "title", typ: "character varying(200)", tail: "NOT NULL", altTyp: "character varying(400)", altTail: "NOT NULL"},
	{name: "email", typ: "text", tail: "CHECK ({c} LIKE '%@%')", altTail: "NOT NULL CHECK ({c} LIKE '%@%')"},
	{name: "status", enum: true},
	{name: "description", typ: "text", altTail: "NOT NULL DEFAULT ''"},
	{name: "amount", typ: "numeric(12,2)", tail: "NOT NULL DEFAULT 0 CHECK ({c} >= 0)", altTyp: "numeric(14,2)", altTail: "NOT NULL DEFAULT 0 CHECK ({c} >= 0)"},
	{name: "quantity", typ: "integer", tail: "NOT NULL DEFAULT 1", altTail: "NOT NULL DEFAULT 0"},
	{name: "price_cents", typ: "bigint", tail: "NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 100000000)", altTail: "NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 1000000000)"},
	{name: "is_active", typ: "boolean", tail: "NOT NULL DEFAULT true", altTail: "NOT NULL DEFAULT false"},
	{name: "metadata", typ: "jsonb", tail: "NOT NULL DEFAULT '{}'::jsonb", altTail: "DEFAULT '{}'::jsonb"},
	{name: "tags", typ: "text[]", tail: "NOT NULL DEFAULT '{}'::text[]", altTail: "DEFAULT '{}'::text[]"},
	{name: "code", typ: "character(8)", tail: "NOT NULL", altTyp: "character(12)", altTail: "NOT NULL"},
	{name: "external_id", typ: "uuid", tail: "DEFAULT gen_random_uuid()", altTail: "NOT NULL DEFAULT gen_random_uuid()"},
	{name: "locale", typ: "text", tail: "COLLATE \"C\" NOT NULL DEFAULT 'en'", altTail: "COLLATE \"C\" NOT NULL DEFAULT 'en_US'"},
	{name: "score", typ: "double precision", tail: "DEFAULT 0", altTyp: "real", altTail: "DEFAULT 0"},
	{name: "priority", typ: "smallint", tail: "NOT NULL DEFAULT 3 CHECK ({c} BETWEEN 1 AND 5)", altTyp: "integer", altTail: "NOT NULL DEFAULT 3 CHECK ({c} BETWEEN 1 AND 5)"},
	{name: "version", typ: "integer", tail: "NOT NULL DEFAULT 1 CHECK ({c} > 0)", altTyp: "bigint", altTail: "NOT NULL DEFAULT 1 CHECK ({c} > 0)"},
	{name: "client_ip", typ: "inet", altTail: "NOT NULL DEFAULT '0.0.0.0'::inet"},
	{name: "retention", typ: "interval", tail: "NOT NULL DEFAULT '30 days'::interval", altTail: "NOT NULL DEFAULT '90 days'::interval"},
	{name: "birth_date", typ: "date", altTyp: "timestamp without time zone"},
	{name: "payload", typ: "bytea", altTail: "NOT NULL DEFAULT '\\x'::bytea"},
	{name: "notes", typ: "character varying(1000)", altTyp: "text"},
	{name: "created_at", typ: "timestamp with time zone", tail: "NOT NULL DEFAULT now()", altTail: "NOT NULL DEFAULT clock_timestamp()"},
	{name: "updated_at", typ: "timestamp with time zone", altTail: "DEFAULT now()"},
	{name: "deleted_at", typ: "timestamp with time zone", altTyp: "timestamp(3) with time zone"},
}
