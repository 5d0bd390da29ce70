//===- Cgroups.h - The pod's cgroup and its peas' cgroups -------*- C++ -*-===//
//
// The cgroup v2 hierarchy is found from /proc/self/mountinfo (never assumed);
// a pod is <mount>/peapod/<run id>, each pea <pod>/pea.<name> (PeaLabels.h).
// No controller is enabled: the cgroups are labels, not limits, so processes
// may live in any of them.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_CGROUPS_H
#define PEAPOD_RUNTIME_CGROUPS_H

#include <string>
#include <sys/types.h>

namespace peapod::runtime {

/// Where cgroup2 is mounted, and the cgroup path of the mount's root (the
/// "root" field of mountinfo: "/" unless mounted inside a cgroup namespace).
struct Cgroup2Mount {
  std::string Directory;
  std::string Root;
};

/// The first cgroup2 mount of /proc/self/mountinfo. False and `Error` set if
/// there is none.
bool findCgroup2Mount(Cgroup2Mount &Mount, std::string &Error);

/// The mountinfo text parsed (for tests).
bool findCgroup2MountIn(const std::string &MountInfo, Cgroup2Mount &Mount);

/// The pod's cgroup of one run: created by create(), removed by remove()
/// (which first kills whatever is still in it).
class PodCgroup {
public:
  PodCgroup() = default;
  /// Creates <mount>/peapod/<RunId>. False and `Error` on failure.
  bool create(const Cgroup2Mount &Mount, const std::string &RunId,
              std::string &Error);
  /// Adopts an existing pod cgroup directory (cleanup).
  void adopt(const Cgroup2Mount &Mount, const std::string &Directory);

  /// Creates the pea's cgroup if needed. False and `Error` on failure.
  bool createPea(const std::string &PeaName, std::string &Error);
  /// Moves `Pid` (host pid) into the pea's cgroup (creating it).
  bool movePid(pid_t Pid, const std::string &PeaName, std::string &Error);

  /// Kills every process in the pod's cgroups (cgroup.kill, else SIGKILL of
  /// each pid until none is left) and removes the cgroups. Idempotent.
  void remove();

  const std::string &directory() const { return Directory; }
  /// The pod's path as /proc/PID/cgroup shows it to the supervisor.
  const std::string &path() const { return Path; }
  /// The pea's directory in the file system.
  std::string peaDirectory(const std::string &PeaName) const;

private:
  std::string Directory;
  std::string Path;
};

/// Kills every process of the cgroup tree at `Directory` and removes it,
/// deepest first. Returns false if something could not be removed.
bool removeCgroupTree(const std::string &Directory);

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_CGROUPS_H
