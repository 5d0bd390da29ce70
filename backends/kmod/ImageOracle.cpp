//===- ImageOracle.cpp - Policy questions answered from an image ----------===//
//
// A thin translation: every decision comes from the C lookups; this file
// only turns indices into names and locations.
//
//===----------------------------------------------------------------------===//
#include "peapod/ImageOracle.h"

#include "peapod/AST.h"
#include "peapod/InputFile.h"
#include "peapod/sha256.h"
#include "llvm/Support/MemoryBuffer.h"
#include <string_view>

namespace peapod {

// The C loader mirrors the compiler's enums with its own constants (it must
// build without C++); the oracle casts between them, so they must agree.
static_assert(PPI_ACCESS_EXECUTE == AccessExecute);
static_assert(PPI_ACCESS_WRITE == AccessWrite);
static_assert(PPI_ACCESS_READ == AccessRead);
static_assert(PPI_ACCESS_ALL == AccessAll);
static_assert(PPI_KIND_PATH == static_cast<int>(DecisionKind::Path));
static_assert(PPI_KIND_DIR_DEFAULT ==
              static_cast<int>(DecisionKind::DirDefault));
static_assert(PPI_KIND_IMPLICIT == static_cast<int>(DecisionKind::Implicit));
static_assert(PPI_KIND_DEFAULT == static_cast<int>(DecisionKind::Default));
static_assert(PPI_RULE_PATH == static_cast<int>(ast::RuleKind::Path));
static_assert(PPI_RULE_DIR_DEFAULT ==
              static_cast<int>(ast::RuleKind::DirDefault));
static_assert(PPI_RULE_TRANSITION ==
              static_cast<int>(ast::RuleKind::Transition));
static_assert(PPI_PROTO_TCP == static_cast<int>(Protocol::TCP));
static_assert(PPI_PROTO_UDP == static_cast<int>(Protocol::UDP));
static_assert(PPI_DIGEST_SIZE == PPI_SHA256_SIZE);
static_assert(sizeof(ppi_port_range::low) == sizeof(PortRange::Low) &&
              sizeof(ppi_port_range::high) == sizeof(PortRange::High));
static_assert(sizeof(ppi_answer::access) == sizeof(PathAnswer::Access));
// The compiler tells images from sources by these bytes without depending on
// this backend.
static_assert(std::string_view(PPI_MAGIC, PPI_MAGIC_SIZE) ==
                  std::string_view(ImageMagic),
              "peapod/InputFile.h's ImageMagic is not the image's magic");

ImageOracle::~ImageOracle() = default;

std::unique_ptr<ImageOracle> ImageOracle::fromBuffer(llvm::StringRef Bytes,
                                                     std::string &Error) {
  std::unique_ptr<ImageOracle> O(new ImageOracle());
  char Reason[256];
  if (ppi_open(&O->Img, Bytes.data(), Bytes.size(), Reason, sizeof Reason) !=
      PPI_OK) {
    Error = Reason;
    return nullptr;
  }
  return O;
}

std::unique_ptr<ImageOracle>
ImageOracle::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                        std::string &Error) {
  std::unique_ptr<ImageOracle> O = fromBuffer(Buffer->getBuffer(), Error);
  if (O)
    O->Owned = std::move(Buffer);
  return O;
}

std::unique_ptr<ImageOracle> ImageOracle::fromFile(llvm::StringRef Path,
                                                   std::string &Error) {
  auto Buffer = readInputFile(Path);
  if (!Buffer) {
    Error = llvm::toString(Buffer.takeError());
    return nullptr;
  }
  return fromBuffer(std::move(*Buffer), Error);
}

uint32_t ImageOracle::globalPea(PeaHandle H) const {
  return Img.pods[H.Pod].first_pea + H.Pea;
}

llvm::StringRef ImageOracle::string(uint32_t Off, uint32_t Len) const {
  return {ppi_string(&Img, Off), Len};
}

llvm::StringRef ImageOracle::peaName(uint32_t GlobalPea) const {
  const ppi_pea &E = Img.peas[GlobalPea];
  return string(E.name_off, E.name_len);
}

llvm::StringRef ImageOracle::rulePath(uint32_t Rule) const {
  const ppi_rule &R = Img.rules[Rule];
  return string(R.path_off, R.path_len);
}

std::optional<RuleLocation> ImageOracle::location(uint32_t Rule) const {
  if (!hasLocations())
    return std::nullopt;
  const ppi_rule &R = Img.rules[Rule];
  return RuleLocation{string(R.file_off, R.file_len).str(), R.line, R.column};
}

PathAnswer ImageOracle::pathAnswer(uint32_t GlobalPea,
                                   const ppi_answer &A) const {
  PathAnswer Out;
  Out.Access = A.access;
  Out.Why.Kind = static_cast<DecisionKind>(A.kind);
  if (A.rule == PPI_NONE)
    return Out;
  const ppi_pea &E = Img.peas[GlobalPea];
  Out.Why.RulePath = rulePath(A.rule).str();
  Out.Why.Loc = location(A.rule);
  Out.Why.Rule = A.rule - E.first_rule;
  if (Out.Why.Kind == DecisionKind::Implicit) {
    Out.Why.Merged = {*Out.Why.Rule};
    return Out;
  }
  // Semantics 6: every rule of its kind on its path merged into it.
  const ppi_rule &Decider = Img.rules[A.rule];
  for (uint32_t I = E.first_rule; I < E.first_rule + E.rule_count; ++I)
    if (Img.rules[I].kind == Decider.kind && rulePath(I) == Out.Why.RulePath)
      Out.Why.Merged.push_back(I - E.first_rule);
  return Out;
}

std::vector<std::string> ImageOracle::podNames() const {
  std::vector<std::string> Names;
  for (uint32_t I = 0; I < Img.pod_count; ++I)
    Names.push_back(string(Img.pods[I].name_off, Img.pods[I].name_len).str());
  return Names;
}

std::vector<std::string> ImageOracle::peaNames(uint32_t Pod) const {
  std::vector<std::string> Names;
  const ppi_pod &D = Img.pods[Pod];
  for (uint32_t I = D.first_pea; I < D.first_pea + D.pea_count; ++I)
    Names.push_back(peaName(I).str());
  return Names;
}

std::optional<PeaHandle> ImageOracle::findPea(llvm::StringRef Pod,
                                              llvm::StringRef Pea) const {
  uint32_t PodIndex = ppi_find_pod(&Img, Pod.data(), Pod.size());
  uint32_t PeaIndex = ppi_find_pea(&Img, PodIndex, Pea.data(), Pea.size());
  if (PeaIndex == PPI_NONE)
    return std::nullopt;
  return PeaHandle{PodIndex, PeaIndex - Img.pods[PodIndex].first_pea};
}

PathAnswer ImageOracle::access(PeaHandle H, llvm::StringRef Path,
                               bool IsDirectory) const {
  ppi_lookup L = ppi_lookup_path(&Img, globalPea(H), Path.data(), Path.size(),
                                 IsDirectory);
  return pathAnswer(globalPea(H), L.access);
}

ExecAnswer ImageOracle::exec(PeaHandle H, llvm::StringRef Program) const {
  ppi_exec X =
      ppi_lookup_exec(&Img, globalPea(H), Program.data(), Program.size());
  ExecAnswer Out;
  Out.Allowed = X.allowed;
  Out.PeaAfter = peaName(X.pea_after).str();
  Out.Access = pathAnswer(globalPea(H), X.access);
  if (X.transition != PPI_NONE) {
    // Transitions follow the pea's file rules in its rule table.
    const ppi_pea &E = Img.peas[globalPea(H)];
    uint32_t FileRules = 0;
    while (FileRules < E.rule_count &&
           Img.rules[E.first_rule + FileRules].kind != PPI_RULE_TRANSITION)
      ++FileRules;
    Out.Transition = TransitionAnswer{rulePath(X.transition).str(),
                                      Out.PeaAfter, location(X.transition),
                                      X.transition - E.first_rule - FileRules};
  }
  return Out;
}

bool ImageOracle::bind(PeaHandle H, Protocol Proto, uint16_t Port) const {
  return ppi_net_permits(&Img, globalPea(H), false, static_cast<uint8_t>(Proto),
                         Port);
}

bool ImageOracle::connect(PeaHandle H, Protocol Proto, uint16_t Port) const {
  return ppi_net_permits(&Img, globalPea(H), true, static_cast<uint8_t>(Proto),
                         Port);
}

std::optional<bool> ImageOracle::touch(PeaHandle H,
                                       llvm::StringRef Target) const {
  uint32_t Q = ppi_find_pea(&Img, H.Pod, Target.data(), Target.size());
  if (Q == PPI_NONE)
    return std::nullopt;
  return ppi_may_touch(&Img, globalPea(H), Q);
}

} // namespace peapod
