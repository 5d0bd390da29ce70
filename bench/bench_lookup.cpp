//===- bench_lookup.cpp - Image lookup latency ----------------------------===//
//
//   bench_lookup [--image FILE | --rules N --peas P --seed S] [--depth D]
//                [--queries Q] [--batch B] [--rounds R] [--keep FILE]
//
// Without --image, generates the policy (Generator.h, default 100k rules in
// 100 peas, seed 1), compiles it with the library (Compilation, then
// writeImage) and writes the image to a file. Then, as a loader would:
// mmap()s the file read-only, ppi_open()s it (full validation, once) and
// times ppi_lookup_path() straight on the mapping.
//
// Queries are distinct paths of exactly D components (default 10), taken
// from the image itself: every node of depth D of every pea's tree, so each
// lookup walks D hash tables and ends on a rule's own node ("hit"). A second
// workload ("partial") extends nodes of every depth with made-up components
// to depth D, so walks stop early and end in a miss, as most real lookups of
// unlisted files do. A third ("hot") repeats one depth-D path: the cost of
// the walk itself with every byte in L1, for comparison.
//
// Timing: the queries, shuffled, are run in batches of B lookups; each
// batch is timed with std::chrono::steady_clock and contributes one sample
// (batch time / B). R rounds over all queries after one warm-up round.
// Reported: median, p99 and mean of the per-batch samples.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"
#include "peapod/DiagnosticRender.h"
#include "peapod/Compilation.h"
#include "peapod/ImageWriter.h"
#include "llvm/Support/raw_ostream.h"
#include "peapod/image.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Query {
  uint32_t Pea;
  uint32_t Off, Len; ///< in the arena
};

struct Workload {
  std::string Arena;
  std::vector<Query> Queries;
  void add(uint32_t Pea, const std::string &Path) {
    Queries.push_back({Pea, uint32_t(Arena.size()), uint32_t(Path.size())});
    Arena += Path;
  }
};

uint64_t splitmix(uint64_t &X) {
  uint64_t Z = (X += 0x9e3779b97f4a7c15ULL);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
  return Z ^ (Z >> 31);
}

template <typename T> void shuffle(std::vector<T> &V, uint64_t Seed) {
  for (size_t I = V.size(); I > 1; --I)
    std::swap(V[I - 1], V[splitmix(Seed) % I]);
}

/// Every node of pea `Pea`'s tree with its path, depth first.
template <typename Fn>
void forEachNode(const ppi_image &Img, uint32_t Pea, Fn &&Visit) {
  struct Item {
    uint32_t Node;
    std::string Path;
  };
  std::vector<Item> Stack{{Img.peas[Pea].first_node, ""}};
  while (!Stack.empty()) {
    Item It = std::move(Stack.back());
    Stack.pop_back();
    const ppi_node &N = Img.nodes[It.Node];
    if (!Visit(N, It.Path))
      continue;
    for (uint32_t S = 0; S < N.slot_count; ++S) {
      const ppi_slot &Slot = Img.slots[N.first_slot + S];
      if (Slot.child == PPI_NONE)
        continue;
      Stack.push_back({Slot.child, It.Path + "/" +
                                       std::string(ppi_string(&Img, Slot.name_off),
                                                   Slot.name_len)});
    }
  }
}

struct Stats {
  double Median = 0, P99 = 0, Mean = 0, Min = 0;
  size_t Samples = 0;
};

Stats timeLookups(const ppi_image &Img, const Workload &W, unsigned Batch,
                  unsigned Rounds, uint64_t &Sink) {
  std::vector<double> Samples;
  Samples.reserve(size_t(Rounds) * (W.Queries.size() / Batch + 1));
  const char *Arena = W.Arena.data();
  for (unsigned R = 0; R <= Rounds; ++R) { // round 0 warms up
    for (size_t B = 0; B + Batch <= W.Queries.size(); B += Batch) {
      auto T0 = Clock::now();
      for (size_t I = B; I < B + Batch; ++I) {
        const Query &Q = W.Queries[I];
        ppi_lookup L = ppi_lookup_path(&Img, Q.Pea, Arena + Q.Off, Q.Len,
                                       /*is_dir=*/false);
        Sink += L.access.rule ^ L.access.access ^ L.transition;
      }
      auto T1 = Clock::now();
      if (R)
        Samples.push_back(
            std::chrono::duration<double, std::nano>(T1 - T0).count() / Batch);
    }
  }
  Stats S;
  S.Samples = Samples.size();
  if (Samples.empty())
    return S;
  double Sum = 0;
  for (double X : Samples)
    Sum += X;
  S.Mean = Sum / Samples.size();
  std::sort(Samples.begin(), Samples.end());
  S.Min = Samples.front();
  S.Median = Samples[Samples.size() / 2];
  S.P99 = Samples[std::min(Samples.size() - 1, Samples.size() * 99 / 100)];
  return S;
}

int usage(const char *Why) {
  std::fprintf(stderr,
               "bench_lookup: %s\n"
               "usage: bench_lookup [--image FILE | --rules N --peas P "
               "--seed S] [--depth D]\n"
               "                    [--queries Q] [--batch B] [--rounds R] "
               "[--keep FILE]\n",
               Why);
  return 2;
}

} // namespace

int main(int Argc, char **Argv) {
  peapod::bench::GenOptions Gen;
  Gen.Rules = 100000;
  Gen.Peas = 100;
  Gen.Seed = 1;
  std::string ImagePath, Keep;
  unsigned Depth = 10, Batch = 64, Rounds = 50;
  size_t MaxQueries = 20000;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    if (I + 1 >= Argc)
      return usage(("missing value or unknown argument '" + A + "'").c_str());
    const char *V = Argv[++I];
    unsigned long long N = std::strtoull(V, nullptr, 10);
    if (A == "--image")
      ImagePath = V;
    else if (A == "--keep")
      Keep = V;
    else if (A == "--rules")
      Gen.Rules = N;
    else if (A == "--peas")
      Gen.Peas = uint32_t(N ? N : 1);
    else if (A == "--seed")
      Gen.Seed = N;
    else if (A == "--depth")
      Depth = unsigned(N);
    else if (A == "--queries")
      MaxQueries = N;
    else if (A == "--batch")
      Batch = unsigned(N ? N : 1);
    else if (A == "--rounds")
      Rounds = unsigned(N ? N : 1);
    else
      return usage(("unknown argument '" + A + "'").c_str());
  }
  if (Depth < 2)
    return usage("--depth must be at least 2");

  if (ImagePath.empty()) {
    Gen.MaxDepth = std::max(Gen.MaxDepth, uint32_t(Depth));
    peapod::bench::Generator G(Gen);
    std::ostringstream Text;
    peapod::bench::writePeaPod(G, Text);
    peapod::Compilation C;
    auto T0 = Clock::now();
    bool OK = C.compileBuffer("bench.pea", Text.str());
    if (!OK) {
      peapod::printDiagnostics(C.diags(), llvm::errs());
      return 1;
    }
    ImagePath = Keep.empty() ? "bench_lookup.bin" : Keep;
    std::string Error;
    if (!peapod::writeImageFile(ImagePath, C.policy(), {}, Error)) {
      std::fprintf(stderr, "bench_lookup: %s\n", Error.c_str());
      return 1;
    }
    double Secs = std::chrono::duration<double>(Clock::now() - T0).count();
    std::printf("policy: %llu rules, %u peas, seed %llu: compiled and "
                "written to %s in %.3f s\n",
                (unsigned long long)Gen.Rules, Gen.Peas,
                (unsigned long long)Gen.Seed, ImagePath.c_str(), Secs);
  }

  int FD = open(ImagePath.c_str(), O_RDONLY);
  struct stat St;
  if (FD < 0 || fstat(FD, &St) != 0) {
    std::perror(ImagePath.c_str());
    return 1;
  }
  void *Map = mmap(nullptr, size_t(St.st_size), PROT_READ, MAP_PRIVATE, FD, 0);
  close(FD);
  if (Map == MAP_FAILED) {
    std::perror("mmap");
    return 1;
  }
  ppi_image Img;
  char Err[256];
  auto O0 = Clock::now();
  if (ppi_open(&Img, Map, size_t(St.st_size), Err, sizeof Err) != PPI_OK) {
    std::fprintf(stderr, "bench_lookup: %s: %s\n", ImagePath.c_str(), Err);
    return 1;
  }
  double OpenMs =
      std::chrono::duration<double, std::milli>(Clock::now() - O0).count();
  uint64_t Rules = 0;
  for (uint32_t P = 0; P < Img.pea_count; ++P)
    Rules += Img.peas[P].rule_count;
  std::printf("image: %s, %.1f MiB, %u peas, %llu rules, %u nodes, %u slots; "
              "ppi_open (validate + SHA-256) %.2f ms\n",
              ImagePath.c_str(), double(St.st_size) / (1 << 20), Img.pea_count,
              (unsigned long long)Rules, Img.node_count, Img.slot_count,
              OpenMs);

  // Workloads, from the trees themselves.
  Workload Hit, Partial;
  uint64_t Seed = 42;
  for (uint32_t P = 0; P < Img.pea_count; ++P) {
    forEachNode(Img, P, [&](const ppi_node &N, const std::string &Path) {
      if (N.depth == Depth) {
        Hit.add(P, Path);
        return false;
      }
      if (N.depth > 0 && splitmix(Seed) % 4 == 0) {
        std::string Q = Path;
        for (unsigned D = N.depth; D < Depth; ++D)
          Q += "/q", Q += std::to_string(splitmix(Seed) % 100000);
        Partial.add(P, Q);
      }
      return true;
    });
  }
  std::printf("depth-%u paths in the image: %zu (hit workload); partial "
              "workload: %zu\n",
              Depth, Hit.Queries.size(), Partial.Queries.size());

  // The floor: one depth-D path over and over, everything in L1.
  Workload Hot;
  if (!Hit.Queries.empty()) {
    const Query &Q = Hit.Queries.front();
    std::string P = Hit.Arena.substr(Q.Off, Q.Len);
    for (unsigned I = 0; I < Batch * 64; ++I)
      Hot.add(Q.Pea, P);
  }

  int Status = 0;
  uint64_t Sink = 0;
  for (Workload *W : {&Hit, &Partial, &Hot}) {
    shuffle(W->Queries, 7);
    if (W->Queries.size() > MaxQueries)
      W->Queries.resize(MaxQueries);
    const char *Name = W == &Hit ? "hit" : W == &Partial ? "partial" : "hot";
    if (W->Queries.size() < Batch) {
      std::printf("%s: too few queries (%zu)\n", Name, W->Queries.size());
      Status = W == &Hit ? 1 : Status;
      continue;
    }
    Stats S = timeLookups(Img, *W, Batch, Rounds, Sink);
    std::printf("lookup %-7s depth %u: %zu paths, %zu batches of %u: "
                "median %.1f ns, p99 %.1f ns, mean %.1f ns, min %.1f ns\n",
                Name, Depth, W->Queries.size(), S.Samples, Batch, S.Median,
                S.P99, S.Mean, S.Min);
  }
  std::printf("(checksum %llu)\n", (unsigned long long)Sink);
  munmap(Map, size_t(St.st_size));
  return Status;
}
