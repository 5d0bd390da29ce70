//===- Workspace.cpp ------------------------------------------------------===//
#include "peapod/Workspace.h"
#include "peapod/InputFile.h"
#include "peapod/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace peapod {

Workspace::Workspace() = default;
Workspace::~Workspace() = default;

std::string Workspace::key(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Path, Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

void Workspace::setBuffer(llvm::StringRef Path, std::string Text) {
  Buffers[key(Path)] = {std::move(Text), NextVersion++};
}

void Workspace::removeBuffer(llvm::StringRef Path) { Buffers.erase(key(Path)); }

const std::string *Workspace::buffer(llvm::StringRef Path) const {
  auto It = Buffers.find(key(Path));
  return It == Buffers.end() ? nullptr : &It->second.Text;
}

bool Workspace::isFile(llvm::StringRef Path) const {
  return buffer(Path) || llvm::sys::fs::is_regular_file(Path);
}

/// "buffer VERSION", or the file's identity, size and modification time.
static std::optional<std::string> stampOf(llvm::StringRef Path,
                                          const std::string *Text,
                                          uint64_t Version) {
  if (Text)
    return "buffer " + std::to_string(Version);
  llvm::sys::fs::file_status S;
  if (llvm::sys::fs::status(Path, S))
    return std::nullopt;
  llvm::sys::fs::UniqueID ID = S.getUniqueID();
  return "file " + std::to_string(ID.getDevice()) + ":" +
         std::to_string(ID.getFile()) + " " + std::to_string(S.getSize()) +
         " " +
         std::to_string(S.getLastModificationTime().time_since_epoch().count());
}

const Workspace::ParsedGroup *Workspace::group(llvm::StringRef Path,
                                               std::string &Error) {
  std::string Key = key(Path);
  auto B = Buffers.find(Key);
  const std::string *Text = B == Buffers.end() ? nullptr : &B->second.Text;
  std::optional<std::string> Stamp =
      stampOf(Path, Text, Text ? B->second.Version : 0);
  std::unique_ptr<ParsedGroup> &Slot = Groups[Key];
  if (Slot && Stamp && Slot->Stamp == *Stamp)
    return Slot.get();

  std::unique_ptr<llvm::MemoryBuffer> MB;
  if (Text) {
    MB = llvm::MemoryBuffer::getMemBufferCopy(*Text, Path);
  } else {
    auto Read = readInputFile(Path);
    if (!Read) {
      Error = llvm::toString(Read.takeError());
      Slot.reset();
      return nullptr;
    }
    MB = std::move(*Read);
  }
  auto G = std::make_unique<ParsedGroup>();
  G->RealPath = Key;
  G->Stamp = Stamp.value_or("");
  G->SM = std::make_unique<llvm::SourceMgr>();
  G->Text = MB->getBuffer();
  unsigned ID = G->SM->AddNewSourceBuffer(std::move(MB), llvm::SMLoc());
  G->Diags = std::make_unique<DiagnosticEngine>(*G->SM);
  G->AST = parseBuffer(*G->SM, ID, *G->Diags);
  ++Parses;
  Slot = std::move(G);
  return Slot.get();
}

} // namespace peapod
