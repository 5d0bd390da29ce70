//===- Compilation.h - Parse, resolve includes, check, lower ---*- C++ -*-===//
//
// One Compilation per policy: it owns the source buffers, the diagnostics,
// the ASTs of the main file and of every included rule group, and the IR.
// The CLI, the language server and the tests all drive it the same way.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_COMPILATION_H
#define PEAPOD_COMPILATION_H

#include "peapod/AST.h"
#include "peapod/Diagnostics.h"
#include "peapod/Policy.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/SourceMgr.h"
#include <memory>
#include <string>
#include <vector>

namespace peapod {

struct CompileOptions {
  /// `-I DIR`, searched in order after the including file's directory.
  std::vector<std::string> IncludeDirs;
  /// Searched last. Empty: the default (defaultStdRulesDir()).
  std::string StdRulesDir;
  /// Severities, disabled warnings and the error limit.
  DiagnosticOptions Diagnostics;
};

/// The shipped rule groups: $PEAPOD_STDRULES if set, else `stdrules` next to
/// the installed tool (../share/peapod/stdrules), else the source tree's.
std::string defaultStdRulesDir();

class Workspace;

class Compilation {
public:
  explicit Compilation(CompileOptions Opts = {}, Workspace *WS = nullptr);
  ~Compilation();

  /// Reads, parses and checks a policy file. False if it has errors (see
  /// diags()); the IR is then incomplete but safe to inspect.
  bool compileFile(llvm::StringRef Path);
  /// The same for text in memory (the language server's open documents).
  bool compileBuffer(llvm::StringRef Name, llvm::StringRef Text);

  DiagnosticEngine &diags() { return *Diags; }
  const DiagnosticEngine &diags() const { return *Diags; }
  const llvm::SourceMgr &sourceMgr() const { return *SM; }
  const Policy &policy() const { return IR; }
  const CompileOptions &options() const { return Opts; }
  /// The main file's tree (null before a compile or if unreadable).
  const ast::File *mainFile() const;
  /// Every file of the policy: the main one first, then each rule group in
  /// the order first included.
  const std::vector<const ast::File *> &files() const { return Files; }
  /// The buffer of this compilation's SourceMgr that holds `F`.
  unsigned bufferOf(const ast::File &F) const;

  /// The name a buffer is known by in portable locations: the main file's
  /// base name, or NAME.rules for a rule group.
  llvm::StringRef displayName(unsigned BufferID) const;
  RuleLocation locate(llvm::SMLoc Loc) const;

private:
  class Lowering;
  void reset();
  bool compile(std::unique_ptr<llvm::MemoryBuffer> Buffer,
               std::string DisplayName);

  CompileOptions Opts;
  Workspace *WS;
  std::unique_ptr<llvm::SourceMgr> SM;
  std::unique_ptr<DiagnosticEngine> Diags;
  std::vector<std::unique_ptr<ast::File>> Owned; ///< parsed here
  std::vector<const ast::File *> Files;
  llvm::DenseMap<const ast::File *, unsigned> BufferOf;
  std::vector<std::string> DisplayNames; ///< by BufferID - 1
  unsigned MainBuffer = 0;
  Policy IR;
};

} // namespace peapod

#endif // PEAPOD_COMPILATION_H
