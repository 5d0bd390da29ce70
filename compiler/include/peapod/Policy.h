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

/// "Written in the pea itself" where an include site is expected.
constexpr uint32_t NotIncluded = UINT32_MAX;

/// An `include` expanded into a pea: the include rule, and the site of the
/// rule group it is written in (NotIncluded: in the pea itself).
struct IncludeSite {
  const ast::Rule *Include;
  uint32_t Parent;
};

/// A rule of a pea and the include site that brought it in.
struct PeaRule {
  const ast::Rule *Rule;
  uint32_t Via = NotIncluded; ///< index into Pea::Includes
};

struct Transition {
  const ast::Rule *Source;
  uint32_t TargetPea;           ///< index in the pod
  uint32_t Via = NotIncluded;   ///< index into Pea::Includes
};

struct Pea {
  llvm::StringRef Name;
  const ast::PeaDecl *Decl = nullptr;
  /// `path` and `dir-default` rules in pea order: source order with each
  /// include expanded where it stands. A rule's index here is its identity
  /// (ties between rules on one path go to the lowest index); the image
  /// keeps the same order.
  std::vector<const ast::Rule *> FileRules;
  /// For each of FileRules, the include site it came through.
  std::vector<uint32_t> FileRuleVia;
  /// Every include expanded into the pea, in expansion order.
  std::vector<IncludeSite> Includes;
  std::vector<Transition> Transitions; ///< checked: no conflicting targets
  /// The `bind`, `outgoing` and `namespace` rules, in pea order.
  std::vector<PeaRule> NetRules, NamespaceRules;
  NetPolicy Bind, Outgoing;
  bool NamespaceGlobal = false;
  std::vector<uint32_t> NamespacePeas; ///< sorted, unique, excludes self

  /// The include rules that brought a rule in through site `Via`,
  /// outermost (the one written in the pea) first.
  std::vector<const ast::Rule *> includeChain(uint32_t Via) const {
    std::vector<const ast::Rule *> Chain;
    for (; Via != NotIncluded; Via = Includes[Via].Parent)
      Chain.insert(Chain.begin(), Includes[Via].Include);
    return Chain;
  }
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
