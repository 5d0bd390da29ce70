//===- Supervisor.cpp - `peapod run` ---------------------------------------===//
#include "peapod/runtime/Run.h"
#include <cstdio>

namespace peapod::runtime {

int runPod(const RunOptions &) {
  fprintf(stderr, "peapod: error: run is not implemented yet\n");
  return ExitSetup;
}
int runDoctor() { return 0; }
int runCleanup(bool) { return 0; }

} // namespace peapod::runtime
