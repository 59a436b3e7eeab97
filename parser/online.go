package parser

import (
	"bytes"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/ddlmig/ddlmig/schema"
)

// OnlineDirective is a "-- ddlmig:online off" comment of a schema file: the
// table or index of the statement it belongs to keeps the blocking forms
// (CREATE INDEX without CONCURRENTLY, constraints validated at once), for
// teams that apply migrations in a maintenance window. The comment belongs
// to the statement it sits in or right before (on the line above a CREATE
// INDEX, ALTER TABLE or CREATE TABLE, or on one of its lines), or to the
// statement that ends on its line ("CREATE INDEX ...; -- ddlmig:online off").
type OnlineDirective struct {
	// Table is set for a CREATE TABLE or ALTER TABLE: every change to the
	// table keeps its blocking form. Index is set for a CREATE INDEX.
	Table, Index schema.QualifiedName
	Pos          schema.Pos
}

const onlineDirective = "ddlmig:online"

// OnlineDirectives returns the online comments of a schema file in file
// order. A comment with another word than "off", or that belongs to no
// CREATE TABLE, ALTER TABLE or CREATE INDEX, is an error at its position:
// it would otherwise change nothing without a word.
func OnlineDirectives(file string, src []byte) ([]OnlineDirective, error) {
	if !bytes.Contains(src, []byte(onlineDirective)) {
		return nil, nil
	}
	scan, err := pg_query.Scan(string(src))
	if err != nil {
		return nil, schema.Errorf(schema.Pos{File: file}, "scanning for online comments: %v", err)
	}
	tree, err := pg_query.Parse(string(src))
	if err != nil {
		return nil, nil // the schema's own parse reports it, with its position
	}
	s := newSource(file, string(src))
	var out []OnlineDirective
	var errs schema.ErrorList
	for _, tok := range scan.Tokens {
		if tok.Token != pg_query.Token_SQL_COMMENT && tok.Token != pg_query.Token_C_COMMENT {
			continue
		}
		word, ok := onlineWord(string(src[tok.Start:tok.End]))
		if !ok {
			continue
		}
		pos := s.pos(int(tok.Start))
		if word != "off" {
			errs.Add(pos, "online comment: want -- ddlmig:online off (online forms are the default; --online=false turns them off for a whole run)")
			continue
		}
		st := owningStmt(string(src), tree.Stmts, int(tok.Start))
		d, ok := onlineTarget(st)
		if !ok {
			errs.Add(pos, "-- ddlmig:online off belongs to the statement it precedes, which must be CREATE TABLE, ALTER TABLE or CREATE INDEX; put it on the line above one")
			continue
		}
		d.Pos = pos
		out = append(out, d)
	}
	return out, errs.Err()
}

// onlineWord returns the word after the directive in a comment, "" when
// there is none; ok is false for an ordinary comment.
func onlineWord(comment string) (string, bool) {
	var c string
	switch {
	case strings.HasPrefix(comment, "--"):
		c = comment[2:]
	case strings.HasPrefix(comment, "/*"):
		c = strings.TrimSuffix(comment[2:], "*/")
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(c), onlineDirective)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return "", false
	}
	return strings.ToLower(strings.TrimSpace(rest)), true
}

// owningStmt returns the statement a comment at byte off belongs to: the
// one that ends on the comment's line before it, else the one whose text
// (which starts after the previous statement's semicolon) holds it.
func owningStmt(src string, stmts []*pg_query.RawStmt, off int) *pg_query.RawStmt {
	for _, st := range stmts {
		start := int(st.StmtLocation)
		end := start + int(st.StmtLen)
		if st.StmtLen == 0 {
			end = len(src)
		}
		if off >= end {
			if !strings.Contains(src[end:off], "\n") {
				return st
			}
			continue
		}
		if off >= start {
			return st
		}
	}
	return nil
}

func onlineTarget(st *pg_query.RawStmt) (OnlineDirective, bool) {
	if st == nil || st.Stmt == nil {
		return OnlineDirective{}, false
	}
	switch n := st.Stmt.Node.(type) {
	case *pg_query.Node_CreateStmt:
		return OnlineDirective{Table: rangeVarName(n.CreateStmt.Relation)}, true
	case *pg_query.Node_AlterTableStmt:
		return OnlineDirective{Table: rangeVarName(n.AlterTableStmt.Relation)}, true
	case *pg_query.Node_IndexStmt:
		if n.IndexStmt.Idxname == "" {
			return OnlineDirective{}, false
		}
		t := rangeVarName(n.IndexStmt.Relation)
		return OnlineDirective{Index: schema.QualifiedName{Schema: t.Schema, Name: n.IndexStmt.Idxname}}, true
	}
	return OnlineDirective{}, false
}
