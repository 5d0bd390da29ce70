//===- Path.cpp - Policy path normalisation -------------------------------===//
#include "peapod/Path.h"
#include "llvm/ADT/SmallString.h"

namespace peapod {

NormalisedPath normalisePath(llvm::StringRef Raw) {
  NormalisedPath Result;
  if (Raw.find('\0') != llvm::StringRef::npos) {
    Result.Error = PathError::Nul;
    return Result;
  }
  if (!Raw.startswith("/")) {
    Result.Error = PathError::Relative;
    return Result;
  }
  llvm::SmallString<128> Out;
  llvm::StringRef Rest = Raw;
  while (!Rest.empty()) {
    Rest = Rest.ltrim('/');
    if (Rest.empty())
      break;
    auto [Component, Tail] = Rest.split('/');
    if (Component == "." || Component == "..") {
      Result.Error = PathError::DotComponent;
      Result.BadComponent = Component.str();
      return Result;
    }
    Out.push_back('/');
    Out.append(Component);
    Rest = Tail;
  }
  Result.Path = Out.empty() ? std::string("/") : std::string(Out.str());
  return Result;
}

unsigned pathDepth(llvm::StringRef Path) {
  return Path == "/" ? 0 : static_cast<unsigned>(Path.count('/'));
}

bool pathCovers(llvm::StringRef Ancestor, llvm::StringRef Path) {
  if (Ancestor == "/")
    return true;
  if (!Path.startswith(Ancestor))
    return false;
  return Path.size() == Ancestor.size() || Path[Ancestor.size()] == '/';
}

bool isProperAncestor(llvm::StringRef Ancestor, llvm::StringRef Path) {
  return Ancestor.size() < Path.size() && pathCovers(Ancestor, Path);
}

} // namespace peapod
