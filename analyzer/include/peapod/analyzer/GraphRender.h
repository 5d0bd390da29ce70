//===- GraphRender.h - Drawing a policy's transition graphs ----*- C++ -*-===//
//
// `peapodc graph`: one picture per policy, a cluster per pod, a node per
// pea (its network rules and a short access summary), an edge per
// transition (its trigger path). Escalation edges are red and name the path
// an attacker would plant a program at; peas no entry reaches are grey;
// entries are marked. Built with Graphviz's cgraph and laid out and rendered
// by its gvc library, in this process (no `dot` subprocess).
//
// The picture is drawn from a PodPicture, a plain description of what to
// draw, so that the renderer does not depend on how the analysis computed
// it: describePolicy() fills one in from the analyzer's TransitionGraph
// (edges that fire, entries, reachability) and EffectiveAccess (more
// privilege), the same the A2xx checks use.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_ANALYZER_GRAPHRENDER_H
#define PEAPOD_ANALYZER_GRAPHRENDER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace peapod {
class Policy;
} // namespace peapod

namespace peapod::analyzer {

/// What one pea's node shows.
struct PictureNode {
  std::string Name;
  /// "bind tcp/25", "outgoing allow", "namespace global": one line each.
  std::vector<std::string> Network;
  /// "read /etc, /usr/lib +3", "write /var/spool/mqueue": one line per
  /// kind of access, the topmost paths granting it.
  std::vector<std::string> Access;
  bool Entry = false;
  /// No entry reaches it.
  bool Unreachable = false;
};

/// One transition, or one escalation through it.
struct PictureEdge {
  uint32_t From = 0, To = 0; ///< indices into PodPicture::Peas
  std::string Trigger;       ///< the program whose exec moves the process
  /// The source pea cannot execute the trigger (nor anything below it):
  /// the transition never happens.
  bool Ineffective = false;
  /// Set for an escalation: where the attacker plants a program (the
  /// trigger itself or a directory above it), and which pea can write it.
  std::optional<std::string> Planted;
  std::string PlantedBy;
};

struct PodPicture {
  std::string Pod;
  std::vector<PictureNode> Peas;
  std::vector<PictureEdge> Edges;
};

struct GraphOptions {
  /// Only this pod; none: every pod.
  std::optional<std::string> Pod;
  /// Entry peas, "POD/PEA" or "PEA" (every pod with such a pea). A pod with
  /// none named here has TransitionGraph's default entries.
  std::vector<std::string> Entries;
};

/// What to draw for `P`. Fails (with the message) for an unknown pod or an
/// entry that names no pea.
llvm::Expected<std::vector<PodPicture>>
describePolicy(const Policy &P, const GraphOptions &Opts);

enum class GraphFormat : uint8_t { Dot, Svg, Png, Pdf };

/// The format a file name asks for by its extension (.dot, .gv, .svg,
/// .png, .pdf), or none.
std::optional<GraphFormat> graphFormatOf(llvm::StringRef Path);
const char *graphFormatName(GraphFormat F);

/// Lays out and renders the pods into `OS`. `Title` labels the picture
/// (the policy's file name). Fails only if Graphviz does (say, a missing
/// plugin), with its message.
llvm::Error renderGraph(llvm::ArrayRef<PodPicture> Pods, llvm::StringRef Title,
                        GraphFormat Format, llvm::raw_ostream &OS);

} // namespace peapod::analyzer

#endif
