//===- ImageDump.cpp - An image as JSON -----------------------------------===//
//
// Reads only what ppi_open validated. Trees are listed flat, in node order,
// each node with its full path: no recursion, however deep the tree.
//
//===----------------------------------------------------------------------===//
#include "peapod/ImageDump.h"
#include "peapod/TextEscape.h"

#include "peapod/Access.h"
#include "peapod/Oracle.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace peapod {
namespace {

using nlohmann::json;

const char *const SectionNames[PPI_SECTION_COUNT] = {
    "strings", "pods", "peas", "rules", "nodes", "slots", "ports", "touch"};
const char *const RuleKindNames[] = {"path", "dir-default", "transition"};

/// A string of the image as JSON text. Paths may hold any bytes but NUL and
/// JSON strings must be UTF-8 (see TextEscape.h).
std::string str(const ppi_image &Img, uint32_t Off, uint32_t Len) {
  return escapeInvalidUtf8(llvm::StringRef(ppi_string(&Img, Off), Len));
}

std::string hex(const uint8_t *Bytes, size_t N) {
  static const char Digits[] = "0123456789abcdef";
  std::string S;
  for (size_t I = 0; I < N; ++I) {
    S += Digits[Bytes[I] >> 4];
    S += Digits[Bytes[I] & 15];
  }
  return S;
}

json header(const ppi_image &Img) {
  const auto *H = reinterpret_cast<const ppi_header *>(Img.base);
  return {{"magic", std::string(H->magic, PPI_MAGIC_SIZE)},
          {"version", H->version},
          {"header_size", H->header_size},
          {"image_size", H->image_size},
          {"digest", hex(H->digest, PPI_DIGEST_SIZE)},
          {"locations", (Img.flags & PPI_FLAG_LOCATIONS) != 0}};
}

json sections(const ppi_image &Img) {
  const auto *S = reinterpret_cast<const ppi_section *>(
      Img.base + PPI_SECTION_TABLE_OFFSET);
  json Out = json::array();
  for (uint32_t I = 0; I < PPI_SECTION_COUNT; ++I)
    Out.push_back({{"name", SectionNames[I]},
                   {"offset", S[I].offset},
                   {"size", S[I].size},
                   {"entries", S[I].size / S[I].entry_size}});
  return Out;
}

std::string peaName(const ppi_image &Img, uint32_t Pea) {
  return str(Img, Img.peas[Pea].name_off, Img.peas[Pea].name_len);
}

json pods(const ppi_image &Img) {
  json Out = json::array();
  for (uint32_t I = 0; I < Img.pod_count; ++I) {
    const ppi_pod &D = Img.pods[I];
    json Peas = json::array();
    for (uint32_t P = D.first_pea; P < D.first_pea + D.pea_count; ++P)
      Peas.push_back(peaName(Img, P));
    Out.push_back({{"name", str(Img, D.name_off, D.name_len)},
                   {"peas", std::move(Peas)}});
  }
  return Out;
}

json net(const ppi_image &Img, const ppi_net &N) {
  json Ranges = json::array();
  for (uint32_t I = N.first_port; I < N.first_port + N.port_count; ++I) {
    const ppi_port_range &R = Img.ports[I];
    Ranges.push_back(
        portRangeString({static_cast<Protocol>(R.proto), R.low, R.high}));
  }
  return {{"allow_all", (N.flags & PPI_NET_ALLOW_ALL) != 0},
          {"deny_all", (N.flags & PPI_NET_DENY_ALL) != 0},
          {"ranges", std::move(Ranges)}};
}

/// The pea's namespace rules as written: `global`, or the peas it names
/// (itself is always touchable and never listed).
json namespaces(const ppi_image &Img, const ppi_pea &E) {
  json Peas = json::array();
  for (uint32_t I = E.first_touch; I < E.first_touch + E.touch_count; ++I)
    Peas.push_back(peaName(Img, Img.touch[I]));
  return {{"global", (E.touch_flags & PPI_TOUCH_GLOBAL) != 0},
          {"peas", std::move(Peas)}};
}

json ruleRef(uint32_t Rule) {
  return Rule == PPI_NONE ? json(nullptr) : json(Rule);
}

json answer(const ppi_answer &A) {
  return {{"access", accessString(A.access)},
          {"kind", decisionKindName(static_cast<DecisionKind>(A.kind))},
          {"rule", ruleRef(A.rule)}};
}

/// The pea's nodes in order. Paths are built parent first (children always
/// have larger indices); a node no slot reaches has a null path.
json tree(const ppi_image &Img, const ppi_pea &E) {
  std::vector<std::string> Paths(E.node_count); // the root's is "", not "/"
  std::vector<bool> Reached(E.node_count, false);
  Reached[0] = true;
  json Out = json::array();
  for (uint32_t I = 0; I < E.node_count; ++I) {
    const ppi_node &N = Img.nodes[E.first_node + I];
    json Children = json::object();
    for (uint32_t S = N.first_slot; S < N.first_slot + N.slot_count; ++S) {
      const ppi_slot &Slot = Img.slots[S];
      if (Slot.child == PPI_NONE)
        continue;
      std::string Name = str(Img, Slot.name_off, Slot.name_len);
      uint32_t Child = Slot.child - E.first_node;
      if (Reached[I]) {
        Paths[Child] = Paths[I] + "/" + Name;
        Reached[Child] = true;
      }
      Children[Name] = Slot.child;
    }
    Out.push_back({{"node", E.first_node + I},
                   {"path", !Reached[I] ? json(nullptr)
                            : I == 0    ? json("/")
                                        : json(Paths[I])},
                   {"depth", N.depth},
                   {"at",
                    {{"file", answer(N.answer[PPI_AT_FILE])},
                     {"dir", answer(N.answer[PPI_AT_DIR])}}},
                   {"below",
                    {{"file", answer(N.answer[PPI_BELOW_FILE])},
                     {"dir", answer(N.answer[PPI_BELOW_DIR])}}},
                   {"transition", ruleRef(N.transition)},
                   {"children", std::move(Children)}});
  }
  return Out;
}

json peas(const ppi_image &Img) {
  json Out = json::array();
  for (uint32_t I = 0; I < Img.pea_count; ++I) {
    const ppi_pea &E = Img.peas[I];
    const ppi_pod &D = Img.pods[E.pod];
    Out.push_back(
        {{"pod", str(Img, D.name_off, D.name_len)},
         {"name", peaName(Img, I)},
         {"rules", {{"first", E.first_rule}, {"count", E.rule_count}}},
         {"bind", net(Img, E.bind)},
         {"outgoing", net(Img, E.outgoing)},
         {"namespace", namespaces(Img, E)},
         {"tree", tree(Img, E)}});
  }
  return Out;
}

json rules(const ppi_image &Img) {
  json Out = json::array();
  for (uint32_t P = 0; P < Img.pea_count; ++P) {
    const ppi_pea &E = Img.peas[P];
    for (uint32_t I = E.first_rule; I < E.first_rule + E.rule_count; ++I) {
      const ppi_rule &R = Img.rules[I];
      json J = {{"index", I},
                {"pea", peaName(Img, P)},
                {"kind", RuleKindNames[R.kind]},
                {"path", str(Img, R.path_off, R.path_len)}};
      if (R.kind == PPI_RULE_TRANSITION)
        J["target"] = peaName(Img, Img.pods[E.pod].first_pea + R.target);
      else
        J["access"] = accessString(R.access);
      if (Img.flags & PPI_FLAG_LOCATIONS)
        J["location"] = {{"file", str(Img, R.file_off, R.file_len)},
                         {"line", R.line},
                         {"column", R.column}};
      Out.push_back(std::move(J));
    }
  }
  return Out;
}

} // namespace

json dumpImage(const ppi_image &Img) {
  return {{"header", header(Img)},
          {"sections", sections(Img)},
          {"pods", pods(Img)},
          {"peas", peas(Img)},
          {"rules", rules(Img)}};
}

json dumpImage(const ImageOracle &Image) { return dumpImage(Image.image()); }

} // namespace peapod
