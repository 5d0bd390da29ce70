//===- FuseConfig.h - What `peapodc --target fuse` emits ---------*- C++ -*-===//
//
// The FUSE layer's configuration for every pod of an image: how the stacked
// file system is mounted and cached, how its I/O is done, and where each
// pea's cgroup is (the daemon reads a caller's pea from it). It names the
// image by digest, so the runtime refuses a configuration made for another
// image. docs/fuse-config.md is the specification.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_FUSECONFIG_H
#define PEAPOD_FUSECONFIG_H

#include "peapod/image.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peapod {

constexpr int FuseConfigVersion = 1;
/// Each pea's cgroup, relative to its pod's cgroup: this prefix, then the
/// pea's name (the runtime's PeaLabels layout).
constexpr std::string_view FusePeaCgroupPrefix = "pea.";

struct FusePeaCgroup {
  std::string Name;
  uint32_t Index = 0; ///< the pea's index in its pod
  std::string Cgroup; ///< "pea.NAME"
};

struct FusePodConfig {
  std::string Name;
  /// Kernel cache lifetimes, seconds. 0 unless every caller of the mount
  /// gets the same answers (a pod of one pea).
  double EntryTimeout = 0, AttrTimeout = 0, NegativeTimeout = 0;
  std::string CacheReason; ///< why these timeouts, for people
  bool Passthrough = true; ///< FUSE_PASSTHROUGH when the kernel has it
  unsigned MaxWrite = 1u << 20;
  unsigned Threads = 4;
  std::vector<FusePeaCgroup> Peas;
};

struct FuseConfig {
  std::string ImageDigest; ///< "sha256:" and 64 hex digits
  uint64_t ImageSize = 0;
  std::vector<FusePodConfig> Pods;
};

/// The configuration for every pod of `Img`.
FuseConfig deriveFuseConfig(const ppi_image &Img);

/// The JSON text (two-space indented, a final newline).
std::string fuseConfigToJSON(const FuseConfig &Config);

/// Parses `Text` (named `Name` in messages). On failure nullopt and `Error`
/// is "NAME:LINE:COL: error: ..." (LINE:COL of the offending value).
std::optional<FuseConfig> parseFuseConfig(std::string_view Name,
                                          std::string_view Text,
                                          std::string &Error);

/// Whether `Config` belongs to `Img`: the digest and size, and every pod and
/// pea of the image with the same names, indices and cgroup layout. False
/// and `Error` set otherwise.
bool checkFuseConfig(const FuseConfig &Config, const ppi_image &Img,
                     std::string &Error);

/// The pod called `Pod`, or null.
const FusePodConfig *findPod(const FuseConfig &Config, std::string_view Pod);

} // namespace peapod

#endif
