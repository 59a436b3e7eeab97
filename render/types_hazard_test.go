package render_test

import "github.com/ddlmig/ddlmig/planner"

// The hazard cases of enum rebuilds and domains.
func init() {
	hazardCases = append(hazardCases,
		hazardCase{planner.HazardEnumRebuild, "value removed", "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood);", "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood);", nil, true},
		hazardCase{planner.HazardEnumRebuild, "values reordered", "CREATE TYPE mood AS ENUM ('a', 'b');", "CREATE TYPE mood AS ENUM ('b', 'a');", nil, true},
		hazardCase{planner.HazardEnumRebuild, "value inserted", "CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (m mood);", "CREATE TYPE mood AS ENUM ('a', 'c', 'b'); CREATE TABLE t (m mood);", nil, false},
		hazardCase{planner.HazardDropType, "domain dropped", "CREATE DOMAIN d AS int;", "", nil, true},
		hazardCase{planner.HazardAddCheckConstraint, "domain check added", "CREATE DOMAIN d AS int;", "CREATE DOMAIN d AS int CHECK (VALUE > 0);", nil, true},
		hazardCase{planner.HazardAddCheckConstraint, "domain check added NOT VALID", "CREATE DOMAIN d AS int;", "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CONSTRAINT d_check CHECK (VALUE > 0) NOT VALID;", nil, false},
		hazardCase{planner.HazardSetNotNull, "domain NOT NULL", "CREATE DOMAIN d AS int;", "CREATE DOMAIN d AS int NOT NULL;", nil, true},
	)
}
