//===- Pod.h - The pieces of `peapod run` (internal) ------------*- C++ -*-===//
//
// The supervisor (Supervisor.cpp) stays in the host's namespaces; it clones
// the pod's init (PodInit.cpp: PID 1 of the pod's PID namespace), which
// builds the pod's file system, pivots into it, and then forks CMD under the
// seccomp filter (SeccompFilter.cpp) and traces it and every descendant
// (ExecTracer.cpp) to move processes between peas on exec. docs/runtime.md.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_POD_H
#define PEAPOD_RUNTIME_POD_H

#include "peapod/image.h"
#include "peapod/runtime/Run.h"
#include <string>
#include <csignal>
#include <sys/types.h>
#include <vector>

namespace peapod::runtime {

class AuditLog;
struct SharedLabelEpoch;

/// What the pod's init needs, prepared by the supervisor.
struct PodPlan {
  const RunOptions *Options = nullptr;
  const ppi_image *Image = nullptr;
  uint32_t Pod = PPI_NONE, Pea = PPI_NONE; ///< global indices
  std::string PodName;
  std::string PodCgroupDir; ///< in the host's file system
  int SyncFd = -1;          ///< read end: one byte once the supervisor is ready
  AuditLog *Audit = nullptr;
  sigset_t CallerMask; ///< the signal mask CMD gets, the caller's
  std::string TreeMountpoint;   ///< the FUSE mount: the pod's /
  SharedLabelEpoch *LabelEpoch = nullptr; ///< bumped on moves and exits
};

/// PID 1 of the pod: never returns.
[[noreturn]] void runPodInit(const PodPlan &Plan);

/// Loads the pod's seccomp filter into the calling thread (and all threads
/// created after). False and `Error` on failure.
bool loadPodSeccompFilter(std::string &Error);

/// The host-only system calls the filter denies, by name (for doctor and
/// the docs).
const std::vector<const char *> &hostOnlySyscalls();

/// Drops every capability not in the pod's set from the bounding set (and
/// clears the ambient and inheritable sets).
bool reducePodCapabilities(std::string &Error);

/// Which capabilities the pod keeps (names, for doctor and the docs).
const std::vector<const char *> &podCapabilityNames();

/// The tracer of the pod: runs CMD (`Main`, already forked and seized) and
/// every process it creates; returns CMD's exit status (128+N for a signal)
/// once it ends.
struct ExecTracerConfig {
  const ppi_image *Image = nullptr;
  uint32_t Pod = PPI_NONE;
  std::string PodName;
  std::vector<int> PeaProcsFds; ///< cgroup.procs of each pea (pod-local index)
  AuditLog *Audit = nullptr;
  bool Complain = false;
  int SignalFd = -1; ///< SIGCHLD and the forwarded signals
  SharedLabelEpoch *LabelEpoch = nullptr; ///< the FUSE daemon's label cache
};
int traceExecs(const ExecTracerConfig &Config, pid_t Main);

/// State directory of runs, /run/peapod/<run id>: "supervisor" holds the
/// supervisor's pid and start time, "cgroup" the pod's cgroup directory.
std::string stateRoot();
bool createRunState(const std::string &RunId, std::string &Error);
bool writeRunCgroup(const std::string &RunId, const std::string &CgroupDir,
                    std::string &Error);
void removeRunState(const std::string &RunId);
/// Removes what dead runs left; returns how many were removed.
int cleanupDeadRuns(bool Verbose);

/// The signals the supervisor and the pod's init forward to CMD.
const std::vector<int> &forwardedSignals();

/// Blocks SIGCHLD and the forwarded signals (the previous mask in
/// `OldMask`) and returns a signalfd for them (-1 on failure).
int blockForwardedSignals(sigset_t &OldMask);

/// Closes every descriptor from 3 up except those in `Keep`.
void closeDescriptorsExcept(const std::vector<int> &Keep);

} // namespace peapod::runtime

#endif
