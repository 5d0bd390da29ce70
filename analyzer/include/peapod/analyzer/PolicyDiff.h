//===- PolicyDiff.h - The exact semantic difference of two policies -*- C++ -*-===//
//
// `peapodc diff OLD NEW`: not a text diff but what changed in what each pea
// may do. Peas are matched by pod and pea name. For each pair, one joint
// walk over the two region trees (forEachJointRegion) visits every region
// where both versions give one answer each, so every path whose access
// changed lies in exactly one reported region: nothing sampled. Exec
// outcomes come from the same walk (the file regions and their longest
// transitions); network rules are compared as port sets and namespace rules
// as the sets of peas each pea may touch.
//
// "Widens" (exit 1 of the command) means: some query answers more in NEW
// than in OLD: a path gains a permission, an allowed exec runs in another
// pea than before (or is newly allowed), a port can be bound or connected
// to, a pea can be touched. A pea or pod missing on one side is compared as
// a pea with no rules.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_POLICYDIFF_H
#define PEAPOD_ANALYZER_POLICYDIFF_H

#include "peapod/analyzer/PeaProfile.h"
#include "llvm/Support/raw_ostream.h"
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace peapod::analyzer {

/// Which paths a changed region stands for, relative to its node's path.
enum class RegionScope : uint8_t {
  At,    ///< the path itself
  Below, ///< paths strictly below it decided by the same rules (see docs)
  Tree,  ///< both: the path and everything below it decided alike
};

/// One side's answer for a region: its access and the rule that decided.
struct DiffSide {
  uint8_t Access = AccessNone;
  DecisionKind Kind = DecisionKind::Default;
  std::optional<RuleInfo> Rule; ///< absent for Default
  std::string Text;             ///< decisionText(), for printing
};

struct RegionChange {
  std::string Path; ///< the node's path ("/" for the root)
  RegionScope Scope;
  bool Directory;   ///< asked as a directory, or as a file
  DiffSide Old, New;
  /// The same change, by the same rules, as a file and as a directory: one
  /// row (Directory is then false).
  bool Both = false;
  /// Permissions NEW has that OLD lacks / OLD has that NEW lacks.
  uint8_t Gained = 0, Lost = 0;
};

/// A change of what exec does in a file region: allowed or not, and the
/// pea the program then runs in (nullopt: denied).
struct ExecChange {
  std::string Path;
  RegionScope Scope;
  std::optional<std::string> OldPea, NewPea;
  std::optional<RuleInfo> OldTransition, NewTransition;
  bool Widens = false;
};

/// A transition rule added, removed or pointed at another pea.
struct TransitionChange {
  std::string Path;
  std::optional<TransitionInfo> Old, New;
};

struct PortChange {
  std::string Kind; ///< "bind" or "outgoing"
  NetPolicy Old, New;
  std::vector<PortRange> Gained, Lost; ///< exact, 1-65535 per protocol
};

struct NamespaceChange {
  bool OldGlobal = false, NewGlobal = false;
  /// Peas of the pod it may now touch, or no longer touch.
  std::vector<std::string> Gained, Lost;
};

struct PeaDiff {
  std::string Pod, Pea;
  enum class Presence : uint8_t { Both, Added, Removed } Status = Presence::Both;
  std::vector<RegionChange> Regions;
  std::vector<ExecChange> Execs;
  std::vector<TransitionChange> Transitions;
  std::vector<PortChange> Ports;
  std::optional<NamespaceChange> Namespace;
  bool Widens = false;

  bool empty() const {
    return Status == Presence::Both && Regions.empty() && Execs.empty() &&
           Transitions.empty() && Ports.empty() && !Namespace;
  }
};

struct PolicyDiff {
  std::vector<std::string> PodsAdded, PodsRemoved;
  std::vector<PeaDiff> Peas; ///< only peas with a change
  bool widens() const;
};

struct DiffOptions {
  /// Only this pod; empty: every pod.
  std::string Pod;
};

/// The difference from `Old` to `New`. With DiffOptions::Pod set, a pod in
/// neither side is the caller's to reject (see hasPod).
PolicyDiff diffPolicies(const ProfileSource &Old, const ProfileSource &New,
                        const DiffOptions &Opts = {});
/// Whether pod `Name` is in the policy.
bool hasPod(const ProfileSource &S, llvm::StringRef Name);

/// The pea pair's difference, from their profiles. `OldPeas` and `NewPeas`
/// are the names of the peas of the pod on each side (for `namespace
/// global`).
PeaDiff diffPeas(const PeaProfile &Old, const std::vector<std::string> &OldPeas,
                 const PeaProfile &New, const std::vector<std::string> &NewPeas);

/// Ports in `A` but not in `B`, as ranges (exact; ports 1-65535).
std::vector<PortRange> portsMinus(const NetPolicy &A, const NetPolicy &B);

/// The text report (docs/policy-diff.md). `OldName`, `NewName` head it.
void printDiff(const PolicyDiff &D, llvm::StringRef OldName,
               llvm::StringRef NewName, llvm::raw_ostream &OS);
/// The JSON report (schema in docs/policy-diff.md).
nlohmann::json diffToJSON(const PolicyDiff &D, llvm::StringRef OldName,
                          llvm::StringRef NewName);

} // namespace peapod::analyzer

#endif
