//===- CgroupPrograms.h - The pod's cgroup BPF programs ---------*- C++ -*-===//
//
// The network and device rules of a pod's peas, enforced by cgroup BPF
// programs (runtime/bpf/pod.bpf.c, loaded with libbpf from a skeleton): one
// instance per pea, attached to the pea's cgroup with BPF links, so that
// the programs deciding for a socket are those of the pea whose process
// created it. Denials (and, with --complain, what would have been denied)
// come back through a ring buffer and become audit lines. docs/bpf.md.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_CGROUPPROGRAMS_H
#define PEAPOD_RUNTIME_CGROUPPROGRAMS_H

#include "peapod/BpfConfig.h"
#include "peapod/bpf_maps.h"
#include "peapod/image.h"
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct pod_bpf;
struct ring_buffer;

namespace peapod::runtime {

class AuditLog;

/// A device node of the pod's /dev, as the pod's init creates it.
struct PodDevice {
  const char *Name; ///< under /dev
  unsigned Major, Minor;
};
/// The character devices the pod's init creates in /dev.
const std::vector<PodDevice> &podDevices();

/// One entry of the device map.
struct DeviceMapEntry {
  peapod_dev_key Key;
  uint32_t Access = 0; ///< BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE
};
/// What pea `GlobalPea` may open among the pod's devices, from its file
/// rules (read and write access of the device's path; mknod never): every
/// node of podDevices(), /dev/ptmx, and the pseudo-terminals (/dev/pts/N:
/// majors 136-143, any minor, decided by the rules for /dev/pts/0).
std::vector<DeviceMapEntry> deviceMapEntries(const ppi_image &Img,
                                             uint32_t GlobalPea);

/// What this kernel offers (for doctor and the refusal message).
struct CgroupBpfSupport {
  bool Loads = false;     ///< the programs load (and so would attach)
  bool UnixHooks = false; ///< connect_unix/sendmsg_unix exist (Linux 6.7)
  std::string Detail;     ///< why not, or what was checked
};
CgroupBpfSupport probeCgroupBpf();

/// The network rules `peapod run` enforces for `Pod` (a global pod index):
/// `ConfigFile`'s, checked against the image, or derived from the image
/// when `ConfigFile` is empty. Nullopt and `Error` ("FILE: error: ...") if
/// the file cannot be read, parsed or does not belong to the image.
std::optional<BpfPodRules> podNetworkRules(const ppi_image &Img, uint32_t Pod,
                                           const std::string &ConfigFile,
                                           std::string &Error);

class CgroupPrograms {
public:
  struct Plan {
    const ppi_image *Image = nullptr;
    uint32_t Pod = PPI_NONE; ///< global index
    std::string PodName;
    const BpfPodRules *Rules = nullptr; ///< the pod's network rules
    /// The cgroup directory of each pea (pod-local index); empty: load one
    /// instance and fill the maps, attaching nothing (tests).
    std::vector<std::string> PeaCgroups;
    bool Complain = false;
    AuditLog *Audit = nullptr;
  };

  /// Loads one instance per pea, fills the maps and attaches them. Null and
  /// `Error` on failure (nothing stays attached).
  static std::unique_ptr<CgroupPrograms> attach(const Plan &P,
                                                std::string &Error);
  /// Detaches everything (after a last read of the ring buffer).
  ~CgroupPrograms();
  CgroupPrograms(const CgroupPrograms &) = delete;
  CgroupPrograms &operator=(const CgroupPrograms &) = delete;

  /// Starts the thread that turns reports into audit lines. Call it after
  /// any fork: the thread allocates.
  void startReporting();

  /// The maps' descriptors (tests look decisions up in the kernel's maps).
  int netMapFd() const;
  int unixMapFd() const;
  int devMapFd() const;
  bool unixHooksAttached() const { return UnixHooks; }

private:
  CgroupPrograms() = default;
  void report(const peapod_bpf_event &E) const;
  static int onEvent(void *Self, void *Data, size_t Size);

  Plan P;
  std::vector<pod_bpf *> Instances;
  ring_buffer *Events = nullptr;
  bool UnixHooks = false;
  std::atomic<bool> Stop{false};
  std::thread Reporter;
};

class PodCgroup;
/// `peapod run`'s programs: `Rules` on every pea cgroup of `Cgroup`. Null
/// and `Error` if they cannot be loaded or attached (the run is refused).
std::unique_ptr<CgroupPrograms>
attachPodPrograms(const ppi_image &Img, uint32_t Pod, const std::string &PodName,
                  const BpfPodRules &Rules, const PodCgroup &Cgroup,
                  bool Complain, AuditLog *Audit, std::string &Error);

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_CGROUPPROGRAMS_H
