package render

// group is the block a statement prints in: consecutive statements of one
// group print together, and a blank line separates groups. The zero group,
// alone, is a statement that stands by itself.
type group struct {
	kind blockKind
	// name is the object of a per-object block (the table of blockTable,
	// the enum of blockEnum); "" for a block per kind of change.
	name string
}

// blockKind is the kind of a group.
type blockKind int

// The blocks statements print in.
const (
	blockAlone blockKind = iota
	blockSchema
	blockExtension
	blockType
	blockEnum
	blockSequence
	blockSequenceOwner
	blockTable
	blockRename
	blockDropConstraint
	blockAddConstraint
	blockCreateIndex
	blockDropIndex
	blockComment
	blockCollation
	blockDropCollation
	blockDomain
	blockDropDomain
	blockCompositeType
	blockDropType
	blockPolicy
	blockPartition
	blockPrivileges
	blockOwners
	blockView
	blockDropView
	blockDropFunction
	blockTrigger
	blockDropTrigger
	// numBlocks is the first block newBlock hands out.
	numBlocks
)

// lastBlock is the last block newBlock handed out.
var lastBlock = numBlocks - 1

// newBlock returns a block kind of its own, for a kind's file to declare
// its blocks where it renders them.
func newBlock() blockKind {
	lastBlock++
	return lastBlock
}

// alone is the group of a statement that stands by itself.
var alone = group{}

// block returns the group of every change of kind k.
func block(k blockKind) group { return group{kind: k} }

// blockOf returns the group of the changes of kind k to one object.
func blockOf(k blockKind, name string) group { return group{kind: k, name: name} }
