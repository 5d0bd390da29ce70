//===- Oracle.h - Questions any compiled form of a policy answers -*- C++ -*-===//
//
// `peapodc query` asks these of a policy; the answers must be identical
// whether they come from the reference evaluator over the source or from the
// binary image. Both implement PolicyOracle, and the differential tests hold
// them to it.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ORACLE_H
#define PEAPOD_ORACLE_H

#include "peapod/Access.h"
#include "peapod/Policy.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace peapod {

/// Which rule decided a file access (the JSON "rule.kind").
enum class DecisionKind : uint8_t {
  Path = 0,       ///< a `path` rule on the path or (deny) on an ancestor
  DirDefault = 1, ///< the longest `dir-default` covering the path
  Implicit = 2,   ///< only implicit search access: a rule below grants
  Default = 3,    ///< nothing matched: the implicit `dir-default / deny`
};

const char *decisionKindName(DecisionKind K);

struct Explanation {
  DecisionKind Kind = DecisionKind::Default;
  std::string RulePath = "/"; ///< the deciding rule's path (Implicit: the
                              ///< granting rule below)
  std::optional<RuleLocation> Loc; ///< absent for Default, or when the image
                                   ///< was compiled without locations
  /// The deciding rule itself: its index in the pea's file rules
  /// (Pea::FileRules, the same order in the image). Absent for Default.
  std::optional<uint32_t> Rule;
  /// Every rule merged into the answer (semantics 6: the rules of the
  /// deciding rule's kind on its path), in pea order; just Rule when it
  /// stands alone, and for Implicit.
  std::vector<uint32_t> Merged;
  /// Where the include rules that brought Rule into the pea are written,
  /// outermost first; empty for a rule written in the pea. Only the source
  /// policy knows it: answers from an image leave it empty.
  std::vector<RuleLocation> IncludeChain;
  bool operator==(const Explanation &) const = default;
};

struct PathAnswer {
  uint8_t Access = AccessNone;
  Explanation Why;
  bool operator==(const PathAnswer &) const = default;
};

struct TransitionAnswer {
  std::string RulePath;
  std::string TargetPea;
  std::optional<RuleLocation> Loc;
  uint32_t Rule = 0; ///< its index in the pea's transitions (Pea::Transitions)
  bool operator==(const TransitionAnswer &) const = default;
};

struct ExecAnswer {
  bool Allowed = false;
  std::string PeaAfter;           ///< the current pea when denied or no rule
  PathAnswer Access;              ///< the program's access as a file
  std::optional<TransitionAnswer> Transition; ///< set only when allowed
  bool operator==(const ExecAnswer &) const = default;
};

struct PeaHandle {
  uint32_t Pod = 0;
  uint32_t Pea = 0;
};

class PolicyOracle {
public:
  virtual ~PolicyOracle() = default;

  virtual std::vector<std::string> podNames() const = 0;
  virtual std::vector<std::string> peaNames(uint32_t Pod) const = 0;
  virtual std::optional<PeaHandle> findPea(llvm::StringRef Pod,
                                           llvm::StringRef Pea) const = 0;

  /// `Path` must be normalised (see Path.h).
  virtual PathAnswer access(PeaHandle P, llvm::StringRef Path,
                            bool IsDirectory) const = 0;
  virtual ExecAnswer exec(PeaHandle P, llvm::StringRef Program) const = 0;
  virtual bool bind(PeaHandle P, Protocol Proto, uint16_t Port) const = 0;
  virtual bool connect(PeaHandle P, Protocol Proto, uint16_t Port) const = 0;
  /// Whether P may signal, trace or use IPC of processes in pea `Target` of
  /// the same pod; nullopt if there is no such pea.
  virtual std::optional<bool> touch(PeaHandle P,
                                    llvm::StringRef Target) const = 0;
};

} // namespace peapod

#endif // PEAPOD_ORACLE_H
