package render_test

import "github.com/ddlmig/ddlmig/planner"

// The hazard cases of table options, partitions and policies.
func init() {
	const parted = "CREATE TABLE p (a int, b text) PARTITION BY LIST (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
	hazardCases = append(hazardCases,
		hazardCase{planner.HazardRecreateTable, "partition key changed", "CREATE TABLE p (a int, b text) PARTITION BY LIST (a);", "CREATE TABLE p (a int, b text) PARTITION BY LIST (b);", nil, true},
		hazardCase{planner.HazardRecreateTable, "partition added", "CREATE TABLE p (a int, b text) PARTITION BY LIST (a);", parted, nil, false},
		hazardCase{planner.HazardAttachPartition, "bound changed", parted, "CREATE TABLE p (a int, b text) PARTITION BY LIST (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1, 2);", nil, true},
		hazardCase{planner.HazardAttachPartition, "new partition", "CREATE TABLE p (a int, b text) PARTITION BY LIST (a);", parted, nil, false},
		hazardCase{planner.HazardDropPolicy, "dropped", "CREATE TABLE t (a int); CREATE POLICY x ON t USING (a > 0);", "CREATE TABLE t (a int);", nil, true},
		hazardCase{planner.HazardDropPolicy, "altered in place", "CREATE TABLE t (a int); CREATE POLICY x ON t USING (a > 0);", "CREATE TABLE t (a int); CREATE POLICY x ON t USING (a > 1);", nil, false},
		hazardCase{planner.HazardDisableRowSecurity, "disabled", "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;", "CREATE TABLE t (a int);", nil, true},
		hazardCase{planner.HazardDisableRowSecurity, "forced", "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;", "CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;", nil, false},
	)
}
