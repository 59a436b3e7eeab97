package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// objectIdentity names the object a CREATE statement makes the way DROP
// names it ("PUBLICATION p", "RULE r ON public.t", "CAST (text AS
// public.t)"): "DROP " + it drops the object. Names are as written,
// quoted where needed. ok is false for a statement that creates no
// object this knows how to name (ALTER, GRANT, data statements, ...).
func objectIdentity(n *pg_query.Node) (string, bool) {
	switch n := n.Node.(type) {
	case *pg_query.Node_CreatePublicationStmt:
		return "PUBLICATION " + schema.QuoteIdent(n.CreatePublicationStmt.Pubname), true
	case *pg_query.Node_CreateSubscriptionStmt:
		return "SUBSCRIPTION " + schema.QuoteIdent(n.CreateSubscriptionStmt.Subname), true
	case *pg_query.Node_CreateEventTrigStmt:
		return "EVENT TRIGGER " + schema.QuoteIdent(n.CreateEventTrigStmt.Trigname), true
	case *pg_query.Node_CreateStatsStmt:
		if len(n.CreateStatsStmt.Defnames) == 0 {
			return "", false
		}
		return "STATISTICS " + nameAsWritten(n.CreateStatsStmt.Defnames), true
	case *pg_query.Node_RuleStmt:
		return "RULE " + schema.QuoteIdent(n.RuleStmt.Rulename) + " ON " + rangeVarAsWritten(n.RuleStmt.Relation), true
	case *pg_query.Node_CreateTrigStmt:
		return "TRIGGER " + schema.QuoteIdent(n.CreateTrigStmt.Trigname) + " ON " + rangeVarAsWritten(n.CreateTrigStmt.Relation), true
	case *pg_query.Node_CreatePolicyStmt:
		return "POLICY " + schema.QuoteIdent(n.CreatePolicyStmt.PolicyName) + " ON " + rangeVarAsWritten(n.CreatePolicyStmt.Table), true
	case *pg_query.Node_CreateCastStmt:
		src, err1 := deparseType(n.CreateCastStmt.Sourcetype)
		dst, err2 := deparseType(n.CreateCastStmt.Targettype)
		if err1 != nil || err2 != nil {
			return "", false
		}
		return "CAST (" + src + " AS " + dst + ")", true
	case *pg_query.Node_CreateFdwStmt:
		return "FOREIGN DATA WRAPPER " + schema.QuoteIdent(n.CreateFdwStmt.Fdwname), true
	case *pg_query.Node_CreateForeignServerStmt:
		return "SERVER " + schema.QuoteIdent(n.CreateForeignServerStmt.Servername), true
	case *pg_query.Node_CreateUserMappingStmt:
		return "USER MAPPING FOR " + roleAsWritten(n.CreateUserMappingStmt.User) + " SERVER " + schema.QuoteIdent(n.CreateUserMappingStmt.Servername), true
	case *pg_query.Node_CreateForeignTableStmt:
		return "FOREIGN TABLE " + rangeVarAsWritten(n.CreateForeignTableStmt.BaseStmt.GetRelation()), true
	case *pg_query.Node_CreateOpClassStmt:
		return "OPERATOR CLASS " + nameAsWritten(n.CreateOpClassStmt.Opclassname) + " USING " + schema.QuoteIdent(n.CreateOpClassStmt.Amname), true
	case *pg_query.Node_CreateOpFamilyStmt:
		return "OPERATOR FAMILY " + nameAsWritten(n.CreateOpFamilyStmt.Opfamilyname) + " USING " + schema.QuoteIdent(n.CreateOpFamilyStmt.Amname), true
	case *pg_query.Node_CreateConversionStmt:
		return "CONVERSION " + nameAsWritten(n.CreateConversionStmt.ConversionName), true
	case *pg_query.Node_CreateAmStmt:
		return "ACCESS METHOD " + schema.QuoteIdent(n.CreateAmStmt.Amname), true
	case *pg_query.Node_CreatePlangStmt:
		return "LANGUAGE " + schema.QuoteIdent(n.CreatePlangStmt.Plname), true
	case *pg_query.Node_CreateRangeStmt:
		return "TYPE " + nameAsWritten(n.CreateRangeStmt.TypeName), true
	case *pg_query.Node_CreateStmt:
		return "TABLE " + rangeVarAsWritten(n.CreateStmt.Relation), true
	case *pg_query.Node_ViewStmt:
		return "VIEW " + rangeVarAsWritten(n.ViewStmt.View), true
	case *pg_query.Node_CreateTableAsStmt:
		if n.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW {
			return "MATERIALIZED VIEW " + rangeVarAsWritten(n.CreateTableAsStmt.Into.GetRel()), true
		}
		return "TABLE " + rangeVarAsWritten(n.CreateTableAsStmt.Into.GetRel()), true
	case *pg_query.Node_IndexStmt:
		if n.IndexStmt.Idxname == "" {
			return "", false
		}
		return "INDEX " + qualifiedAsWritten(n.IndexStmt.Relation.GetSchemaname(), n.IndexStmt.Idxname), true
	case *pg_query.Node_CreateSeqStmt:
		return "SEQUENCE " + rangeVarAsWritten(n.CreateSeqStmt.Sequence), true
	case *pg_query.Node_CreateSchemaStmt:
		return "SCHEMA " + schema.QuoteIdent(n.CreateSchemaStmt.Schemaname), true
	case *pg_query.Node_CreateExtensionStmt:
		return "EXTENSION " + schema.QuoteIdent(n.CreateExtensionStmt.Extname), true
	case *pg_query.Node_CreateEnumStmt:
		return "TYPE " + nameAsWritten(n.CreateEnumStmt.TypeName), true
	case *pg_query.Node_CompositeTypeStmt:
		return "TYPE " + rangeVarAsWritten(n.CompositeTypeStmt.Typevar), true
	case *pg_query.Node_CreateDomainStmt:
		return "DOMAIN " + nameAsWritten(n.CreateDomainStmt.Domainname), true
	case *pg_query.Node_DefineStmt:
		return defineIdentity(n.DefineStmt)
	}
	return "", false
}

// defineIdentity is objectIdentity of CREATE OPERATOR, TEXT SEARCH ...,
// COLLATION and base TYPE (an aggregate's arguments are not named here).
func defineIdentity(d *pg_query.DefineStmt) (string, bool) {
	name := nameAsWritten(d.Defnames)
	switch d.Kind {
	case pg_query.ObjectType_OBJECT_OPERATOR:
		args := []string{"NONE", "NONE"}
		for _, o := range d.Definition {
			de := o.GetDefElem()
			tn := de.GetArg().GetTypeName()
			if tn == nil {
				continue
			}
			t, err := deparseType(tn)
			if err != nil {
				return "", false
			}
			switch strings.ToLower(de.Defname) {
			case "leftarg":
				args[0] = t
			case "rightarg":
				args[1] = t
			}
		}
		return "OPERATOR " + operatorName(d.Defnames) + " (" + args[0] + ", " + args[1] + ")", true
	case pg_query.ObjectType_OBJECT_TSCONFIGURATION:
		return "TEXT SEARCH CONFIGURATION " + name, true
	case pg_query.ObjectType_OBJECT_TSDICTIONARY:
		return "TEXT SEARCH DICTIONARY " + name, true
	case pg_query.ObjectType_OBJECT_TSPARSER:
		return "TEXT SEARCH PARSER " + name, true
	case pg_query.ObjectType_OBJECT_TSTEMPLATE:
		return "TEXT SEARCH TEMPLATE " + name, true
	case pg_query.ObjectType_OBJECT_COLLATION:
		return "COLLATION " + name, true
	case pg_query.ObjectType_OBJECT_TYPE:
		return "TYPE " + name, true
	}
	return "", false
}

// nameAsWritten is a possibly qualified name list, each part quoted where
// needed.
func nameAsWritten(nodes []*pg_query.Node) string {
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		parts = append(parts, schema.QuoteIdent(n.GetString_().GetSval()))
	}
	return strings.Join(parts, ".")
}

// operatorName is an operator's name: the symbol is not quoted, a schema
// is.
func operatorName(nodes []*pg_query.Node) string {
	s := strs(nodes)
	if len(s) == 2 {
		return schema.QuoteIdent(s[0]) + "." + s[1]
	}
	return strings.Join(s, ".")
}

func qualifiedAsWritten(sch, name string) string {
	if sch == "" {
		return schema.QuoteIdent(name)
	}
	return schema.QuoteIdent(sch) + "." + schema.QuoteIdent(name)
}

func rangeVarAsWritten(rv *pg_query.RangeVar) string {
	return qualifiedAsWritten(rv.GetSchemaname(), rv.GetRelname())
}

func roleAsWritten(r *pg_query.RoleSpec) string {
	switch r.GetRoletype() {
	case pg_query.RoleSpecType_ROLESPEC_CURRENT_USER:
		return "CURRENT_USER"
	case pg_query.RoleSpecType_ROLESPEC_SESSION_USER:
		return "SESSION_USER"
	case pg_query.RoleSpecType_ROLESPEC_PUBLIC:
		return "PUBLIC"
	case pg_query.RoleSpecType_ROLESPEC_CURRENT_ROLE:
		return "CURRENT_ROLE"
	}
	return schema.QuoteIdent(r.GetRolename())
}
