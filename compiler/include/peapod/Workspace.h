//===- Workspace.h - Editor buffers and parsed rule groups, kept -*- C++ -*-===//
//
// What a language server keeps from one compilation to the next: the
// editor's unsaved buffers, which stand in for the files on disk, and the
// rule groups already parsed, reused as long as they have not changed (same
// buffer version, or same file identity, size and modification time on
// disk). A Compilation given a Workspace reads through it; without one it
// reads the disk and parses every file (what a one-shot command wants).
//
// Not thread-safe: one thread compiles at a time.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_WORKSPACE_H
#define PEAPOD_WORKSPACE_H

#include "peapod/AST.h"
#include "peapod/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace peapod {

class Workspace {
public:
  Workspace();
  ~Workspace();

  /// The editor's contents for the file at `Path`, used instead of the file
  /// on disk (a file that does not exist on disk yet included).
  void setBuffer(llvm::StringRef Path, std::string Text);
  void removeBuffer(llvm::StringRef Path);
  /// The editor's contents for `Path`, if it has any.
  const std::string *buffer(llvm::StringRef Path) const;

  /// A parsed rule group: its text, tree and the diagnostics of parsing it
  /// (whose locations point into Text). Valid until the group changes.
  struct ParsedGroup {
    std::string RealPath;
    std::unique_ptr<llvm::SourceMgr> SM; ///< holds Text, the AST's buffer
    std::unique_ptr<DiagnosticEngine> Diags;
    std::unique_ptr<ast::File> AST;
    llvm::StringRef Text;
    std::string Stamp; ///< what says it is unchanged
  };

  /// The rule group at `Path` (found by include resolution), parsed now or
  /// reused; null with `Error` set if it cannot be read.
  const ParsedGroup *group(llvm::StringRef Path, std::string &Error);

  /// What lies at `Path`: a regular file, an editor buffer, or neither.
  bool isFile(llvm::StringRef Path) const;

  /// Rule groups parsed so far (a re-parse counts again): for tests and
  /// benchmarks that check the cache works.
  unsigned parses() const { return Parses; }

  /// The key files are known by: the canonical path, or the absolute path
  /// with `.` and `..` removed for one that does not exist on disk.
  static std::string key(llvm::StringRef Path);

private:
  struct Buffer {
    std::string Text;
    uint64_t Version;
  };
  llvm::StringMap<Buffer> Buffers; ///< by key
  llvm::StringMap<std::unique_ptr<ParsedGroup>> Groups; ///< by key
  uint64_t NextVersion = 1;
  unsigned Parses = 0;
};

} // namespace peapod

#endif // PEAPOD_WORKSPACE_H
