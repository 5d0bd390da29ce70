//===- PeaLabels.h - Which pea a process is in ------------------*- C++ -*-===//
//
// A pea is a cgroup v2 directory under its pod's cgroup:
//
//   <v2 mount>/peapod/<run id>/            the pod of one `peapod run`
//   <v2 mount>/peapod/<run id>/pea.<name>  one pea of it (the prefix keeps a
//                                          pea called "cgroup.procs" apart
//                                          from the cgroup files)
//
// Children inherit their parent's cgroup at fork, so they inherit its pea;
// only the supervisor moves a process (on a transition). The label of a
// process is therefore read from /proc/PID/cgroup (the "0::PATH" line), never
// from anything the process can write. PATH is relative to the *reader's*
// cgroup namespace: the supervisor and the FUSE daemon stay in the host's,
// and construct PeaLabels with the pod's cgroup path as they see it
// (Cgroups.h: PodCgroup::path()).
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_PEALABELS_H
#define PEAPOD_RUNTIME_PEALABELS_H

#include "peapod/image.h"
#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <unordered_map>

namespace peapod::runtime {

class PeaLabels {
public:
  /// The labels of pod `Pod` (a pod index of `Img`) whose cgroup is
  /// `PodCgroupPath` as /proc/self/cgroup of the reader writes it (e.g.
  /// "/peapod/mail-delivery.1234"). `Img` must outlive this object.
  PeaLabels(const ppi_image &Img, uint32_t Pod, std::string PodCgroupPath);

  /// The global pea index of process `Pid` (a pid of the reader's PID
  /// namespace), or PPI_NONE if it is in no pea of this pod, has exited, or
  /// its cgroup cannot be read. Pid 0 (FUSE's "no process") is PPI_NONE:
  /// callers decide what that means (fail closed).
  uint32_t peaOfPid(pid_t Pid) const;

  /// The same from the text of a /proc/PID/cgroup file.
  uint32_t peaOfCgroupFile(std::string_view Text) const;

  /// The pea's cgroup path in the reader's view ("" for a pea of another
  /// pod): what peaOfCgroupFile maps back to `Pea`.
  std::string cgroupPathOf(uint32_t Pea) const;

  /// The pea's name (the image's string), "" if out of range.
  std::string_view nameOf(uint32_t Pea) const;

  const std::string &podCgroupPath() const { return PodPath; }
  uint32_t pod() const { return Pod; }

private:
  const ppi_image &Img;
  uint32_t Pod;
  std::string PodPath;
  std::unordered_map<std::string_view, uint32_t> PeaByName;
};

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_PEALABELS_H
