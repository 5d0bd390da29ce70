//===- peapod-gen.cpp - Synthetic policy generator for benchmarks ---------===//
//
//   peapod-gen --rules N --peas P --seed S [--depth D] [--apparmor] > OUT
//
// Writes a deterministic, realistic PeaPod policy of N rules split over P
// peas of one pod (see Generator.h for the mix), or with --apparmor the
// equivalent AppArmor profiles (one per pea) for the same rules.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

static int usage(const char *Why) {
  std::cerr << "peapod-gen: " << Why << "\n"
            << "usage: peapod-gen --rules N --peas P --seed S [--depth D] "
               "[--apparmor]\n"
               "  --depth D   deepest path (components), 2.. (default 10)\n"
               "  --apparmor  write the equivalent AppArmor profiles\n";
  return 2;
}

static bool number(const char *S, uint64_t &Out) {
  if (!S || !*S)
    return false;
  char *End = nullptr;
  unsigned long long V = std::strtoull(S, &End, 10);
  if (*End)
    return false;
  Out = V;
  return true;
}

int main(int Argc, char **Argv) {
  peapod::bench::GenOptions O;
  bool AppArmor = false;
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    uint64_t V = 0;
    auto Value = [&]() { return I + 1 < Argc && number(Argv[++I], V); };
    if (A == "--apparmor") {
      AppArmor = true;
    } else if (A == "--rules") {
      if (!Value())
        return usage("--rules needs a number");
      O.Rules = V;
    } else if (A == "--peas") {
      if (!Value() || V == 0 || V > 100000)
        return usage("--peas needs a number in 1..100000");
      O.Peas = uint32_t(V);
    } else if (A == "--seed") {
      if (!Value())
        return usage("--seed needs a number");
      O.Seed = V;
    } else if (A == "--depth") {
      if (!Value() || V < 2 || V > 1000)
        return usage("--depth needs a number in 2..1000");
      O.MaxDepth = uint32_t(V);
    } else if (A == "-h" || A == "--help") {
      usage("synthetic policy generator");
      return 0;
    } else {
      return usage(("unknown argument '" + A + "'").c_str());
    }
  }
  std::ios::sync_with_stdio(false);
  peapod::bench::Generator G(O);
  if (AppArmor)
    peapod::bench::writeAppArmor(G, std::cout);
  else
    peapod::bench::writePeaPod(G, std::cout);
  std::cout.flush();
  return std::cout ? 0 : 1;
}
