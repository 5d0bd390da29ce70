//===- RegionTables.cpp - A pea's regions as image nodes and slots --------===//
#include "RegionTables.h"
#include "llvm/Support/ErrorHandling.h"

namespace peapod::kmod {
namespace {

/// One slot for one child, else the smallest power of two at load <= 3/4
/// (the loader checks the same function).
uint32_t tableSize(uint32_t Children) {
  uint32_t Size = ppi_table_size(Children);
  if (Children != 0 && Size == 0)
    llvm::report_fatal_error("policy too large for an image: hash table");
  return Size;
}

ppi_answer answer(const Decision &D, const TableLayout &At) {
  ppi_answer A{};
  A.rule = D.Rule == NoRule ? PPI_NONE : At.FirstRule + D.Rule;
  A.access = D.Access;
  A.kind = static_cast<uint8_t>(D.Kind);
  return A;
}

} // namespace

PeaTables layOutRegions(const PeaRegions &Regions, const TableLayout &At) {
  const std::vector<RegionNode> &Tree = Regions.nodes();
  PeaTables T;
  T.Nodes.reserve(Tree.size());
  uint32_t SlotCount = 0;
  for (const RegionNode &N : Tree)
    SlotCount += tableSize(N.ChildCount);
  ppi_slot Empty{};
  Empty.child = PPI_NONE;
  T.Slots.assign(SlotCount, Empty);

  uint32_t NextSlot = 0;
  for (const RegionNode &N : Tree) {
    ppi_node Out{};
    for (unsigned S = 0; S < 4; ++S)
      Out.answer[S] = answer(N.Answers[S], At);
    Out.transition = N.Transition == NoRule
                         ? PPI_NONE
                         : At.FirstRule + At.FileRuleCount + N.Transition;
    Out.first_slot = At.FirstSlot + NextSlot;
    Out.slot_count = tableSize(N.ChildCount);
    Out.depth = N.Depth;
    NextSlot += Out.slot_count;
    T.Nodes.push_back(Out);
  }
  // Children in node order (name order) into their parent's table.
  for (size_t I = 1; I < Tree.size(); ++I) {
    const RegionNode &N = Tree[I];
    const ppi_node &Parent = T.Nodes[N.Parent];
    uint32_t Hash = ppi_fnv1a(N.Name.data(), N.Name.size());
    uint32_t Mask = Parent.slot_count - 1;
    uint32_t Table = Parent.first_slot - At.FirstSlot;
    uint32_t Slot = Hash & Mask;
    while (T.Slots[Table + Slot].child != PPI_NONE)
      Slot = (Slot + 1) & Mask;
    ppi_slot &S = T.Slots[Table + Slot];
    S.hash = Hash;
    S.name_off = At.SourceOffsets[N.Source.Path] + N.Source.Offset;
    S.name_len = static_cast<uint32_t>(N.Name.size());
    S.child = At.FirstNode + static_cast<uint32_t>(I);
    // The walk reads the child's table from here, not from the child.
    S.first_slot = T.Nodes[I].first_slot;
    S.slot_count = T.Nodes[I].slot_count;
  }
  return T;
}

} // namespace peapod::kmod
