//===- BpfConfig.h - What `peapodc --target bpf` emits -----------*- C++ -*-===//
//
// The network rules of every pea of an image, as the runtime's cgroup BPF
// programs enforce them: per pea, the ports it may bind and connect to, by
// protocol, or `allow`. It names the image by digest, so the runtime refuses
// rules made for another image, and the encoding of the rules into the BPF
// maps (bpf_maps.h) lives here too, with a lookup that answers as the
// kernel's longest-prefix-match map does. docs/bpf.md is the specification.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_BPFCONFIG_H
#define PEAPOD_BPFCONFIG_H

#include "peapod/bpf_maps.h"
#include "peapod/image.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peapod {

constexpr int BpfConfigVersion = 1;

struct BpfPortRange {
  uint8_t Proto = PPI_PROTO_TCP; ///< enum ppi_proto
  uint16_t Low = 0, High = 0;    ///< inclusive
  bool operator==(const BpfPortRange &) const = default;
};

/// One of a pea's two network rule sets. `Allow`: every port of every
/// protocol; otherwise exactly `Ranges` (sorted by protocol and port,
/// disjoint; empty for `deny` and for no rule).
struct BpfNetRules {
  bool Allow = false;
  std::vector<BpfPortRange> Ranges;
  bool operator==(const BpfNetRules &) const = default;
};

struct BpfPeaRules {
  std::string Name;
  uint32_t Index = 0; ///< the pea's index in its pod
  std::string Cgroup; ///< "pea.NAME", relative to the pod's cgroup
  BpfNetRules Bind, Connect;
  bool operator==(const BpfPeaRules &) const = default;
};

struct BpfPodRules {
  std::string Name;
  std::vector<BpfPeaRules> Peas;
  bool operator==(const BpfPodRules &) const = default;
};

struct BpfConfig {
  std::string ImageDigest; ///< "sha256:" and 64 hex digits
  uint64_t ImageSize = 0;
  std::vector<BpfPodRules> Pods;
};

/// The rules of every pod and pea of `Img`.
BpfConfig deriveBpfConfig(const ppi_image &Img);

/// The JSON text (two-space indented, a final newline).
std::string bpfConfigToJSON(const BpfConfig &Config);

/// Parses `Text` (named `Name` in messages). On failure nullopt and `Error`
/// is "NAME:LINE:COL: error: ..." or "NAME: error: JSON.PATH: ...".
std::optional<BpfConfig> parseBpfConfig(std::string_view Name,
                                        std::string_view Text,
                                        std::string &Error);

/// Whether `Config` belongs to `Img`: its digest and size, and every pod and
/// pea with the image's names, indices, cgroups and rules. False and `Error`
/// (naming the first difference) otherwise.
bool checkBpfConfig(const BpfConfig &Config, const ppi_image &Img,
                    std::string &Error);

/// The pod called `Pod`, or null.
const BpfPodRules *findBpfPod(const BpfConfig &Config, std::string_view Pod);

/// "tcp/25", "udp/8000-8080".
std::string portRangeText(const BpfPortRange &R);
/// "allow", "deny" (no port), or the ranges joined by ", ".
std::string netRulesText(const BpfNetRules &R);

/// Whether `Rules` permit (Proto, Port); Proto is enum peapod_bpf_proto
/// (OTHER only under `allow`; port 0, which asks the kernel for a free
/// port, only under `allow` too: rules name ports 1-65535).
bool netRulesPermit(const BpfNetRules &Rules, uint8_t Proto, uint16_t Port);

/// The trie entries for pea `GlobalPea`'s rules in direction `Dir` (enum
/// peapod_bpf_dir): one prefix for `allow`, a few per port range.
std::vector<peapod_net_key> netMapKeys(uint32_t GlobalPea, uint8_t Dir,
                                       const BpfNetRules &Rules);
/// The full-length key a program looks up.
peapod_net_key netMapQuery(uint32_t GlobalPea, uint8_t Dir, uint8_t Proto,
                           uint16_t Port);
/// Whether some key of `Keys` is a prefix of `Query` (the trie's answer).
bool netMapMatches(const std::vector<peapod_net_key> &Keys,
                   const peapod_net_key &Query);

/// One entry of the unix socket trie: a path the pea's file rules decide
/// and the access they give it (rwx), exactly at the path or below it.
struct UnixMapEntry {
  peapod_unix_key Key;
  uint8_t Access = 0;
};
/// The trie entries that answer, for every normalised absolute path of up
/// to PEAPOD_BPF_UNIX_PATH_MAX bytes, what ppi_lookup_path answers for it
/// asked as a file: "N\0" (exactly N) and "N/" (below N) for every node N of
/// the pea's tree, so the longest matching prefix is the deepest node on
/// the path.
std::vector<UnixMapEntry> unixMapEntries(const ppi_image &Img,
                                         uint32_t GlobalPea);
/// The key a program looks up for `Path` (at most PEAPOD_BPF_UNIX_PATH_MAX
/// bytes are used).
peapod_unix_key unixMapQuery(uint32_t GlobalPea, std::string_view Path);

} // namespace peapod

#endif
