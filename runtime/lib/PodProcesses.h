//===- PodProcesses.h - The running pods and their processes ----*- C++ -*-===//
#ifndef PEAPOD_RUNTIME_PODPROCESSES_H
#define PEAPOD_RUNTIME_PODPROCESSES_H

#include <string>
#include <sys/types.h>
#include <vector>

namespace peapod::runtime {

struct PodProcess {
  std::string Pea;     ///< "" for the pod's init (in no pea)
  pid_t HostPid = 0;   ///< in the reader's PID namespace
  pid_t PodPid = 0;    ///< in the pod's
  std::string Program; ///< /proc/PID/exe, or "[comm]" if unreadable
};

struct RunningPod {
  std::string RunId, Pod;
  pid_t Supervisor = 0;
  std::string CgroupDir;
  std::vector<PodProcess> Processes; ///< by pod pid
};

/// The live runs of the state directory and their processes.
std::vector<RunningPod> runningPods();

std::string formatPodsTable(const std::vector<RunningPod> &Pods);
std::string formatPodsJson(const std::vector<RunningPod> &Pods);

/// `peapod ps [--json]`.
int runPs(bool Json);

} // namespace peapod::runtime

#endif
