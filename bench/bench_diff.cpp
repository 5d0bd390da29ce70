//===- bench_diff.cpp - peapodc diff of two large policies ----------------===//
//
//   bench_diff [--rules N] [--peas P] [--seed S] [--change-every K]
//              [--other-seed S2] [--repeat R] [--keep DIR]
//
// OLD is the generated policy (Generator.h; default 100k rules in 100 peas,
// seed 1). NEW is OLD with the access of every K-th `path` rule (default
// 100: about 0.7% of the rules) set to `allow`, the review of a realistic
// change; or, with --other-seed, an unrelated policy of the same shape
// (every region differs: the worst case for the report). Times, through the
// library, the median of R runs of: compiling each side, the diff itself
// (profiles, joint region walks, ports, namespaces) and rendering the text
// report. --keep DIR writes old.pea and new.pea there, for timing
// `peapodc diff DIR/old.pea DIR/new.pea` end to end.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"
#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/analyzer/PolicyDiff.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;
using namespace peapod;

namespace {

double msSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

std::string generate(bench::GenOptions O) {
  bench::Generator G(O);
  std::ostringstream OS;
  bench::writePeaPod(G, OS);
  return OS.str();
}

/// Every K-th `path` rule of `Text` granted `allow`.
std::string widen(const std::string &Text, unsigned Every, unsigned &Changed) {
  std::string Out;
  Out.reserve(Text.size() + Text.size() / 50);
  unsigned Seen = 0;
  Changed = 0;
  for (size_t Start = 0, End; Start < Text.size(); Start = End + 1) {
    End = Text.find('\n', Start);
    if (End == std::string::npos)
      End = Text.size();
    std::string Line = Text.substr(Start, End - Start);
    if (Line.rfind("    path ", 0) == 0 && ++Seen % Every == 0) {
      size_t PathEnd = Line.find(' ', 9);
      Line = Line.substr(0, PathEnd) + " allow";
      ++Changed;
    }
    Out += Line + "\n";
  }
  return Out;
}

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

} // namespace

int main(int Argc, char **Argv) {
  bench::GenOptions O;
  O.Rules = 100000;
  O.Peas = 100;
  unsigned Every = 100, Repeat = 3;
  uint64_t OtherSeed = 0;
  std::string Keep;
  for (int I = 1; I + 1 < Argc; I += 2) {
    std::string A = Argv[I], V = Argv[I + 1];
    if (A == "--rules")
      O.Rules = std::strtoull(V.c_str(), nullptr, 10);
    else if (A == "--peas")
      O.Peas = unsigned(std::atoi(V.c_str()));
    else if (A == "--seed")
      O.Seed = std::strtoull(V.c_str(), nullptr, 10);
    else if (A == "--change-every")
      Every = std::max(1, std::atoi(V.c_str()));
    else if (A == "--other-seed")
      OtherSeed = std::strtoull(V.c_str(), nullptr, 10);
    else if (A == "--repeat")
      Repeat = std::max(1, std::atoi(V.c_str()));
    else if (A == "--keep")
      Keep = V;
    else {
      llvm::errs() << "bench_diff: unknown option " << A << "\n";
      return 2;
    }
  }
  std::string Old = generate(O);
  unsigned Changed = 0;
  std::string New;
  if (OtherSeed) {
    bench::GenOptions P = O;
    P.Seed = OtherSeed;
    New = generate(P);
  } else {
    New = widen(Old, Every, Changed);
  }
  if (!Keep.empty()) {
    std::ofstream(Keep + "/old.pea") << Old;
    std::ofstream(Keep + "/new.pea") << New;
  }
  std::vector<double> CompileOld, CompileNew, Diff, Render, Total;
  size_t Regions = 0, ReportBytes = 0;
  bool Widens = false;
  for (unsigned R = 0; R < Repeat; ++R) {
    auto T0 = Clock::now();
    Compilation A, B;
    A.compileBuffer("old.pea", Old);
    auto T1 = Clock::now();
    B.compileBuffer("new.pea", New);
    auto T2 = Clock::now();
    if (A.diags().hasErrors() || B.diags().hasErrors()) {
      printDiagnostics(A.diags(), llvm::errs());
      printDiagnostics(B.diags(), llvm::errs());
      return 1;
    }
    analyzer::PolicyDiff D =
        analyzer::diffPolicies(analyzer::SourceProfiles(A.policy()),
                               analyzer::SourceProfiles(B.policy()));
    auto T3 = Clock::now();
    std::string Report;
    llvm::raw_string_ostream OS(Report);
    analyzer::printDiff(D, "old.pea", "new.pea", OS);
    OS.flush();
    CompileOld.push_back(std::chrono::duration<double, std::milli>(T1 - T0).count());
    CompileNew.push_back(std::chrono::duration<double, std::milli>(T2 - T1).count());
    Diff.push_back(std::chrono::duration<double, std::milli>(T3 - T2).count());
    Render.push_back(msSince(T3));
    Total.push_back(msSince(T0));
    Regions = 0;
    for (const analyzer::PeaDiff &P : D.Peas)
      Regions += P.Regions.size();
    ReportBytes = Report.size();
    Widens = D.widens();
  }
  llvm::outs() << llvm::format(
      "%llu rules, %u peas, %s: %zu changed regions, report %zu bytes, "
      "widens: %s\n",
      (unsigned long long)O.Rules, O.Peas,
      OtherSeed ? "unrelated NEW"
                : ("every " + std::to_string(Every) + "th path rule widened (" +
                   std::to_string(Changed) + " rules)")
                      .c_str(),
      Regions, ReportBytes, Widens ? "yes" : "no");
  llvm::outs() << llvm::format(
      "median of %u, ms: compile old %.0f, compile new %.0f, diff %.0f, "
      "render %.0f; total %.0f\n",
      Repeat, median(CompileOld), median(CompileNew), median(Diff),
      median(Render), median(Total));
  return 0;
}
