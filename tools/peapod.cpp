//===- peapod.cpp - The PeaPod enforcement runtime ------------------------===//
//
// `peapod run|doctor|cleanup`: everything is in peapod_runtime
// (runtime/include/peapod/runtime/CommandLine.h, docs/runtime.md).
//
//===----------------------------------------------------------------------===//
#include "peapod/runtime/CommandLine.h"

int main(int Argc, char **Argv) {
  return peapod::runtime::runPeapodTool(
      std::vector<std::string>(Argv + 1, Argv + Argc));
}
