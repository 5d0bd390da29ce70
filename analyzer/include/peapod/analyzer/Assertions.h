//===- Assertions.h - neverallow for PeaPod (A6xx) -------------*- C++ -*-===//
//
// The lint configuration's `assertions` (LintConfig.h), checked exactly on
// path regions (Regions.h): for each selected pea, the first region in
// which it has the forbidden access, the network rule that opens the
// forbidden port, the `namespace global` rule, or (for `reach`) the
// shortest chain of execs to a pea that has one of those. Each violation is
// an error reported at the rule that grants it, naming the assertion, the
// pea and the path or port: the witness.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_ASSERTIONS_H
#define PEAPOD_ANALYZER_ASSERTIONS_H

#include "peapod/analyzer/LintConfig.h"
#include "llvm/ADT/ArrayRef.h"

namespace peapod {
class Compilation;
}

namespace peapod::analyzer {

/// Checks `Assertions` on `C` (compiled without errors); reports A601-A604
/// into its engine.
void checkAssertions(Compilation &C, llvm::ArrayRef<Assertion> Assertions);

} // namespace peapod::analyzer

#endif
