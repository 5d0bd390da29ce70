//===- Generator.h - Deterministic synthetic policies for benchmarks -*- C++ -*-===//
//
// Generates a realistic PeaPod policy of a given size, and the equivalent
// AppArmor profile set, from one seed. The same (rules, peas, seed, depth)
// always gives the same bytes: the generator uses its own PRNG and its own
// integer-to-range mapping, never <random>'s distributions (whose results
// differ between standard libraries).
//
// Shape (per pea; the rule count is split evenly over the peas):
//   70%  path         over paths of depth 2..MaxDepth, read/write/execute
//                     combinations and some deny
//   20%  dir-default  over directories of depth 2..MaxDepth-1
//    3%  transition   /opt/APP/bin/TOOL to another pea (never conflicting)
//    3%  outgoing     tcp/udp ports and ranges
//    2%  bind
//    2%  namespace    another pea, sometimes `global`
// With one pea, transitions and namespaces become path rules. Paths of one
// pea are unique, so first-match (PeaPod) and union (AppArmor) agree.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_BENCH_GENERATOR_H
#define PEAPOD_BENCH_GENERATOR_H

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace peapod::bench {

struct GenOptions {
  uint64_t Rules = 10000;
  uint32_t Peas = 1;
  uint64_t Seed = 1;
  uint32_t MaxDepth = 10; ///< paths have 2..MaxDepth components
};

enum class GenKind : uint8_t { Path, DirDefault, Transition, Outgoing, Bind,
                               Namespace };

struct GenRule {
  GenKind Kind;
  uint8_t Access = 0;     ///< rwx (4/2/1); 0 = deny
  bool AllowWord = false; ///< written `allow` rather than read, write, execute
  std::string Path;       ///< Path, DirDefault, Transition
  uint32_t Target = 0;    ///< Transition, Namespace: pea index
  bool Global = false;    ///< Namespace global
  std::string Net;        ///< Outgoing, Bind: "tcp/80, udp/53"
};

/// Generates the rules of every pea in turn and hands each pea's rules to
/// the sink (so a million-rule policy is never held in memory at once).
class Generator {
public:
  explicit Generator(GenOptions Opts);
  /// The rules of pea `Index`; call for 0, 1, ... in order.
  std::vector<GenRule> pea(uint32_t Index);
  const GenOptions &options() const { return Opts; }
  static std::string peaName(uint32_t Index);

private:
  uint64_t next();
  uint32_t below(uint32_t N);                 ///< uniform in [0, N)
  uint32_t weighted(const uint32_t *W, size_t N);
  uint32_t zipf(uint32_t N);                  ///< skewed towards 0
  std::string component(unsigned Level, const std::string &Top);
  std::string fileName();
  std::string path(unsigned Depth, bool File);
  unsigned depth(unsigned Min, unsigned Max);

  GenOptions Opts;
  uint64_t State[4];
};

/// Writes the whole policy (`pod bench { pea ... }`) to `OS`.
void writePeaPod(Generator &G, std::ostream &OS);
/// Writes the equivalent AppArmor profiles (one `profile` per pea).
void writeAppArmor(Generator &G, std::ostream &OS);

/// "read, write" etc. as the policy writes the access of `R`.
std::string peapodAccess(const GenRule &R);
/// "r", "rw", "rix", ... the AppArmor permissions of access `Mask`.
std::string apparmorPerms(uint8_t Mask);

} // namespace peapod::bench

#endif // PEAPOD_BENCH_GENERATOR_H
