//===- bench_recheck.cpp - Re-checking a policy after a one-character edit ===//
//
// What the language server does on every keystroke, minus the protocol: the
// policy is an editor buffer of a Workspace, the rule groups it includes are
// parsed once and reused, and after each one-character edit (a digit in a
// comment, toggled) the whole policy is compiled again.
//
//   bench_recheck POLICY [--edits N] [-I DIR] [--stdrules DIR]
//
// Prints the first (cold) compile and the median, p90 and maximum of the
// re-checks, in milliseconds.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/Workspace.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double msSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << "usage: bench_recheck POLICY [--edits N] [-I DIR] "
                    "[--stdrules DIR]\n";
    return 2;
  }
  std::string Path = Argv[1];
  unsigned Edits = 50;
  peapod::CompileOptions Opts;
  for (int I = 2; I + 1 < Argc; I += 2) {
    if (!std::strcmp(Argv[I], "--edits"))
      Edits = static_cast<unsigned>(std::atoi(Argv[I + 1]));
    else if (!std::strcmp(Argv[I], "-I"))
      Opts.IncludeDirs.push_back(Argv[I + 1]);
    else if (!std::strcmp(Argv[I], "--stdrules"))
      Opts.StdRulesDir = Argv[I + 1];
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    llvm::errs() << "bench_recheck: cannot read " << Path << "\n";
    return 2;
  }
  // The edit: a trailing comment whose digit changes every time.
  std::string Text = (*Buffer)->getBuffer().str() + "\n# edit 0\n";
  size_t Digit = Text.size() - 2;

  peapod::Workspace WS;
  peapod::Compilation C(Opts, &WS);
  WS.setBuffer(Path, Text);
  auto Start = Clock::now();
  C.compileFile(Path);
  double Cold = msSince(Start);
  if (C.diags().hasErrors()) {
    peapod::printDiagnostics(C.diags(), llvm::errs());
    return 1;
  }
  std::vector<double> Times;
  for (unsigned I = 0; I < Edits; ++I) {
    Text[Digit] = static_cast<char>('0' + (I + 1) % 10);
    WS.setBuffer(Path, Text);
    Start = Clock::now();
    C.compileFile(Path);
    Times.push_back(msSince(Start));
  }
  std::sort(Times.begin(), Times.end());
  size_t Lines = std::count(Text.begin(), Text.end(), '\n');
  llvm::outs() << llvm::format(
      "%zu lines, %u edits: cold %.1f ms; re-check median %.1f ms, p90 %.1f "
      "ms, max %.1f ms; rule groups parsed %u times\n",
      Lines, Edits, Cold, Times[Times.size() / 2], Times[Times.size() * 9 / 10],
      Times.back(), WS.parses());
  return 0;
}
