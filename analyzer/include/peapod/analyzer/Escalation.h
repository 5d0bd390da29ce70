//===- Escalation.h - Planting a program to exec into a stronger pea -*- C++
//-*-===//
//
// An escalation path (A206): a transition S -> T into a pea with more
// privilege (EffectiveAccess.h, morePrivileged) whose program a pea W that
// can reach S can plant: W can write a strict ancestor directory of the
// trigger (and replace it wholesale), or the trigger or a file under it
// that S executes under this rule, or a directory under it where a new
// program that S would execute can be created. The attacker in W plants a
// binary, execs its way to S, and S execs it into T. The checks report
// these; `peapodc graph` draws their edges red.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_ESCALATION_H
#define PEAPOD_ANALYZER_ESCALATION_H

#include "peapod/analyzer/EffectiveAccess.h"
#include "peapod/analyzer/TransitionGraph.h"
#include <string>
#include <vector>

namespace peapod::analyzer {

struct Escalation {
  uint32_t Edge = 0;   ///< the transition into the stronger pea (G.edge())
  uint32_t Writer = 0; ///< the pea that can plant its program
  std::string Where;   ///< what the writer writes, in words ("the directory
                       ///< '/var/www'", "files under '/srv/cgi/'")
  Decision Write;      ///< the writer's answer there (its deciding rule)
  PrivilegeGap Gap;    ///< what the target may do that the source may not
};

/// Every escalation path of the pod of `G` (whose edges must know whether
/// they fire: see firingGraph), one per edge with the first writer found
/// (peas in ascending order, each reachable from an entry), in edge order.
std::vector<Escalation> findEscalations(PodAccess &Access,
                                        const TransitionGraph &G);

} // namespace peapod::analyzer

#endif
