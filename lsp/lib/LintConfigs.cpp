//===- LintConfigs.cpp - The lint configuration of each document ----------===//
#include "LintConfigs.h"
#include "llvm/Support/FileSystem.h"

namespace peapod::lsp {

const analyzer::LintConfig &
LintConfigs::forDocument(const std::string &DocumentPath,
                         const std::string &Explicit,
                         std::vector<std::string> &Problems) {
  if (!Explicit.empty())
    return load(Explicit, Problems);
  if (std::optional<std::string> Found = analyzer::findLintConfig(DocumentPath))
    return load(*Found, Problems);
  return Defaults;
}

const analyzer::LintConfig &
LintConfigs::load(const std::string &Path, std::vector<std::string> &Problems) {
  llvm::sys::fs::file_status S;
  uint64_t Size = 0;
  int64_t ModTime = 0;
  if (!llvm::sys::fs::status(Path, S)) {
    Size = S.getSize();
    ModTime = S.getLastModificationTime().time_since_epoch().count();
  }
  auto It = Files.find(Path);
  if (It != Files.end() && It->second.Size == Size &&
      It->second.ModTime == ModTime)
    return It->second.Loaded ? It->second.Config : Defaults;
  Entry E;
  E.Size = Size;
  E.ModTime = ModTime;
  if (auto C = analyzer::loadLintConfig(Path)) {
    E.Config = std::move(*C);
    E.Loaded = true;
  } else {
    Problems.push_back(llvm::toString(C.takeError()) +
                       " (the built-in lint defaults apply until it is fixed)");
  }
  Entry &Stored = Files[Path] = std::move(E);
  return Stored.Loaded ? Stored.Config : Defaults;
}

} // namespace peapod::lsp
