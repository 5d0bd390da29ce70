//===- Driver.h - peapodc's commands as a library --------------*- C++ -*-===//
//
// Everything `peapodc` does, callable in-process so the CLI tests can run it
// without a subprocess. tools/peapodc.cpp only forwards argv here.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_DRIVER_H
#define PEAPOD_DRIVER_H

#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace peapod::driver {

/// Exit statuses, as documented in `peapodc --help`.
enum ExitCode : int {
  ExitOK = 0,         ///< success (warnings allowed)
  ExitPolicyError = 1, ///< the policy has errors
  ExitUsage = 2,      ///< bad usage or an I/O error
};

/// Process-wide memory set-up for compiling large policies: keeps allocations
/// in the heap and asks for transparent huge pages there. On a million-rule
/// policy most of the compile time otherwise goes to page faults. Call once,
/// first thing in main.
void useHugePagesForHeap();

/// Runs `peapodc` with `Args` (without the program name). Diagnostics go to
/// `Err`, results to `Out`. `Colors` enables ANSI colours in diagnostics.
int runPeapodc(const std::vector<std::string> &Args, llvm::raw_ostream &Out,
               llvm::raw_ostream &Err, bool Colors = false);

} // namespace peapod::driver

#endif // PEAPOD_DRIVER_H
