//===- bench_analyze.cpp - What the analyzer costs, phase by phase --------===//
//
//   bench_analyze POLICY.pea [--repeat N]
//
// Compiles the policy once per repeat and reports, as medians of N runs
// (CPU time of this process, so that other load on the machine counts
// less than in wall time):
//
//   compile   Compilation::compileFile (parse, includes, checks, lowering)
//   regions   PeaRegions::build for every pea (the floor under analyze:
//             every check reads these trees, built once per pea)
//   analyze   analyzer::analyze with the default options: every check that
//             needs no --root (what `peapodc POLICY -o OUT` adds)
//   render    printing the findings as text to a null stream (what the
//             terminal would receive)
//
// and the number of findings by code. Nothing here is a test.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/Regions.h"
#include "peapod/analyzer/Analyzer.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace {

double cpuSeconds() {
  timespec T;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &T);
  return double(T.tv_sec) + double(T.tv_nsec) / 1e9;
}

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V[V.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_analyze POLICY.pea [--repeat N]\n");
    return 2;
  }
  const char *Policy = argv[1];
  int Repeat = 3;
  for (int I = 2; I + 1 < argc; ++I)
    if (std::strcmp(argv[I], "--repeat") == 0)
      Repeat = std::max(1, std::atoi(argv[I + 1]));
  std::vector<double> Compile, Regions, Analyze, Render;
  std::map<std::string, size_t> ByCode;
  size_t Rules = 0;
  for (int R = 0; R < Repeat; ++R) {
    peapod::Compilation C;
    double T0 = cpuSeconds();
    if (!C.compileFile(Policy)) {
      std::fprintf(stderr, "bench_analyze: %s has errors\n", Policy);
      return 1;
    }
    Compile.push_back(cpuSeconds() - T0);
    double TR = cpuSeconds();
    size_t Nodes = 0;
    for (const peapod::Pod &P : C.policy().Pods)
      for (const peapod::Pea &Pea : P.Peas)
        Nodes += peapod::PeaRegions::build(Pea).nodes().size();
    Regions.push_back(cpuSeconds() - TR);
    if (Nodes == 0)
      std::printf("(no regions)\n");
    double T1 = cpuSeconds();
    peapod::analyzer::analyze(C, {});
    double T2 = cpuSeconds();
    llvm::raw_null_ostream Null;
    peapod::printDiagnostics(C.diags(), Null);
    double T3 = cpuSeconds();
    Analyze.push_back(T2 - T1);
    Render.push_back(T3 - T2);
    if (R == 0) {
      for (const peapod::Diagnostic &D : C.diags().diagnostics())
        ++ByCode[D.code()];
      for (const peapod::Pod &P : C.policy().Pods)
        for (const peapod::Pea &Pea : P.Peas)
          Rules += Pea.FileRules.size() + Pea.Transitions.size() +
                   Pea.NetRules.size() + Pea.NamespaceRules.size();
    }
  }
  std::printf("%-10s %10s %10s\n", "phase", "cpu s", "us/rule");
  auto Row = [&](const char *Name, const std::vector<double> &V) {
    std::printf("%-10s %10.3f %10.2f\n", Name, median(V),
                median(V) * 1e6 / double(std::max<size_t>(Rules, 1)));
  };
  Row("compile", Compile);
  Row("regions", Regions);
  Row("analyze", Analyze);
  Row("render", Render);
  std::printf("%zu rules; findings:", Rules);
  for (const auto &[Code, N] : ByCode)
    std::printf(" %s %zu", Code.c_str(), N);
  std::printf("\n");
  return 0;
}
