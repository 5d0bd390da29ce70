//===- RegionTables.h - A pea's regions as image nodes and slots -*- C++ -*-===//
//
// Lays one pea's region tree (peapod/Regions.h) out as the image's nodes and
// per-node hash tables. Internal to the image writer.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_KMOD_REGIONTABLES_H
#define PEAPOD_KMOD_REGIONTABLES_H

#include "peapod/Regions.h"
#include "peapod/image.h"
#include "llvm/ADT/ArrayRef.h"
#include <vector>

namespace peapod::kmod {

/// One pea's nodes (root first, pre-order) and their hash tables, each
/// vector exactly as long as it needs to be.
struct PeaTables {
  std::vector<ppi_node> Nodes;
  std::vector<ppi_slot> Slots;
};

/// Where the pea's rules and tables stand in the image: rule references are
/// FirstRule + (file rule index), transitions FirstRule + FileRuleCount +
/// (transition index); nodes and slots are numbered from FirstNode and
/// FirstSlot. SourceOffsets[i] is where the region tree's source path i
/// sits in the string section (node names point into them).
struct TableLayout {
  uint32_t FirstRule, FileRuleCount, FirstNode, FirstSlot;
  llvm::ArrayRef<uint32_t> SourceOffsets;
};

PeaTables layOutRegions(const PeaRegions &Regions, const TableLayout &At);

} // namespace peapod::kmod

#endif // PEAPOD_KMOD_REGIONTABLES_H
