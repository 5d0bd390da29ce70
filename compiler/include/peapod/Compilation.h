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

class Compilation {
public:
  explicit Compilation(CompileOptions Opts = {});
  ~Compilation();

  /// Reads, parses and checks a policy file. False if it has errors (see
  /// diags()); the IR is then incomplete but safe to inspect.
  bool compileFile(llvm::StringRef Path);
  /// The same for text in memory (the language server's open documents).
  bool compileBuffer(llvm::StringRef Name, llvm::StringRef Text);

  DiagnosticEngine &diags() { return Diags; }
  const DiagnosticEngine &diags() const { return Diags; }
  const llvm::SourceMgr &sourceMgr() const { return SM; }
  const Policy &policy() const { return IR; }
  /// The main file's tree (null before a compile or if unreadable).
  const ast::File *mainFile() const;
  /// Every parsed file: the main one first, then each include site's.
  const std::vector<std::unique_ptr<ast::File>> &files() const { return Files; }

  /// The name a buffer is known by in portable locations: the main file's
  /// base name, or NAME.rules for a rule group.
  llvm::StringRef displayName(unsigned BufferID) const;
  RuleLocation locate(llvm::SMLoc Loc) const;

private:
  class Lowering;
  bool compile(std::unique_ptr<llvm::MemoryBuffer> Buffer,
               std::string DisplayName);

  CompileOptions Opts;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags;
  std::vector<std::unique_ptr<ast::File>> Files;
  std::vector<std::string> DisplayNames; ///< by BufferID - 1
  unsigned MainBuffer = 0;
  Policy IR;
};

} // namespace peapod

#endif // PEAPOD_COMPILATION_H
