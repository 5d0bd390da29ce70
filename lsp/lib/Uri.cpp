//===- Uri.cpp - file: URIs -----------------------------------------------===//
#include "peapod/lsp/Protocol.h"
#include "llvm/ADT/StringExtras.h"

namespace peapod::lsp {

std::optional<std::string> uriToPath(llvm::StringRef Uri) {
  if (!Uri.consume_front_insensitive("file://"))
    return std::nullopt;
  // `file:///p` has an empty host; `file://localhost/p` names this machine.
  Uri.consume_front_insensitive("localhost");
  if (!Uri.startswith("/"))
    return std::nullopt;
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    char C = Uri[I];
    if (C == '?' || C == '#')
      break; // a query or fragment is no part of the path
    if (C == '%' && I + 2 < Uri.size() &&
        llvm::isHexDigit(Uri[I + 1]) && llvm::isHexDigit(Uri[I + 2])) {
      Path += char(llvm::hexDigitValue(Uri[I + 1]) * 16 +
                   llvm::hexDigitValue(Uri[I + 2]));
      I += 2;
      continue;
    }
    Path += C;
  }
  if (Path.find('\0') != std::string::npos)
    return std::nullopt;
  return Path;
}

std::string pathToUri(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '.' || C == '_' ||
        C == '~') {
      Uri += char(C);
    } else {
      Uri += '%';
      Uri += llvm::hexdigit(C >> 4, /*LowerCase=*/false);
      Uri += llvm::hexdigit(C & 15, /*LowerCase=*/false);
    }
  }
  return Uri;
}

} // namespace peapod::lsp
