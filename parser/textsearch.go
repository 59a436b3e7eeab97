package parser

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/ddlmig/ddlmig/schema"
)

// tsTokens are the token types of the default parser, which every
// built-in configuration uses; tsWordTokens and tsASCIITokens those that
// the language configurations map to their stemmer.
var (
	tsTokens = []string{"asciiword", "word", "numword", "asciihword", "hword", "numhword", "hword_asciipart",
		"hword_part", "hword_numpart", "email", "url", "host", "url_path", "file", "sfloat",
		"float", "int", "uint", "version", "protocol", "tag", "entity", "blank"}
	tsWordTokens  = []string{"word", "hword_part", "hword"}
	tsASCIITokens = []string{"asciiword", "hword_asciipart", "asciihword"}
	// tsLanguages are the built-in language configurations; those marked
	// true map ASCII words to english_stem (snowball_create.sql).
	tsLanguages = map[string]bool{"arabic": false, "armenian": false, "basque": false, "catalan": false,
		"danish": false, "dutch": false, "english": false, "finnish": false, "french": false, "german": false,
		"greek": false, "hindi": true, "hungarian": false, "indonesian": false, "irish": false, "italian": false,
		"lithuanian": false, "nepali": true, "norwegian": false, "portuguese": false, "romanian": false,
		"russian": true, "serbian": false, "spanish": false, "swedish": false, "tamil": false, "turkish": false,
		"yiddish": false}
)

// builtinTSMappings returns the mappings of built-in configuration name
// of pg_catalog as PostgreSQL 15 creates it, so that COPY = english
// compares with pg_dump's spelled-out mappings without a database.
func builtinTSMappings(name string) (map[string][]string, bool) {
	ascii, lang := tsLanguages[name]
	if !lang && name != "simple" {
		return nil, false
	}
	m := map[string][]string{}
	for _, t := range tsTokens[:19] { // all but protocol, tag, entity, blank
		m[t] = []string{"pg_catalog.simple"}
	}
	if name == "simple" {
		return m, true
	}
	for _, t := range tsWordTokens {
		m[t] = []string{"pg_catalog." + name + "_stem"}
	}
	for _, t := range tsASCIITokens {
		m[t] = []string{"pg_catalog." + name + "_stem"}
		if ascii {
			m[t] = []string{"pg_catalog.english_stem"}
		}
	}
	return m, true
}

// builtinDict reports whether pg_catalog holds dictionary name: simple
// and the stemmer of each built-in language.
func builtinDict(name string) bool {
	_, ok := tsLanguages[strings.TrimSuffix(name, "_stem")]
	return name == "simple" || ok && strings.HasSuffix(name, "_stem")
}

// tsSchema is the schema of the search path that holds a user text search
// object name in set, "" when none does (a built-in one of pg_catalog).
func (f *folder) tsSchema(name string, has func(q schema.QualifiedName) bool) string {
	for _, s := range f.searchPath() {
		if has(schema.QualifiedName{Schema: s, Name: name}) {
			return s
		}
	}
	return ""
}

// tsName resolves a possibly qualified name of a text search object: on
// the search path among the user's, else in pg_catalog.
func (f *folder) tsName(nodes []*pg_query.Node, has func(q schema.QualifiedName) bool) schema.QualifiedName {
	parts := strs(nodes)
	if len(parts) == 2 {
		return schema.QualifiedName{Schema: parts[0], Name: parts[1]}
	}
	if len(parts) != 1 {
		return schema.QualifiedName{}
	}
	if s := f.tsSchema(parts[0], has); s != "" {
		return schema.QualifiedName{Schema: s, Name: parts[0]}
	}
	return schema.QualifiedName{Schema: "pg_catalog", Name: parts[0]}
}

func (f *folder) hasDict(q schema.QualifiedName) bool   { return f.cat.TextSearch.Dicts[q] != nil }
func (f *folder) hasConfig(q schema.QualifiedName) bool { return f.cat.TextSearch.Configs[q] != nil }

// newTSName qualifies the name of a CREATE in the user's tree.
func (f *folder) newTSName(st *stmt, ds *pg_query.DefineStmt) (schema.QualifiedName, error) {
	q := listName(ds.Defnames)
	if len(ds.Defnames) == 1 {
		q.Schema = f.creationSchema()
	}
	if f.cat.Schemas[q.Schema] == nil {
		return q, f.missingf(st.pos, "schema %s does not exist", schema.QuoteIdent(q.Schema))
	}
	ds.Defnames = []*pg_query.Node{pg_query.MakeStrNode(q.Schema), pg_query.MakeStrNode(q.Name)}
	return q, nil
}

// tsValue is an option's value as PostgreSQL stores it in dictinitoption:
// numbers as written, anything else as a quoted literal.
func tsValue(n *pg_query.Node) (string, bool) {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_Integer:
		return strconv.Itoa(int(x.Integer.Ival)), true
	case *pg_query.Node_Float:
		return x.Float.Fval, true
	case *pg_query.Node_String_:
		return schema.QuoteLiteral(x.String_.Sval), true
	case *pg_query.Node_Boolean:
		return schema.QuoteLiteral(strconv.FormatBool(x.Boolean.Boolval)), true
	case *pg_query.Node_TypeName:
		names := strs(x.TypeName.Names)
		return schema.QuoteLiteral(strings.Join(names, ".")), len(names) > 0
	}
	return "", false
}

// createTSDictionary folds CREATE TEXT SEARCH DICTIONARY. The template is
// qualified (pg_catalog for the built-in ones) and the options kept as
// PostgreSQL stores them, in name order.
func (f *folder) createTSDictionary(st *stmt, ds *pg_query.DefineStmt) error {
	user := proto.Clone(ds).(*pg_query.DefineStmt)
	q, err := f.newTSName(st, user)
	if err != nil {
		return err
	}
	d := &schema.TSDictionary{Name: q, Pos: st.pos}
	for _, n := range user.Definition {
		e := n.GetDefElem()
		if strings.EqualFold(e.GetDefname(), "template") {
			names := strs(e.GetArg().GetTypeName().GetNames())
			if len(names) == 1 {
				names = []string{"pg_catalog", names[0]}
				if !slices.Contains([]string{"simple", "synonym", "thesaurus", "ispell", "snowball"}, names[1]) {
					names[0] = f.creationSchema()
				}
			}
			if len(names) != 2 {
				return f.errorf(f.at(st, e.GetLocation()), "unsupported TEMPLATE value")
			}
			d.Template = schema.QualifiedName{Schema: names[0], Name: names[1]}.String()
			continue
		}
		v, ok := tsValue(e.GetArg())
		if !ok {
			return f.errorf(f.at(st, e.GetLocation()), "unsupported value of option %s", e.GetDefname())
		}
		d.Options = append(d.Options, schema.QuoteIdent(strings.ToLower(e.Defname))+" = "+v)
	}
	if d.Template == "" {
		return f.errorf(st.pos, "text search template is required")
	}
	slices.Sort(d.Options)
	d.BaseOptions = d.Options
	if f.cat.TextSearch.Dicts[q] != nil {
		return f.errorf(st.pos, "text search dictionary %s already exists", q)
	}
	if d.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_DefineStmt{DefineStmt: user}}); err != nil {
		return f.errorf(st.pos, "text search dictionary: %v", err)
	}
	f.cat.TextSearch.Dicts[q] = d
	return nil
}

// alterTSDictionary folds ALTER TEXT SEARCH DICTIONARY d (option = value,
// option): values replace, an option without one is removed.
func (f *folder) alterTSDictionary(st *stmt, as *pg_query.AlterTSDictionaryStmt) error {
	q := f.tsName(as.Dictname, f.hasDict)
	d := f.cat.TextSearch.Dicts[q]
	if d == nil {
		return f.missingf(st.pos, "text search dictionary %s does not exist", q)
	}
	opts := map[string]string{}
	for _, o := range d.Options {
		name, _, _ := strings.Cut(o, " = ")
		opts[name] = o
	}
	for _, n := range as.Options {
		e := n.GetDefElem()
		name := schema.QuoteIdent(strings.ToLower(e.GetDefname()))
		if e.GetArg() == nil {
			delete(opts, name)
			continue
		}
		v, ok := tsValue(e.GetArg())
		if !ok {
			return f.errorf(f.at(st, e.GetLocation()), "unsupported value of option %s", e.GetDefname())
		}
		opts[name] = name + " = " + v
	}
	c := *d
	c.Options = slices.Sorted(maps.Values(opts))
	f.cat.TextSearch.Dicts[q] = &c
	return nil
}

// createTSConfiguration folds CREATE TEXT SEARCH CONFIGURATION (PARSER =
// p) or (COPY = c). COPY of a built-in configuration takes its mappings
// (builtinTSMappings) and stays the statement a migration runs; COPY of a
// user one is written as PARSER = its parser, with its mappings as they
// are now spelled out after it, so that the migration does not depend on
// the order the two are changed in.
func (f *folder) createTSConfiguration(st *stmt, ds *pg_query.DefineStmt) error {
	user := proto.Clone(ds).(*pg_query.DefineStmt)
	q, err := f.newTSName(st, user)
	if err != nil {
		return err
	}
	c := &schema.TSConfiguration{Name: q, Mappings: map[string][]string{}, Base: map[string][]string{}, Pos: st.pos}
	for _, n := range user.Definition {
		e := n.GetDefElem()
		names := strs(e.GetArg().GetTypeName().GetNames())
		switch strings.ToLower(e.GetDefname()) {
		case "parser":
			if len(names) == 1 {
				names = []string{"pg_catalog", names[0]}
			}
			if len(names) != 2 || names[0] != "pg_catalog" || names[1] != "default" {
				return f.errorf(f.at(st, e.GetLocation()), "unsupported text search parser %s: ddlmig knows the token types of pg_catalog.\"default\" only (put a line -- ddlmig:unmanaged above the statement to carry it as written)", strings.Join(names, "."))
			}
			c.Parser = `pg_catalog."default"`
		case "copy":
			src := f.tsName(e.GetArg().GetTypeName().GetNames(), f.hasConfig)
			if uc := f.cat.TextSearch.Configs[src]; uc != nil {
				c.Parser = uc.Parser
				c.Mappings = maps.Clone(uc.Mappings)
				e.Defname = "parser"
				e.Arg = &pg_query.Node{Node: &pg_query.Node_TypeName{TypeName: &pg_query.TypeName{
					Names: []*pg_query.Node{pg_query.MakeStrNode("pg_catalog"), pg_query.MakeStrNode("default")}, Typemod: -1, Location: -1}}}
				continue
			}
			m, ok := builtinTSMappings(src.Name)
			if src.Schema != "pg_catalog" || !ok {
				return f.missingf(f.at(st, e.GetLocation()), "text search configuration %s does not exist", src)
			}
			c.Parser, c.Mappings, c.Base = `pg_catalog."default"`, m, maps.Clone(m)
		default:
			return f.errorf(f.at(st, e.GetLocation()), "text search configuration parameter %s not recognized", schema.QuoteLiteral(e.GetDefname()))
		}
	}
	if c.Parser == "" {
		return f.errorf(st.pos, "text search parser is required")
	}
	if f.cat.TextSearch.Configs[q] != nil {
		return f.errorf(st.pos, "text search configuration %s already exists", q)
	}
	if c.Stmt, err = deparse(&pg_query.Node{Node: &pg_query.Node_DefineStmt{DefineStmt: user}}); err != nil {
		return f.errorf(st.pos, "text search configuration: %v", err)
	}
	f.cat.TextSearch.Configs[q] = c
	return nil
}

// alterTSConfiguration folds ALTER TEXT SEARCH CONFIGURATION ... ADD,
// ALTER and DROP MAPPING: the mappings are part of the configuration.
func (f *folder) alterTSConfiguration(st *stmt, as *pg_query.AlterTSConfigurationStmt) error {
	q := f.tsName(as.Cfgname, f.hasConfig)
	old := f.cat.TextSearch.Configs[q]
	if old == nil {
		return f.missingf(st.pos, "text search configuration %s does not exist", q)
	}
	c := *old
	c.Mappings = maps.Clone(old.Mappings)
	var dicts []string
	for _, n := range as.Dicts {
		d := f.tsName(n.GetList().GetItems(), f.hasDict)
		if d.Schema == "pg_catalog" && !builtinDict(d.Name) || d.Schema != "pg_catalog" && !f.hasDict(d) {
			return f.missingf(st.pos, "text search dictionary %s does not exist", d)
		}
		dicts = append(dicts, d.String())
	}
	tokens := strs(as.Tokentype)
	for _, t := range tokens {
		if !slices.Contains(tsTokens, t) {
			return f.errorf(st.pos, "token type %s does not exist", schema.QuoteLiteral(t))
		}
	}
	switch as.Kind {
	case pg_query.AlterTSConfigType_ALTER_TSCONFIG_ADD_MAPPING, pg_query.AlterTSConfigType_ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN:
		for _, t := range tokens {
			if as.Kind == pg_query.AlterTSConfigType_ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN && c.Mappings[t] == nil {
				return f.errorf(st.pos, "mapping for token type %s does not exist", schema.QuoteLiteral(t))
			}
			c.Mappings[t] = dicts
		}
	case pg_query.AlterTSConfigType_ALTER_TSCONFIG_REPLACE_DICT, pg_query.AlterTSConfigType_ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN:
		if len(dicts) != 2 {
			return f.errorf(st.pos, "ALTER MAPPING REPLACE takes two dictionaries")
		}
		for t, ds := range c.Mappings {
			if len(tokens) > 0 && !slices.Contains(tokens, t) {
				continue
			}
			ds = slices.Clone(ds)
			for i := range ds {
				if ds[i] == dicts[0] {
					ds[i] = dicts[1]
				}
			}
			c.Mappings[t] = ds
		}
	case pg_query.AlterTSConfigType_ALTER_TSCONFIG_DROP_MAPPING:
		for _, t := range tokens {
			if c.Mappings[t] == nil && !as.MissingOk {
				return f.errorf(st.pos, "mapping for token type %s does not exist", schema.QuoteLiteral(t))
			}
			delete(c.Mappings, t)
		}
	default:
		return f.errorf(st.pos, "unsupported ALTER TEXT SEARCH CONFIGURATION")
	}
	f.cat.TextSearch.Configs[q] = &c
	return nil
}

// dropTSDictionary folds DROP TEXT SEARCH DICTIONARY; with CASCADE the
// configurations that map to it go too, as in PostgreSQL.
func (f *folder) dropTSDictionary(st *stmt, q schema.QualifiedName, missingOK, cascade bool) error {
	if !f.hasDict(q) {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "text search dictionary %s does not exist", q)
	}
	for _, cn := range schema.SortedNames(f.cat.TextSearch.Configs) {
		if slices.Contains(f.cat.TextSearch.Configs[cn].Dicts(), q) {
			if !cascade {
				return f.errorf(st.pos, "cannot drop text search dictionary %s because text search configuration %s depends on it", q, cn)
			}
			f.dropObject(schema.Object{Kind: schema.KindTSConfiguration, Name: cn})
		}
	}
	f.dropObject(schema.Object{Kind: schema.KindTSDictionary, Name: q})
	return nil
}

// dropObject forgets o with its owner.
func (f *folder) dropObject(o schema.Object) {
	if k, ok := f.cat.SetOf(o); ok {
		k.Remove(f.cat, o)
	}
	delete(f.cat.Owners, o)
}

func (f *folder) dropTSConfiguration(st *stmt, q schema.QualifiedName, missingOK bool) error {
	if !f.hasConfig(q) {
		if missingOK {
			return nil
		}
		return f.missingf(st.pos, "text search configuration %s does not exist", q)
	}
	f.dropObject(schema.Object{Kind: schema.KindTSConfiguration, Name: q})
	return nil
}

// tsHandlers are the DROP, COMMENT ON and OWNER TO of one text search
// kind.
func tsHandlers(m map[stmtKey]func(*folder, *stmt) error, obj pg_query.ObjectType, kind schema.Kind, noun string,
	drop func(f *folder, st *stmt, q schema.QualifiedName, missingOK, cascade bool) error) {
	has := func(f *folder, q schema.QualifiedName) bool {
		return f.cat.HasObject(schema.Object{Kind: kind, Name: q})
	}
	m[on[*pg_query.Node_DropStmt](obj)] = func(f *folder, st *stmt) error {
		return f.dropEach(st, func(o *pg_query.Node, missingOK, cascade bool) error {
			return drop(f, st, listName(o.GetList().GetItems()), missingOK, cascade)
		})
	}
	m[on[*pg_query.Node_CommentStmt](obj)] = func(f *folder, st *stmt) error {
		cs := st.node.GetCommentStmt()
		q := listName(cs.Object.GetList().GetItems())
		return f.setComment(st, schema.Object{Kind: kind, Name: q}, cs.Comment, noun+" %s does not exist", q)
	}
	m[on[*pg_query.Node_AlterOwnerStmt](obj)] = func(f *folder, st *stmt) error {
		return f.setOwnerOf(st, func(as *pg_query.AlterOwnerStmt) (schema.Object, error) {
			q := f.tsName(as.Object.GetList().GetItems(), func(q schema.QualifiedName) bool { return has(f, q) })
			if !has(f, q) {
				return schema.Object{}, f.missingf(st.pos, noun+" %s does not exist", q)
			}
			return schema.Object{Kind: kind, Name: q}, nil
		})
	}
}

func init() {
	dict := map[stmtKey]func(*folder, *stmt) error{
		define(pg_query.ObjectType_OBJECT_TSDICTIONARY): func(f *folder, st *stmt) error {
			return f.createTSDictionary(st, st.node.GetDefineStmt())
		},
		node[*pg_query.Node_AlterTsdictionaryStmt](): func(f *folder, st *stmt) error {
			return f.alterTSDictionary(st, st.node.GetAlterTsdictionaryStmt())
		},
	}
	tsHandlers(dict, pg_query.ObjectType_OBJECT_TSDICTIONARY, schema.KindTSDictionary, "text search dictionary", (*folder).dropTSDictionary)
	registerKind("text search dictionary", kindParser{stmts: dict, objType: pg_query.ObjectType_OBJECT_TSDICTIONARY,
		schemaOf: func(f *folder, name string) string { return f.tsSchema(name, f.hasDict) }})
	cfg := map[stmtKey]func(*folder, *stmt) error{
		define(pg_query.ObjectType_OBJECT_TSCONFIGURATION): func(f *folder, st *stmt) error {
			return f.createTSConfiguration(st, st.node.GetDefineStmt())
		},
		node[*pg_query.Node_AlterTsconfigurationStmt](): func(f *folder, st *stmt) error {
			return f.alterTSConfiguration(st, st.node.GetAlterTsconfigurationStmt())
		},
	}
	tsHandlers(cfg, pg_query.ObjectType_OBJECT_TSCONFIGURATION, schema.KindTSConfiguration, "text search configuration",
		func(f *folder, st *stmt, q schema.QualifiedName, missingOK, _ bool) error {
			return f.dropTSConfiguration(st, q, missingOK)
		})
	registerKind("text search configuration", kindParser{stmts: cfg, objType: pg_query.ObjectType_OBJECT_TSCONFIGURATION,
		schemaOf: func(f *folder, name string) string { return f.tsSchema(name, f.hasConfig) }})
}
