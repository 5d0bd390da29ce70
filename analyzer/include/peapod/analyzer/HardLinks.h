//===- HardLinks.h - The pod's file-system tree (--root), A1xx -*- C++ -*-===//
//
// The paper's hard-link rule: every name of a file must be protected alike,
// or the access a pea gets to the file depends on the name it opens. Given
// the pod's tree (`--root DIR`), the walk finds every non-directory with more
// than one link and groups its names by (device, inode); the check then asks
// each pea's regions (Regions.h) for every name and reports the groups whose
// names answer differently. It also reports rule paths that are symbolic
// links under the root (the rule guards the link's name, not the file) and,
// as notes, rule paths that do not exist there.
//
// The walk uses openat/fstatat/getdents64 only: it never follows a symbolic
// link, never leaves the root's file system unless asked, and starts no
// process.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_HARDLINKS_H
#define PEAPOD_ANALYZER_HARDLINKS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace peapod {
class Compilation;
} // namespace peapod

namespace peapod::analyzer {

struct AnalyzerOptions;

struct TreeWalkOptions {
  /// Descend into directories on other file systems (mount points).
  bool CrossDevices = false;
};

/// The names of one file with several links, as policy paths ("/" + the
/// name relative to the root), sorted (componentCompare).
struct LinkGroup {
  uint64_t Device = 0, Inode = 0;
  uint64_t LinkCount = 0; ///< st_nlink: links outside the root count too
  std::vector<std::string> Names;
};

/// A directory the walk could not read; the names below it are unchecked.
struct UnreadableDir {
  std::string Path; ///< policy path
  std::string Reason;
};

struct TreeScan {
  /// Files with st_nlink > 1, in the order of their first names; a
  /// group may hold a single name when its other links are outside the
  /// root (or on a file system the walk did not enter).
  std::vector<LinkGroup> Groups;
  std::vector<UnreadableDir> Unreadable;
  uint64_t Entries = 0;     ///< names seen, directories included
  uint64_t Directories = 0; ///< directories read
  /// Directories not entered because they are on another file system.
  uint64_t OtherDevices = 0;
};

/// Walks the tree at `Root`. Fails, with the reason, only when the root
/// itself cannot be opened as a directory.
llvm::Expected<TreeScan> scanTree(llvm::StringRef Root,
                                  const TreeWalkOptions &Opts = {});

/// What a rule path is under the root, found without following links.
struct PathStatus {
  enum Kind : uint8_t { Exists, Missing, ThroughSymlink };
  Kind K = Exists;
  std::string Link;   ///< ThroughSymlink: the component that is a link
  std::string Target; ///< ThroughSymlink: what the link says
};

/// Answers PathStatus for policy paths under one root, caching every
/// directory it resolved: asking for each rule path of a large policy costs
/// one fstatat per distinct path component.
class RootPaths {
public:
  /// Opens `Root`; fails as scanTree does.
  static llvm::Expected<RootPaths> open(llvm::StringRef Root);
  RootPaths(RootPaths &&Other) noexcept;
  RootPaths &operator=(RootPaths &&) = delete;
  ~RootPaths();
  /// `Path` is a normalised absolute policy path.
  PathStatus status(llvm::StringRef Path);

private:
  explicit RootPaths(int FD) : RootFD(FD) {}
  int RootFD = -1;
  llvm::StringMap<PathStatus> Known; ///< by policy path
};

/// The A1xx checks on `C` with the tree `Opts.Root` (which must be set).
/// A root that cannot be read is reported as the fatal A105.
void checkTree(Compilation &C, const AnalyzerOptions &Opts);

} // namespace peapod::analyzer

#endif
