//===- RandomPolicy.h - Seeded random policies with their own model -*- C++ -*-===//
//
// Generates policy text (pods, peas, every kind of rule, rule groups pulled
// in with `include`, overlapping paths from a small alphabet) and keeps what
// it wrote as a plain model: for each pea, its rules in pea order with
// includes expanded. The model answers the questions of docs/language.md
// itself, straight from the generated rules, so a differential test that
// holds the compiler's answers to it catches bugs anywhere from the parser
// through lowering (include expansion, port merging, name resolution) to the
// backends, not only in the evaluators.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_RANDOMPOLICY_H
#define PEAPOD_TESTS_RANDOMPOLICY_H

#include "peapod/Access.h"
#include "peapod/Oracle.h"
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace peapod::test {

/// One file rule, transition or network rule as written.
struct ModelRule {
  enum Kind { Path, DirDefault, Transition, Bind, Outgoing, Namespace } K;
  std::string RulePath;           ///< normalised
  uint8_t Access = 0;             ///< file rules
  std::string Target;             ///< transition, namespace ("global")
  bool Allow = false, Deny = false; ///< network `allow` / `deny`
  std::vector<PortRange> Ports;   ///< network lists, as written
  std::string File;               ///< "test.pea" or "NAME.rules"
  unsigned Line = 0;
};

struct ModelPea {
  std::string Name;
  std::vector<ModelRule> Rules; ///< pea order, includes expanded
};

struct ModelPod {
  std::string Name;
  std::vector<ModelPea> Peas;
};

/// The model's answer for a file access: what and which rule (the rule
/// path, kind, and where it is written).
struct ModelAnswer {
  uint8_t Access = 0;
  DecisionKind Kind = DecisionKind::Default;
  std::string RulePath = "/";
  std::string File;
  unsigned Line = 0;
};

class RandomPolicy {
public:
  explicit RandomPolicy(uint32_t Seed);

  /// The main policy (compile it as "test.pea") and the rule groups it
  /// includes, by file name, to be written beside it.
  const std::string &text() const { return Text; }
  const std::map<std::string, std::string> &groups() const { return Groups; }
  const std::vector<ModelPod> &pods() const { return Pods; }
  /// Every rule path written, and paths around them worth asking about:
  /// each path, a child, a deeper path, a prefix that is not a component,
  /// the parent, a sibling.
  std::set<std::string> queryPaths() const;

  // The semantics, answered from the generated rules.
  ModelAnswer access(const ModelPea &P, const std::string &X, bool IsDir) const;
  /// The pea after exec, or nullopt if the exec is denied.
  std::optional<std::string> exec(const ModelPea &P, const std::string &X) const;
  bool permits(const ModelPea &P, ModelRule::Kind K, Protocol Proto,
               uint16_t Port) const;
  bool touch(const ModelPea &P, const std::string &Target) const;

private:
  uint32_t pick(uint32_t N) { return Rng() % N; }
  bool chance(uint32_t Percent) { return pick(100) < Percent; }
  std::string path();
  std::string access(uint8_t &Mask);
  std::string netSpec(ModelRule &R);
  std::string rule(const std::vector<std::string> &Peas, uint32_t Self,
                   std::map<std::string, std::string> &Transitions,
                   ModelRule &R);
  std::string group(const std::vector<std::string> &Peas, uint32_t Self,
                    std::map<std::string, std::string> &Transitions,
                    unsigned Depth, std::vector<ModelRule> &Out);

  std::mt19937 Rng;
  std::string Text;
  std::map<std::string, std::string> Groups;
  std::vector<ModelPod> Pods;
  std::vector<std::string> Paths;
};

} // namespace peapod::test

#endif // PEAPOD_TESTS_RANDOMPOLICY_H
