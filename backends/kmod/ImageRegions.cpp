//===- ImageRegions.cpp ---------------------------------------------------===//
#include "peapod/ImageRegions.h"

namespace peapod {

PeaRegions imageRegions(const ppi_image &Img, uint32_t GlobalPea) {
  const ppi_pea &E = Img.peas[GlobalPea];
  // Transitions follow the file rules in the pea's rule table.
  uint32_t FileRules = 0;
  while (FileRules < E.rule_count &&
         Img.rules[E.first_rule + FileRules].kind != PPI_RULE_TRANSITION)
    ++FileRules;
  auto Local = [&](uint32_t Rule) {
    return Rule == PPI_NONE ? NoRule : Rule - E.first_rule;
  };
  std::vector<RegionNode> Nodes(E.node_count);
  for (uint32_t I = 0; I < E.node_count; ++I) {
    const ppi_node &N = Img.nodes[E.first_node + I];
    RegionNode &Out = Nodes[I];
    Out.Depth = N.depth;
    for (unsigned S = 0; S < 4; ++S)
      Out.Answers[S] = {N.answer[S].access,
                        static_cast<DecisionKind>(N.answer[S].kind),
                        Local(N.answer[S].rule)};
    Out.Transition = N.transition == PPI_NONE
                         ? NoRule
                         : N.transition - E.first_rule - FileRules;
    // Children are later nodes of the pea (the loader checked it).
    for (uint32_t S = N.first_slot; S < N.first_slot + N.slot_count; ++S) {
      const ppi_slot &Slot = Img.slots[S];
      if (Slot.child == PPI_NONE)
        continue;
      RegionNode &Child = Nodes[Slot.child - E.first_node];
      Child.Parent = I;
      Child.Name = {ppi_string(&Img, Slot.name_off), Slot.name_len};
      Child.Source = {0, Slot.name_off};
    }
  }
  return PeaRegions::assemble(std::move(Nodes),
                              {llvm::StringRef(Img.strings, Img.strings_size)});
}

} // namespace peapod
