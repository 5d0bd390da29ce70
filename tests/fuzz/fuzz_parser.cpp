//===- fuzz_parser.cpp - libFuzzer target for the front end ---------------===//
//
// Any bytes as a policy: the lexer, the parser's error recovery, include
// resolution and the checks must never crash, hang or leak, and an accepted
// policy must evaluate.
//
//===----------------------------------------------------------------------===//
#include "peapod/Compilation.h"
#include "peapod/Evaluator.h"
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  peapod::CompileOptions Opts;
  Opts.StdRulesDir = "/nonexistent/peapod-fuzz-stdrules";
  peapod::Compilation C(Opts);
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  if (!C.compileBuffer("/nonexistent/fuzz.pea", Text))
    return 0;
  peapod::ReferenceEvaluator E(C.policy());
  for (uint32_t Pod = 0; Pod < C.policy().Pods.size(); ++Pod)
    for (uint32_t Pea = 0; Pea < C.policy().Pods[Pod].Peas.size(); ++Pea) {
      peapod::PeaHandle H{Pod, Pea};
      for (const peapod::ast::Rule *R : C.policy().Pods[Pod].Peas[Pea].FileRules) {
        (void)E.access(H, R->Path, true);
        (void)E.exec(H, R->Path);
      }
    }
  return 0;
}
