//===- PeaProfile.h - A pea's whole effective profile, from any form -*- C++ -*-===//
//
// What `peapodc show` prints and `peapodc diff` compares: a pea's region
// tree (peapod/Regions.h) with the rules its decisions name, its
// transitions, network and namespace rules. The profile is the same whether
// it was read from a source policy (SourceProfiles, here) or from a
// compiled image (the driver's adaptor: the analyzer does not depend on the
// backends), so everything built on it treats both alike.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_PEAPROFILE_H
#define PEAPOD_ANALYZER_PEAPROFILE_H

#include "peapod/Access.h"
#include "peapod/Policy.h"
#include "peapod/Regions.h"
#include <optional>
#include <string>
#include <vector>

namespace peapod::analyzer {

/// A rule as a profile names it.
struct RuleInfo {
  std::string Kind; ///< "path", "dir-default", "transition"
  std::string Path;
  std::optional<RuleLocation> Loc; ///< absent in an image without locations
};

struct TransitionInfo {
  RuleInfo Rule;
  std::string Target;
};

struct PeaProfile {
  std::string Pod, Pea;
  PeaRegions Regions;
  std::vector<RuleInfo> FileRules; ///< by the pea's file rule index
  std::vector<TransitionInfo> Transitions; ///< by transition index
  NetPolicy Bind, Outgoing;
  bool NamespaceGlobal = false;
  std::vector<std::string> Namespace; ///< peas it may touch, besides itself
};

/// The pods and peas of a policy, and a profile of any of its peas.
class ProfileSource {
public:
  virtual ~ProfileSource() = default;
  virtual std::vector<std::string> pods() const = 0;
  virtual std::vector<std::string> peas(uint32_t Pod) const = 0;
  virtual PeaProfile profile(uint32_t Pod, uint32_t Pea) const = 0;
};

/// Profiles of a compiled source policy.
class SourceProfiles final : public ProfileSource {
public:
  explicit SourceProfiles(const Policy &P) : P(P) {}
  std::vector<std::string> pods() const override;
  std::vector<std::string> peas(uint32_t Pod) const override;
  PeaProfile profile(uint32_t Pod, uint32_t Pea) const override;

private:
  const Policy &P;
};

/// The profile of a pea with no rules at all (everything denied): what a
/// pea missing on one side of a diff is compared as.
PeaProfile emptyProfile(std::string Pod, std::string Pea);

/// The rule that made decision `D` of profile `P`, as `show` and `diff`
/// print it: "path /etc/motd (mail.pea:4)", "implicit search, for PATH
/// (...)", "default deny". Escaped for a terminal.
std::string decisionText(const PeaProfile &P, const Decision &D);
/// " (FILE:LINE)" for a location, escaped for a terminal; "" if none.
std::string locationSuffix(const std::optional<RuleLocation> &Loc);

} // namespace peapod::analyzer

#endif
