//===- Evaluator.h - The reference evaluator -------------------*- C++ -*-===//
//
// The language semantics (docs/language.md, "Semantics") written as plainly
// as possible, straight over the IR: every question scans the pea's rules.
// It is the oracle that faster implementations (the binary image, the
// runtime's caches) are tested against, and it explains every answer.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_EVALUATOR_H
#define PEAPOD_EVALUATOR_H

#include "peapod/Oracle.h"
#include "peapod/Policy.h"

namespace peapod {

class ReferenceEvaluator final : public PolicyOracle {
public:
  explicit ReferenceEvaluator(const Policy &P) : P(P) {}

  std::vector<std::string> podNames() const override;
  std::vector<std::string> peaNames(uint32_t Pod) const override;
  std::optional<PeaHandle> findPea(llvm::StringRef Pod,
                                   llvm::StringRef Pea) const override;
  PathAnswer access(PeaHandle H, llvm::StringRef Path,
                    bool IsDirectory) const override;
  ExecAnswer exec(PeaHandle H, llvm::StringRef Program) const override;
  bool bind(PeaHandle H, Protocol Proto, uint16_t Port) const override;
  bool connect(PeaHandle H, Protocol Proto, uint16_t Port) const override;
  std::optional<bool> touch(PeaHandle H,
                            llvm::StringRef Target) const override;

private:
  const Pea &pea(PeaHandle H) const { return P.Pods[H.Pod].Peas[H.Pea]; }
  Explanation explain(const Pea &Pea, DecisionKind K, uint32_t Rule) const;
  const Policy &P;
};

} // namespace peapod

#endif // PEAPOD_EVALUATOR_H
