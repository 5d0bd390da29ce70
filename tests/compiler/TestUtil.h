//===- TestUtil.h - Shared helpers for the compiler tests ------*- C++ -*-===//
#ifndef PEAPOD_TESTS_COMPILER_TESTUTIL_H
#define PEAPOD_TESTS_COMPILER_TESTUTIL_H

#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "llvm/Support/raw_ostream.h"
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace peapod::test {

/// One diagnostic, resolved to what a user sees.
struct Diag {
  std::string Code;
  std::string File; ///< as the SourceMgr knows the buffer
  unsigned Line = 0, Column = 0;
  unsigned EndLine = 0, EndColumn = 0;
  std::string Message;
  std::vector<Diag> Notes;
};

inline Diag resolve(const DiagnosticEngine &E, const Diagnostic &D) {
  Diag Out;
  Out.Code = D.code();
  Position P = E.position(D.Range.Start);
  Out.File = P.File;
  Out.Line = P.Line;
  Out.Column = P.Column;
  Position End = E.position(D.Range.End);
  Out.EndLine = End.Line;
  Out.EndColumn = End.Column;
  Out.Message = D.Message;
  for (const Diagnostic &N : D.Notes)
    Out.Notes.push_back(resolve(E, N));
  return Out;
}

inline std::vector<Diag> diags(const Compilation &C) {
  std::vector<Diag> Out;
  for (const Diagnostic &D : C.diags().diagnostics())
    Out.push_back(resolve(C.diags(), D));
  return Out;
}

inline std::vector<std::string> codes(const Compilation &C) {
  std::vector<std::string> Out;
  for (const Diagnostic &D : C.diags().diagnostics())
    Out.push_back(D.code());
  return Out;
}

/// "CODE line:col message", handy for whole-list comparisons.
inline std::vector<std::string> summary(const Compilation &C) {
  std::vector<std::string> Out;
  for (const Diag &D : diags(C))
    Out.push_back(D.Code + " " + std::to_string(D.Line) + ":" +
                  std::to_string(D.Column) + " " + D.Message);
  return Out;
}

inline std::string render(const Compilation &C) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printDiagnostics(C.diags(), OS);
  OS.flush();
  return S;
}

inline std::unique_ptr<Compilation> compile(const std::string &Text,
                                            const std::string &Name = "test.pea",
                                            CompileOptions Opts = {}) {
  if (Opts.StdRulesDir.empty())
    Opts.StdRulesDir = PEAPOD_SOURCE_DIR "/stdrules";
  auto C = std::make_unique<Compilation>(std::move(Opts));
  C->compileBuffer(Name, Text);
  return C;
}

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
  TempDir() {
    std::random_device RD;
    std::mt19937_64 G(RD());
    for (;;) {
      Root = std::filesystem::temp_directory_path() /
             ("peapod-test-" + std::to_string(G()));
      if (std::filesystem::create_directory(Root))
        break;
    }
    Root = std::filesystem::canonical(Root);
  }
  ~TempDir() {
    std::error_code EC;
    std::filesystem::remove_all(Root, EC);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  /// Writes `Text` to `Rel` (creating parent directories); returns the path.
  std::string write(const std::string &Rel, const std::string &Text) const {
    std::filesystem::path P = Root / Rel;
    std::filesystem::create_directories(P.parent_path());
    std::ofstream(P, std::ios::binary) << Text;
    return P.string();
  }
  std::string dir(const std::string &Rel) const {
    std::filesystem::path P = Root / Rel;
    std::filesystem::create_directories(P);
    return P.string();
  }
  std::string path(const std::string &Rel) const { return (Root / Rel).string(); }
  void remove(const std::string &Rel) const {
    std::filesystem::remove(Root / Rel);
  }

private:
  std::filesystem::path Root;
};

} // namespace peapod::test

#endif // PEAPOD_TESTS_COMPILER_TESTUTIL_H
