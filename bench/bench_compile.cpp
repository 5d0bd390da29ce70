//===- bench_compile.cpp - Compile-phase breakdown: time and memory -------===//
//
//   bench_compile POLICY.pea [--repeat N] [--out FILE] [--only parse]
//
// Runs the phases `peapodc POLICY.pea -o OUT` runs, one at a time, through
// the library APIs, and reports for each: wall time (median of N repeats),
// the live heap after it (mallinfo2), and the peak RSS during it (VmHWM,
// reset before each phase through /proc/self/clear_refs).
//
//   read      peapod::readInputFile (what compileFile reads with)
//   parse     peapod::parseBuffer alone (lexer, ANTLR parser, AST builder)
//   compile   Compilation::compileFile: parse + includes, checks, lowering
//             (so lowering = compile - parse)
//   image     writeImage(Policy, {Locations = true}) (what peapodc writes)
//   image-noloc  writeImage without locations (to price Policy::locate)
//   write     the image to a file through OutputFile (temporary + rename)
//
// `--only parse` stops after the parse phase (for heaptrack/massif, whose
// peak is then the parser's).
//
// Then an inventory of what the live data is made of (AST rules and their
// strings, the IR's rule pointers, the source buffer), so a memory figure
// can be attributed to data structures.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/ImageWriter.h"
#include "peapod/InputFile.h"
#include "peapod/OutputFile.h"
#include "peapod/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <malloc.h>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point Since) {
  return std::chrono::duration<double>(Clock::now() - Since).count();
}

/// Live heap bytes: arena in use plus mmap-ed blocks.
double heapMiB() {
  struct mallinfo2 M = mallinfo2();
  return double(M.uordblks + M.hblkhd) / (1 << 20);
}

long statusKiB(const char *Key) {
  std::ifstream In("/proc/self/status");
  std::string Line;
  size_t N = std::strlen(Key);
  while (std::getline(In, Line))
    if (Line.compare(0, N, Key) == 0)
      return std::atol(Line.c_str() + N + 1);
  return -1;
}

/// Starts a fresh peak-RSS window: returns freed memory to the system and
/// resets VmHWM to the current RSS.
void resetPeak() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

struct Phase {
  const char *Name = "";
  std::vector<double> Times;
  double HeapAfter = 0;  ///< MiB
  long PeakKiB = 0;      ///< VmHWM during the phase (last repeat)
  long BaseKiB = 0;      ///< VmRSS when the phase started
};

double median(std::vector<double> V) {
  std::sort(V.begin(), V.end());
  return V.empty() ? 0 : V[V.size() / 2];
}

struct Inventory {
  size_t Rules = 0, FileRules = 0, Peas = 0;
  size_t RuleBytes = 0;       ///< sizeof(ast::Rule) x vector capacities
  size_t PathHeap = 0;        ///< path strings past the SSO buffer
  size_t NameHeap = 0;        ///< Target names past the SSO buffer
  size_t PortHeap = 0;        ///< Ports vectors
  size_t IRPointers = 0;      ///< Pea::FileRules capacities x 8
};

size_t heapOf(const std::string &S) {
  // libstdc++: 15 characters fit in the object; beyond, capacity + 1 bytes
  // rounded up to malloc's 16-byte granularity, with 8 bytes of header.
  if (S.capacity() <= 15)
    return 0;
  return (S.capacity() + 1 + 8 + 15) / 16 * 16;
}

Inventory inventory(const peapod::Compilation &C) {
  Inventory I;
  for (const auto &F : C.files()) {
    for (const auto &Pod : F->Pods) {
      for (const auto &Pea : Pod.Peas) {
        ++I.Peas;
        I.RuleBytes += Pea.Rules.capacity() * sizeof(peapod::ast::Rule);
        for (const auto &R : Pea.Rules) {
          ++I.Rules;
          I.FileRules += R.isFileRule();
          I.PathHeap += heapOf(R.Path);
          I.NameHeap += heapOf(R.Target.Text);
          I.PortHeap += R.Ports.capacity()
                            ? (R.Ports.capacity() * sizeof(peapod::PortRange) +
                               8 + 15) / 16 * 16
                            : 0;
        }
      }
    }
  }
  for (const auto &Pod : C.policy().Pods)
    for (const auto &Pea : Pod.Peas)
      I.IRPointers += Pea.FileRules.capacity() * sizeof(void *) +
                      Pea.Transitions.capacity() * sizeof(peapod::Transition);
  return I;
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Input, Out = "bench_compile.bin";
  unsigned Repeat = 3;
  bool OnlyParse = false;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (A == "--repeat" && I + 1 < Argc)
      Repeat = unsigned(std::max(1, std::atoi(Argv[++I])));
    else if (A == "--out" && I + 1 < Argc)
      Out = Argv[++I];
    else if (A == "--only" && I + 1 < Argc &&
             std::string(Argv[I + 1]) == "parse")
      OnlyParse = true, ++I;
    else if (!A.empty() && A[0] != '-' && Input.empty())
      Input = A;
    else {
      std::fprintf(stderr, "usage: bench_compile POLICY.pea [--repeat N] "
                           "[--out FILE] [--only parse]\n");
      return 2;
    }
  }
  if (Input.empty()) {
    std::fprintf(stderr, "usage: bench_compile POLICY.pea [--repeat N] "
                         "[--out FILE]\n");
    return 2;
  }

  Phase Read, Parse, Compile, Image, ImageNoLoc, Write;
  Read.Name = "read";
  Parse.Name = "parse";
  Compile.Name = "compile";
  Image.Name = "image";
  ImageNoLoc.Name = "image-noloc";
  Write.Name = "write";
  size_t Bytes = 0, ImageBytes = 0;
  Inventory Inv;
  double ParseHeap = 0;

  for (unsigned Rep = 0; Rep < Repeat; ++Rep) {
    // read
    resetPeak();
    Read.BaseKiB = statusKiB("VmRSS:");
    auto T = Clock::now();
    auto Buf = peapod::readInputFile(Input);
    if (!Buf) {
      std::fprintf(stderr, "bench_compile: cannot read %s: %s\n", Input.c_str(),
                   llvm::toString(Buf.takeError()).c_str());
      return 2;
    }
    Read.Times.push_back(seconds(T));
    Read.PeakKiB = statusKiB("VmHWM:");
    Read.HeapAfter = heapMiB();
    Bytes = (*Buf)->getBufferSize();

    // parse alone
    {
      llvm::SourceMgr SM;
      unsigned ID = SM.AddNewSourceBuffer(std::move(*Buf), llvm::SMLoc());
      peapod::DiagnosticEngine Diags(SM);
      resetPeak();
      Parse.BaseKiB = statusKiB("VmRSS:");
      double Before = heapMiB();
      T = Clock::now();
      std::unique_ptr<peapod::ast::File> F = peapod::parseBuffer(SM, ID, Diags);
      Parse.Times.push_back(seconds(T));
      Parse.PeakKiB = statusKiB("VmHWM:");
      Parse.HeapAfter = heapMiB();
      ParseHeap = Parse.HeapAfter - Before; // the AST alone
      if (Diags.hasErrors()) {
        peapod::printDiagnostics(Diags, llvm::errs());
        return 1;
      }
    }
    if (OnlyParse) {
      std::printf("parse: %.1f ms, peak RSS %.1f MiB, AST %.1f MiB\n",
                  Parse.Times.back() * 1e3, Parse.PeakKiB / 1024.0, ParseHeap);
      continue;
    }

    // the whole front end, then the backend on its IR
    resetPeak();
    Compile.BaseKiB = statusKiB("VmRSS:");
    T = Clock::now();
    peapod::Compilation C;
    bool OK = C.compileFile(Input);
    Compile.Times.push_back(seconds(T));
    Compile.PeakKiB = statusKiB("VmHWM:");
    Compile.HeapAfter = heapMiB();
    if (!OK) {
      peapod::printDiagnostics(C.diags(), llvm::errs());
      return 1;
    }
    if (Rep == 0)
      Inv = inventory(C);

    {
      resetPeak();
      ImageNoLoc.BaseKiB = statusKiB("VmRSS:");
      T = Clock::now();
      std::string NoLoc = peapod::writeImage(C.policy(), {/*Locations=*/false});
      ImageNoLoc.Times.push_back(seconds(T));
      ImageNoLoc.PeakKiB = statusKiB("VmHWM:");
      ImageNoLoc.HeapAfter = heapMiB();
    }

    resetPeak();
    Image.BaseKiB = statusKiB("VmRSS:");
    T = Clock::now();
    std::string Img = peapod::writeImage(C.policy(), {/*Locations=*/true});
    Image.Times.push_back(seconds(T));
    Image.PeakKiB = statusKiB("VmHWM:");
    Image.HeapAfter = heapMiB();
    ImageBytes = Img.size();

    resetPeak();
    Write.BaseKiB = statusKiB("VmRSS:");
    T = Clock::now();
    {
      // Through OutputFile, as peapodc writes: a temporary, then a rename.
      auto File = peapod::OutputFile::create(Out);
      llvm::Error E = File.takeError();
      if (!E) {
        (*File)->os() << Img;
        E = (*File)->commit();
      }
      if (E) {
        std::fprintf(stderr, "bench_compile: %s\n",
                     llvm::toString(std::move(E)).c_str());
        return 2;
      }
    }
    Write.Times.push_back(seconds(T));
    Write.PeakKiB = statusKiB("VmHWM:");
    Write.HeapAfter = heapMiB();
  }

  if (OnlyParse)
    return 0;
  size_t Rules = Inv.Rules ? Inv.Rules : 1;
  std::printf("%s: %.1f MiB, %zu rules (%zu file rules) in %zu peas; image "
              "%.1f MiB; median of %u\n",
              Input.c_str(), double(Bytes) / (1 << 20), Inv.Rules,
              Inv.FileRules, Inv.Peas, double(ImageBytes) / (1 << 20),
              Repeat);
  std::printf("%-12s %10s %9s %12s %14s %12s\n", "phase", "time ms",
              "us/rule", "heap after", "peak RSS MiB", "RSS B/rule");
  double Lower = median(Compile.Times) - median(Parse.Times);
  for (const Phase *P : {&Read, &Parse, &Compile, &ImageNoLoc, &Image, &Write}) {
    double Ms = median(P->Times) * 1e3;
    std::printf("%-12s %10.1f %9.3f %9.1f MiB %14.1f %12.0f\n", P->Name, Ms,
                Ms * 1e3 / Rules, P->HeapAfter, P->PeakKiB / 1024.0,
                P->PeakKiB * 1024.0 / Rules);
  }
  std::printf("%-12s %10.1f %9.3f   (compile - parse)\n", "lowering",
              Lower * 1e3, Lower * 1e6 / Rules);
  double Total = median(Read.Times) + median(Compile.Times) +
                 median(Image.Times) + median(Write.Times);
  std::printf("%-12s %10.1f %9.3f   (read + compile + image + write)\n",
              "total", Total * 1e3, Total * 1e6 / Rules);

  auto MiB = [](size_t B) { return double(B) / (1 << 20); };
  std::printf("\nlive data after compile (estimated from the structures):\n");
  std::printf("  source buffer             %8.1f MiB %6.0f B/rule\n",
              MiB(Bytes), double(Bytes) / Rules);
  std::printf("  ast::Rule objects         %8.1f MiB %6.0f B/rule "
              "(sizeof %zu, vector capacity incl.)\n",
              MiB(Inv.RuleBytes), double(Inv.RuleBytes) / Rules,
              sizeof(peapod::ast::Rule));
  std::printf("  Rule::Path heap strings   %8.1f MiB %6.0f B/rule\n",
              MiB(Inv.PathHeap), double(Inv.PathHeap) / Rules);
  std::printf("  Rule::Target heap strings %8.1f MiB %6.0f B/rule\n",
              MiB(Inv.NameHeap), double(Inv.NameHeap) / Rules);
  std::printf("  Rule::Ports vectors       %8.1f MiB %6.0f B/rule\n",
              MiB(Inv.PortHeap), double(Inv.PortHeap) / Rules);
  std::printf("  IR rule pointers          %8.1f MiB %6.0f B/rule\n",
              MiB(Inv.IRPointers), double(Inv.IRPointers) / Rules);
  std::printf("  AST heap measured (parse) %8.1f MiB %6.0f B/rule\n",
              ParseHeap, ParseHeap * (1 << 20) / Rules);
  std::printf("  image                     %8.1f MiB %6.0f B/rule\n",
              MiB(ImageBytes), double(ImageBytes) / Rules);
  return 0;
}
