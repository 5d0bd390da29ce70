//===- bench_hardlinks.cpp - The --root walk against find -----------------===//
//
//   bench_hardlinks --generate DIR [--files N] [--per-dir N] [--link-every N]
//       Makes a tree of N empty files (default 1,000,000) in directories of
//       --per-dir files (default 1000) two levels deep, and gives every
//       --link-every-th file (default 100) a second name under DIR/links.
//   bench_hardlinks DIR [--repeat N] [--policy POLICY]
//       Times scanTree on DIR (the A1xx walk) and `find DIR -links +1`
//       on the same, warm cache, and prints the median wall and CPU time
//       (user + system, find's as a child) of N runs (default 5) of each
//       and their ratios. With --policy, also times the whole A1xx
//       check (walk, rule paths and every pea's access to every name).
//
// find is started here, as the thing measured against; the walk itself
// starts nothing.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/analyzer/Analyzer.h"
#include "peapod/analyzer/HardLinks.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <functional>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;
using Clock = std::chrono::steady_clock;
using namespace peapod;

namespace {

/// User + system CPU milliseconds of this process and its waited-for
/// children so far.
double cpuMs() {
  double Ms = 0;
  for (int Who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    struct rusage U;
    ::getrusage(Who, &U);
    for (const timeval &T : {U.ru_utime, U.ru_stime})
      Ms += T.tv_sec * 1e3 + T.tv_usec / 1e3;
  }
  return Ms;
}

/// Median wall and median CPU milliseconds of `Repeat` runs of `F`, after
/// one run that warms the cache. CPU time moves less with other load.
struct Timing {
  double Wall, Cpu;
};
Timing measure(unsigned Repeat, const std::function<void()> &F) {
  F();
  std::vector<double> Wall, Cpu;
  for (unsigned I = 0; I < Repeat; ++I) {
    auto T = Clock::now();
    double C = cpuMs();
    F();
    Cpu.push_back(cpuMs() - C);
    Wall.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - T).count());
  }
  std::sort(Wall.begin(), Wall.end());
  std::sort(Cpu.begin(), Cpu.end());
  return {Wall[Wall.size() / 2], Cpu[Cpu.size() / 2]};
}

int generate(const std::string &Dir, unsigned long Files, unsigned long PerDir,
             unsigned long LinkEvery) {
  std::string Links = Dir + "/links";
  if (::mkdir(Dir.c_str(), 0755) != 0 || ::mkdir(Links.c_str(), 0755) != 0) {
    llvm::errs() << "bench_hardlinks: cannot create " << Dir
                 << " (it must not exist)\n";
    return 2;
  }
  std::string Top, Leaf;
  for (unsigned long I = 0; I < Files; ++I) {
    if (I % (PerDir * PerDir) == 0) {
      Top = Dir + "/d" + std::to_string(I / (PerDir * PerDir));
      ::mkdir(Top.c_str(), 0755);
    }
    if (I % PerDir == 0) {
      Leaf = Top + "/s" + std::to_string(I / PerDir % PerDir);
      ::mkdir(Leaf.c_str(), 0755);
    }
    std::string File = Leaf + "/f" + std::to_string(I);
    int FD = ::open(File.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0644);
    if (FD < 0) {
      llvm::errs() << "bench_hardlinks: cannot create " << File << "\n";
      return 2;
    }
    ::close(FD);
    if (I % LinkEvery == 0)
      ::link(File.c_str(), (Links + "/l" + std::to_string(I)).c_str());
  }
  llvm::outs() << Files << " files, " << (Files + LinkEvery - 1) / LinkEvery
               << " with a second name, under " << Dir << "\n";
  return 0;
}

void runFind(const std::string &Dir) {
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_addopen(&Actions, 1, "/dev/null", O_WRONLY, 0);
  const char *Argv[] = {"find", Dir.c_str(), "-links", "+1", nullptr};
  pid_t Pid;
  if (posix_spawnp(&Pid, "find", &Actions, nullptr,
                   const_cast<char **>(Argv), environ) == 0)
    ::waitpid(Pid, nullptr, 0);
  posix_spawn_file_actions_destroy(&Actions);
}

} // namespace

int main(int Argc, char **Argv) {
  std::vector<std::string> Args(Argv + 1, Argv + Argc);
  std::string Dir, Policy, Generate;
  unsigned long Files = 1000000, PerDir = 1000, LinkEvery = 100, Repeat = 5;
  for (size_t I = 0; I < Args.size(); ++I) {
    auto Next = [&] { return I + 1 < Args.size() ? Args[++I] : std::string(); };
    if (Args[I] == "--generate")
      Generate = Next();
    else if (Args[I] == "--files")
      Files = std::stoul(Next());
    else if (Args[I] == "--per-dir")
      PerDir = std::stoul(Next());
    else if (Args[I] == "--link-every")
      LinkEvery = std::stoul(Next());
    else if (Args[I] == "--repeat")
      Repeat = std::stoul(Next());
    else if (Args[I] == "--policy")
      Policy = Next();
    else
      Dir = Args[I];
  }
  if (!Generate.empty())
    return generate(Generate, Files, PerDir, std::max(1ul, LinkEvery));
  if (Dir.empty()) {
    llvm::errs() << "usage: bench_hardlinks DIR [--repeat N] [--policy P] | "
                    "--generate DIR [--files N]\n";
    return 2;
  }
  analyzer::TreeScan Last;
  Timing Walk = measure(Repeat, [&] {
    auto Scan = analyzer::scanTree(Dir);
    if (!Scan) {
      llvm::errs() << "bench_hardlinks: " << llvm::toString(Scan.takeError())
                   << "\n";
      std::exit(2);
    }
    Last = std::move(*Scan);
  });
  Timing Find = measure(Repeat, [&] { runFind(Dir); });
  llvm::outs() << Last.Entries << " names, " << Last.Directories
               << " directories, " << Last.Groups.size()
               << " multiply linked files\n"
               << "                     wall ms    CPU ms\n"
               << llvm::format("scanTree            %9.1f %9.1f\n", Walk.Wall,
                               Walk.Cpu)
               << llvm::format("find DIR -links +1  %9.1f %9.1f\n", Find.Wall,
                               Find.Cpu)
               << llvm::format("ratio               %9.2f %9.2f\n",
                               Walk.Wall / Find.Wall, Walk.Cpu / Find.Cpu);
  if (!Policy.empty()) {
    Timing Check = measure(Repeat, [&] {
      Compilation C;
      C.compileFile(Policy);
      analyzer::AnalyzerOptions Opts;
      Opts.Root = Dir;
      analyzer::analyze(C, Opts);
    });
    llvm::outs() << llvm::format("compile + A1xx      %9.1f %9.1f\n",
                                 Check.Wall, Check.Cpu);
  }
  return 0;
}
