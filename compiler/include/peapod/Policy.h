//===- Policy.h - The checked, include-expanded policy (the IR) -*- C++ -*-===//
//
// What every consumer after the front end works on: the evaluator, the
// analyzer, the image writer, the runtime. Rules are pointers into the ASTs
// owned by the Compilation, so the IR costs a few words per rule and every
// rule still knows where it came from.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_POLICY_H
#define PEAPOD_POLICY_H

#include "peapod/AST.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace peapod {

/// Where a rule was written, in a form that is the same wherever the policy
/// is compiled: the main file by its base name, a rule group as NAME.rules.
/// This is what query answers and the image carry.
struct RuleLocation {
  std::string File;
  uint32_t Line = 0;
  uint32_t Column = 0;
  bool operator==(const RuleLocation &) const = default;
};

struct Transition {
  const ast::Rule *Source;
  uint32_t TargetPea; ///< index in the pod
};

struct Pea {
  llvm::StringRef Name;
  const ast::PeaDecl *Decl = nullptr;
  /// `path` and `dir-default` rules in pea order: source order with each
  /// include expanded where it stands. A rule's index here is its identity
  /// (ties between rules on one path go to the lowest index).
  std::vector<const ast::Rule *> FileRules;
  std::vector<Transition> Transitions; ///< checked: no conflicting targets
  NetPolicy Bind, Outgoing;
  bool NamespaceGlobal = false;
  std::vector<uint32_t> NamespacePeas; ///< sorted, unique, excludes self
};

struct Pod {
  llvm::StringRef Name;
  const ast::PodDecl *Decl = nullptr;
  std::vector<Pea> Peas;
  llvm::StringMap<uint32_t> PeaIndex;

  std::optional<uint32_t> findPea(llvm::StringRef N) const {
    auto It = PeaIndex.find(N);
    if (It == PeaIndex.end())
      return std::nullopt;
    return It->second;
  }
};

class Policy {
public:
  std::vector<Pod> Pods;
  llvm::StringMap<uint32_t> PodIndex;

  std::optional<uint32_t> findPod(llvm::StringRef N) const {
    auto It = PodIndex.find(N);
    if (It == PodIndex.end())
      return std::nullopt;
    return It->second;
  }

  /// Set by the Compilation; resolves a rule to its portable location.
  std::function<RuleLocation(const ast::Rule &)> Locate;
  RuleLocation locate(const ast::Rule &R) const {
    return Locate ? Locate(R) : RuleLocation{};
  }
};

} // namespace peapod

#endif // PEAPOD_POLICY_H
