//===- bench_format.cpp - Formatting a policy, as on every save ----------===//
//
// What `peapodc fmt` and the language server's formatting cost, through the
// library, minus reading and writing the file:
//
//   bench_format POLICY [--repeat N] [--only ROW]
//
// Prints the median (and the fastest) of N runs, in milliseconds, of:
//   parse      parseBuffer alone, for reference
//   tree       formatTree on a tree already parsed (the language server's
//              case: it holds the tree of every open document)
//   format     formatBuffer on POLICY as given (parse, layout, edits and the
//              lexing that checks every token and comment is kept)
//   formatted  formatBuffer on the already formatted text (the usual case
//              on save: nothing changes)
//   range      formatBuffer of one line in the middle (rangeFormatting)
//
//===----------------------------------------------------------------------===//
#include "peapod/Formatter.h"
#include "peapod/Parser.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

/// Median and minimum milliseconds of `Repeat` runs of `F` on `Text`.
std::pair<double, double>
measure(unsigned Repeat, const std::string &Text,
        const std::function<void(const llvm::SourceMgr &, unsigned,
                                 peapod::DiagnosticEngine &)> &F) {
  std::vector<double> Ms;
  for (unsigned I = 0; I < Repeat; ++I) {
    llvm::SourceMgr SM;
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(Text, "bench.pea"), llvm::SMLoc());
    peapod::DiagnosticEngine Diags(SM);
    auto T = Clock::now();
    F(SM, ID, Diags);
    Ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - T).count());
  }
  std::sort(Ms.begin(), Ms.end());
  return {Ms[Ms.size() / 2], Ms.front()};
}

/// The same for formatTree alone, on one tree parsed beforehand.
std::pair<double, double> measureTree(unsigned Repeat, const std::string &Text) {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(Text, "bench.pea"), llvm::SMLoc());
  peapod::DiagnosticEngine Diags(SM);
  std::unique_ptr<peapod::ast::File> Tree = peapod::parseBuffer(SM, ID, Diags);
  std::vector<double> Ms;
  for (unsigned I = 0; I < Repeat; ++I) {
    auto T = Clock::now();
    if (!peapod::formatTree(*Tree, Text, Diags.diagnostics()).Formatted)
      std::abort();
    Ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - T).count());
  }
  std::sort(Ms.begin(), Ms.end());
  return {Ms[Ms.size() / 2], Ms.front()};
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << "usage: bench_format POLICY [--repeat N]\n";
    return 2;
  }
  unsigned Repeat = 21;
  std::string Only; // one row (for a profiler)
  for (int I = 2; I + 1 < Argc; I += 2) {
    if (!std::strcmp(Argv[I], "--repeat"))
      Repeat = std::max(1, std::atoi(Argv[I + 1]));
    else if (!std::strcmp(Argv[I], "--only"))
      Only = Argv[I + 1];
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Argv[1]);
  if (!Buffer) {
    llvm::errs() << "bench_format: cannot read " << Argv[1] << "\n";
    return 2;
  }
  std::string Text = (*Buffer)->getBuffer().str();
  std::optional<std::string> Formatted = peapod::formatText(Text);
  if (!Formatted) {
    llvm::errs() << "bench_format: " << Argv[1] << " is not formattable\n";
    return 1;
  }
  size_t Lines = std::count(Text.begin(), Text.end(), '\n');
  size_t Middle = Formatted->find('\n', Formatted->size() / 2) + 1;

  auto Parse = [](const llvm::SourceMgr &SM, unsigned ID,
                  peapod::DiagnosticEngine &D) { peapod::parseBuffer(SM, ID, D); };
  auto Format = [](const llvm::SourceMgr &SM, unsigned ID,
                   peapod::DiagnosticEngine &D) {
    if (!peapod::formatBuffer(SM, ID, D).Formatted)
      std::abort();
  };
  auto Range = [&](const llvm::SourceMgr &SM, unsigned ID,
                   peapod::DiagnosticEngine &D) {
    peapod::formatBuffer(SM, ID, D, peapod::ByteRange{Middle, Middle});
  };
  struct Row {
    const char *Name;
    std::function<std::pair<double, double>()> Run;
  } Rows[] = {{"parse", [&] { return measure(Repeat, Text, Parse); }},
              {"tree", [&] { return measureTree(Repeat, Text); }},
              {"format", [&] { return measure(Repeat, Text, Format); }},
              {"formatted", [&] { return measure(Repeat, *Formatted, Format); }},
              {"range", [&] { return measure(Repeat, *Formatted, Range); }}};
  llvm::outs() << Argv[1] << ": " << Lines << " lines, " << Text.size()
               << " bytes, " << Repeat << " runs\n";
  for (const Row &R : Rows) {
    if (!Only.empty() && Only != R.Name)
      continue;
    auto [Median, Min] = R.Run();
    llvm::outs() << llvm::format("  %-10s median %8.2f ms   min %8.2f ms\n",
                                 R.Name, Median, Min);
  }
  return 0;
}
