//===- ImageWriter.cpp - Compile a policy to the binary image -------------===//
//
// Tables are filled in declaration order (pods, their peas, each pea's
// rules then tree), which the IR already fixes, and every tree is built from
// sorted paths, so nothing depends on pointer values or hash-map iteration:
// the bytes are a function of the policy alone.
//
//===----------------------------------------------------------------------===//
#include "peapod/ImageWriter.h"
#include "RegionTables.h"

#include "peapod/image.h"
#include "peapod/sha256.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/CachedHashString.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cassert>
#include <cstring>

// Structures are copied into the image as they are laid out in memory.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the image is little-endian; the writer copies host structs");

namespace peapod {
namespace {


/// Counts and offsets are 32-bit, with PPI_NONE reserved.
uint32_t to32(uint64_t Value, const char *What) {
  if (Value >= PPI_NONE)
    llvm::report_fatal_error(llvm::Twine("policy too large for an image: ") +
                             What);
  return static_cast<uint32_t>(Value);
}

/// The string section: each distinct string once, in first-use order. The
/// strings interned are the policy's own (names, AST rule paths), alive for
/// the whole write, so the index keys on them instead of copying: at a
/// million rules the copies would cost more than the section. Only file
/// names arrive as temporaries; they are few and copied.
class StringTable {
public:
  struct Ref {
    uint32_t Off, Len;
  };
  /// `S` must outlive the table.
  Ref add(llvm::StringRef S) {
    auto [It, Inserted] = Index.try_emplace(llvm::CachedHashStringRef(S), 0);
    if (Inserted)
      It->second = append(S);
    return {It->second, static_cast<uint32_t>(S.size())};
  }
  Ref addCopy(llvm::StringRef S) {
    auto [It, Inserted] = Copies.try_emplace(S, 0);
    if (Inserted)
      It->second = append(S);
    return {It->second, static_cast<uint32_t>(S.size())};
  }
  std::string &bytes() { return Bytes; }

private:
  uint32_t append(llvm::StringRef S) {
    uint32_t Off = to32(Bytes.size(), "strings");
    Bytes.append(S.data(), S.size());
    to32(Bytes.size(), "strings");
    return Off;
  }
  llvm::DenseMap<llvm::CachedHashStringRef, uint32_t> Index;
  llvm::StringMap<uint32_t> Copies;
  std::string Bytes;
};

class ImageBuilder {
public:
  ImageBuilder(const Policy &P, const ImageWriteOptions &Opts)
      : P(P), Opts(Opts) {}
  /// Builds every table, then writes the image to `OS`.
  void write(llvm::raw_pwrite_stream &OS);

private:
  void addPod(const Pod &D, uint32_t PodIndex);
  void addPea(const Pea &E, uint32_t PodIndex);
  uint32_t addRule(const ast::Rule &R, ppi_rule_kind Kind, uint8_t Access,
                   uint32_t Target);
  ppi_net addNet(const NetPolicy &N);
  void addNamespaces(const Pod &D, uint32_t FirstPea);
  void emit(llvm::raw_pwrite_stream &OS);

  const Policy &P;
  const ImageWriteOptions &Opts;
  StringTable Strings;
  std::vector<ppi_pod> Pods;
  std::vector<ppi_pea> Peas;
  std::vector<ppi_rule> Rules;
  /// Per pea, in pea order: one vector growing to millions of entries would
  /// hold up to twice its size while it reallocates.
  std::vector<kmod::PeaTables> Trees;
  uint32_t NodeCount = 0, SlotCount = 0;
  std::vector<ppi_port_range> Ports;
  std::vector<uint32_t> Touch;
};

void ImageBuilder::write(llvm::raw_pwrite_stream &OS) {
  for (size_t I = 0; I < P.Pods.size(); ++I)
    addPod(P.Pods[I], to32(I, "pods"));
  emit(OS);
}

void ImageBuilder::addPod(const Pod &D, uint32_t PodIndex) {
  ppi_pod Out{};
  StringTable::Ref Name = Strings.add(D.Name);
  Out.name_off = Name.Off;
  Out.name_len = Name.Len;
  Out.first_pea = to32(Peas.size(), "peas");
  Out.pea_count = to32(D.Peas.size(), "peas");
  for (const Pea &E : D.Peas)
    addPea(E, PodIndex);
  addNamespaces(D, Out.first_pea);
  Pods.push_back(Out);
}

void ImageBuilder::addPea(const Pea &E, uint32_t PodIndex) {
  ppi_pea Out{};
  StringTable::Ref Name = Strings.add(E.Name);
  Out.name_off = Name.Off;
  Out.name_len = Name.Len;
  Out.pod = PodIndex;
  Out.first_rule = to32(Rules.size(), "rules");
  Out.first_node = NodeCount;

  // Rule table order: file rules, then transitions, which is also the
  // order of the region tree's source paths.
  std::vector<uint32_t> PathOffsets;
  PathOffsets.reserve(E.FileRules.size() + E.Transitions.size());
  for (const ast::Rule *R : E.FileRules) {
    auto Kind =
        R->Kind == ast::RuleKind::Path ? PPI_RULE_PATH : PPI_RULE_DIR_DEFAULT;
    PathOffsets.push_back(addRule(*R, Kind, R->Access, PPI_NONE));
  }
  for (const Transition &T : E.Transitions)
    PathOffsets.push_back(
        addRule(*T.Source, PPI_RULE_TRANSITION, AccessNone, T.TargetPea));
  Out.rule_count = to32(PathOffsets.size(), "rules");
  kmod::TableLayout At{Out.first_rule, to32(E.FileRules.size(), "rules"),
                       NodeCount, SlotCount, PathOffsets};
  Trees.push_back(kmod::layOutRegions(PeaRegions::build(E), At));
  Out.node_count = to32(Trees.back().Nodes.size(), "nodes");
  NodeCount = to32(uint64_t(NodeCount) + Out.node_count, "nodes");
  SlotCount = to32(uint64_t(SlotCount) + Trees.back().Slots.size(), "slots");

  Out.bind = addNet(E.Bind);
  Out.outgoing = addNet(E.Outgoing);
  Peas.push_back(Out);
}

/// Appends the rule; returns where its path sits in the string section.
uint32_t ImageBuilder::addRule(const ast::Rule &R, ppi_rule_kind Kind,
                               uint8_t Access, uint32_t Target) {
  ppi_rule Out{};
  StringTable::Ref Path = Strings.add(R.Path);
  Out.path_off = Path.Off;
  Out.path_len = Path.Len;
  if (Opts.Locations) {
    RuleLocation L = P.locate(R);
    StringTable::Ref File = Strings.addCopy(L.File);
    Out.file_off = File.Off;
    Out.file_len = File.Len;
    Out.line = L.Line;
    Out.column = L.Column;
  }
  Out.kind = static_cast<uint8_t>(Kind);
  Out.access = Access;
  Out.target = Target;
  Rules.push_back(Out);
  return Path.Off;
}

/// The IR's ranges are sorted and merged (NetPolicy::add), as the loader's
/// binary search needs.
ppi_net ImageBuilder::addNet(const NetPolicy &N) {
  ppi_net Out{};
  Out.flags =
      (N.AllowAll ? PPI_NET_ALLOW_ALL : 0) | (N.DenyAll ? PPI_NET_DENY_ALL : 0);
  Out.first_port = to32(Ports.size(), "port ranges");
  assert(std::is_sorted(N.Ranges.begin(), N.Ranges.end()));
  for (const PortRange &R : N.Ranges) {
    ppi_port_range New{};
    New.low = R.Low;
    New.high = R.High;
    New.proto = static_cast<uint8_t>(R.Proto);
    Ports.push_back(New);
  }
  Out.port_count = to32(Ports.size() - Out.first_port, "port ranges");
  return Out;
}

/// Each pea's namespace rules: a flag for `namespace global`, else the
/// peas it names as global indices, ascending (NamespacePeas is sorted and
/// excludes the pea itself). Linear in the rules, whatever the pod's size.
void ImageBuilder::addNamespaces(const Pod &D, uint32_t FirstPea) {
  for (uint32_t I = 0; I < D.Peas.size(); ++I) {
    const Pea &E = D.Peas[I];
    ppi_pea &Out = Peas[FirstPea + I];
    Out.first_touch = to32(Touch.size(), "namespace targets");
    if (E.NamespaceGlobal) {
      Out.touch_flags = PPI_TOUCH_GLOBAL;
      continue;
    }
    for (uint32_t Q : E.NamespacePeas)
      Touch.push_back(FirstPea + Q);
    Out.touch_count = to32(Touch.size() - Out.first_touch, "namespace targets");
  }
}

uint64_t alignUp(uint64_t N) {
  return (N + PPI_ALIGN - 1) / PPI_ALIGN * PPI_ALIGN;
}

/// Writes the payload while hashing it. Sections are freed as soon as they
/// are written, so the tables and the image never both exist in memory.
class PayloadStream {
public:
  explicit PayloadStream(llvm::raw_pwrite_stream &OS) : OS(OS) {
    ppi_sha256_init(&Hash);
  }

  void write(const void *Data, size_t Size) {
    ppi_sha256_update(&Hash, Data, Size); // the loader's own digest code
    OS.write(static_cast<const char *>(Data), Size);
    Written += Size;
  }
  template <typename T> void writeValue(const T &V) { write(&V, sizeof V); }
  /// A vector or string section, freed once written.
  template <typename Container> void writeAndFree(Container &V) {
    padTo(alignUp(Written));
    write(V.data(), V.size() * sizeof(*V.data()));
    Container().swap(V);
  }
  /// One section spread over the peas' tables.
  template <typename T>
  void writeAndFree(std::vector<kmod::PeaTables> &Trees,
                    std::vector<T> kmod::PeaTables::*Member) {
    padTo(alignUp(Written));
    for (kmod::PeaTables &Tree : Trees) {
      std::vector<T> &V = Tree.*Member;
      write(V.data(), V.size() * sizeof(T));
      std::vector<T>().swap(V);
    }
  }
  uint64_t offset() const { return Written; }
  /// SHA-256 of everything written.
  void digest(uint8_t Out[PPI_SHA256_SIZE]) { ppi_sha256_final(&Hash, Out); }

private:
  void padTo(uint64_t Off) {
    static const char Zeros[PPI_ALIGN] = {};
    while (Written < Off)
      write(Zeros, std::min<uint64_t>(Off - Written, sizeof Zeros));
  }
  llvm::raw_pwrite_stream &OS;
  ppi_sha256 Hash;
  uint64_t Written = PPI_HEADER_SIZE; // offsets count from the image start
};

void ImageBuilder::emit(llvm::raw_pwrite_stream &OS) {
  std::string &Str = Strings.bytes();
  const uint64_t Sizes[PPI_SECTION_COUNT] = {
      Str.size(),
      Pods.size() * sizeof(ppi_pod),
      Peas.size() * sizeof(ppi_pea),
      Rules.size() * sizeof(ppi_rule),
      uint64_t(NodeCount) * sizeof(ppi_node),
      uint64_t(SlotCount) * sizeof(ppi_slot),
      Ports.size() * sizeof(ppi_port_range),
      Touch.size() * sizeof(uint32_t),
  };
  const uint32_t EntrySizes[PPI_SECTION_COUNT] = {1,
                                                  sizeof(ppi_pod),
                                                  sizeof(ppi_pea),
                                                  sizeof(ppi_rule),
                                                  sizeof(ppi_node),
                                                  sizeof(ppi_slot),
                                                  sizeof(ppi_port_range),
                                                  sizeof(uint32_t)};

  // The header goes last (it holds the digest): reserve its bytes now.
  const char Placeholder[PPI_HEADER_SIZE] = {};
  OS.write(Placeholder, sizeof Placeholder);
  PayloadStream Out(OS);
  Out.writeValue(ppi_payload_head{PPI_SECTION_COUNT,
                                  Opts.Locations ? PPI_FLAG_LOCATIONS : 0u});
  uint64_t End = PPI_SECTION_TABLE_OFFSET + PPI_SECTION_COUNT * sizeof(ppi_section);
  for (uint32_t I = 0; I < PPI_SECTION_COUNT; ++I) {
    ppi_section S{I + 1, EntrySizes[I], alignUp(End), Sizes[I]};
    Out.writeValue(S);
    End = S.offset + S.size;
  }
  // Sections in table order, each padded with zeros to its offset.
  Out.writeAndFree(Str);
  Out.writeAndFree(Pods);
  Out.writeAndFree(Peas);
  Out.writeAndFree(Rules);
  Out.writeAndFree(Trees, &kmod::PeaTables::Nodes);
  Out.writeAndFree(Trees, &kmod::PeaTables::Slots);
  Out.writeAndFree(Ports);
  Out.writeAndFree(Touch);
  assert(Out.offset() == End && "sections laid out as the table says");

  ppi_header H{};
  std::memcpy(H.magic, PPI_MAGIC, PPI_MAGIC_SIZE);
  H.version = PPI_VERSION;
  H.header_size = PPI_HEADER_SIZE;
  H.image_size = End;
  static_assert(PPI_DIGEST_SIZE == PPI_SHA256_SIZE);
  Out.digest(H.digest);
  OS.pwrite(reinterpret_cast<const char *>(&H), sizeof H, 0);
}

} // namespace

std::string writeImage(const Policy &P, const ImageWriteOptions &Opts) {
  llvm::SmallVector<char, 0> Bytes;
  llvm::raw_svector_ostream OS(Bytes);
  writeImage(P, Opts, OS);
  return std::string(Bytes.begin(), Bytes.end());
}

void writeImage(const Policy &P, const ImageWriteOptions &Opts,
                llvm::raw_pwrite_stream &OS) {
  ImageBuilder(P, Opts).write(OS);
}

bool writeImageFile(llvm::StringRef Path, const Policy &P,
                    const ImageWriteOptions &Opts, std::string &Error,
                    OutputOptions Output) {
  Output.Binary = true;
  auto Out = OutputFile::create(Path, Output);
  if (!Out) {
    Error = llvm::toString(Out.takeError());
    return false;
  }
  writeImage(P, Opts, (*Out)->os());
  if (llvm::Error E = (*Out)->commit()) {
    Error = llvm::toString(std::move(E));
    return false;
  }
  return true;
}

} // namespace peapod
