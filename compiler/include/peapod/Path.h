//===- Path.h - Policy path normalisation ----------------------*- C++ -*-===//
#ifndef PEAPOD_PATH_H
#define PEAPOD_PATH_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace peapod {

enum class PathError : uint8_t { None, Relative, DotComponent, Nul };

/// The most components a path can have: PATH_MAX (4096 bytes with the NUL)
/// holds at most 2048 ("/a" each), so nothing deeper can ever be asked
/// about, and the image format's trees stop there too.
constexpr unsigned MaxPathDepth = 2048;

/// The number of components of a normalised path ("/" has none).
unsigned pathDepth(llvm::StringRef Path);

struct NormalisedPath {
  std::string Path;       ///< "/" or "/a/b": no "//", no trailing "/"
  PathError Error = PathError::None;
  std::string BadComponent; ///< "." or ".." for DotComponent
};

/// Collapses repeated '/', drops a trailing '/', and rejects relative paths
/// and '.'/'..' components (policies name files exactly; nothing is resolved).
NormalisedPath normalisePath(llvm::StringRef Raw);

/// Whether `Ancestor` is `Path` itself or a directory above it, on component
/// boundaries: "/var/www/cgi-bin" covers "/var/www/cgi-bin/x", not
/// "/var/www/cgi-binx". Both must be normalised.
bool pathCovers(llvm::StringRef Ancestor, llvm::StringRef Path);

/// Whether `Ancestor` is a proper ancestor of `Path` (covers and differs).
bool isProperAncestor(llvm::StringRef Ancestor, llvm::StringRef Path);

} // namespace peapod

#endif // PEAPOD_PATH_H
