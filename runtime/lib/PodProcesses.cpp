//===- PodProcesses.cpp - `peapod ps` --------------------------------------===//
//
// The running pods are the live runs of /run/peapod (RunState.cpp); the
// processes of a pod are the members of its cgroups, and a process's pea is
// the cgroup it is in (pea.NAME; the pod's init sits in the pod's own
// cgroup, in no pea), as the kernel keeps it: nothing a pod's process
// writes. Its pid in the pod is the last NSpid of /proc/PID/status.
//
//===----------------------------------------------------------------------===//
#include "Files.h"
#include "Pod.h"
#include "PodProcesses.h"
#include <algorithm>
#include <climits>
#include <cstdio>
#include <dirent.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace peapod::runtime {

/// The pid in the innermost PID namespace (NSpid's last field), 0 if gone.
static pid_t podPidOf(pid_t Pid) {
  std::string Text, Error;
  if (!readWholeFile("/proc/" + std::to_string(Pid) + "/status", Text, Error))
    return 0;
  std::istringstream In(Text);
  std::string Line;
  while (std::getline(In, Line)) {
    if (Line.rfind("NSpid:", 0) != 0)
      continue;
    std::istringstream Fields(Line.substr(6));
    pid_t Last = 0, Value;
    while (Fields >> Value)
      Last = Value;
    return Last;
  }
  return 0;
}

/// What the process runs: /proc/PID/exe, else "[comm]" (not root, or a
/// kernel thread).
static std::string programOf(pid_t Pid) {
  std::string Proc = "/proc/" + std::to_string(Pid);
  std::string Exe = readLink(Proc + "/exe");
  if (!Exe.empty())
    return Exe;
  std::string Comm, Error;
  readWholeFile(Proc + "/comm", Comm, Error);
  while (!Comm.empty() && Comm.back() == '\n')
    Comm.pop_back();
  return "[" + Comm + "]";
}

static void addMembers(const std::string &CgroupDir, const std::string &Pea,
                       std::vector<PodProcess> &Out) {
  std::string Text, Error;
  if (!readWholeFile(CgroupDir + "/cgroup.procs", Text, Error))
    return;
  std::istringstream In(Text);
  pid_t Pid;
  while (In >> Pid) {
    PodProcess P;
    P.Pea = Pea;
    P.HostPid = Pid;
    P.PodPid = podPidOf(Pid);
    P.Program = programOf(Pid);
    if (P.PodPid > 0) // gone meanwhile otherwise
      Out.push_back(std::move(P));
  }
}

/// The pod's name: the run id is POD.PID.HEX (the pod's name with
/// characters other than letters, digits, '-', '_' and '.' made '_').
static std::string podOfRunId(const std::string &RunId) {
  size_t Last = RunId.rfind('.');
  size_t Before = Last == std::string::npos || Last == 0
                      ? std::string::npos
                      : RunId.rfind('.', Last - 1);
  return Before == std::string::npos ? RunId : RunId.substr(0, Before);
}

std::vector<RunningPod> runningPods() {
  std::vector<RunningPod> Pods;
  for (const LiveRun &R : liveRuns()) {
    RunningPod P;
    P.RunId = R.RunId;
    P.Pod = podOfRunId(R.RunId);
    P.Supervisor = R.Supervisor;
    P.CgroupDir = R.CgroupDir;
    if (!R.CgroupDir.empty()) {
      addMembers(R.CgroupDir, "", P.Processes); // the pod's init
      std::vector<std::string> Peas;
      if (DIR *D = opendir(R.CgroupDir.c_str())) {
        while (struct dirent *E = readdir(D))
          if (E->d_type == DT_DIR && !strncmp(E->d_name, "pea.", 4))
            Peas.push_back(E->d_name + 4);
        closedir(D);
      }
      std::sort(Peas.begin(), Peas.end());
      for (const std::string &Pea : Peas)
        addMembers(R.CgroupDir + "/pea." + Pea, Pea, P.Processes);
      std::stable_sort(P.Processes.begin(), P.Processes.end(),
                       [](const PodProcess &A, const PodProcess &B) {
                         return A.PodPid < B.PodPid;
                       });
    }
    Pods.push_back(std::move(P));
  }
  return Pods;
}

std::string formatPodsJson(const std::vector<RunningPod> &Pods) {
  nlohmann::ordered_json J;
  J["pods"] = nlohmann::ordered_json::array();
  for (const RunningPod &P : Pods) {
    nlohmann::ordered_json Pod;
    Pod["run"] = P.RunId;
    Pod["pod"] = P.Pod;
    Pod["supervisor"] = P.Supervisor;
    Pod["cgroup"] = P.CgroupDir;
    Pod["processes"] = nlohmann::ordered_json::array();
    for (const PodProcess &Q : P.Processes) {
      nlohmann::ordered_json X;
      X["pea"] = Q.Pea.empty() ? nlohmann::ordered_json(nullptr)
                               : nlohmann::ordered_json(Q.Pea);
      X["pid"] = Q.HostPid;
      X["pod_pid"] = Q.PodPid;
      X["program"] = Q.Program;
      Pod["processes"].push_back(std::move(X));
    }
    J["pods"].push_back(std::move(Pod));
  }
  // Invalid UTF-8 in a program's name is replaced, never thrown on.
  return J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string formatPodsTable(const std::vector<RunningPod> &Pods) {
  if (Pods.empty())
    return "no pods are running\n";
  std::vector<std::vector<std::string>> Rows = {
      {"POD", "RUN", "PEA", "PID", "POD-PID", "PROGRAM"}};
  for (const RunningPod &P : Pods)
    for (const PodProcess &Q : P.Processes)
      Rows.push_back({P.Pod, P.RunId, Q.Pea.empty() ? "(init)" : Q.Pea,
                      std::to_string(Q.HostPid), std::to_string(Q.PodPid),
                      Q.Program});
  std::vector<size_t> Width(Rows[0].size(), 0);
  for (const auto &Row : Rows)
    for (size_t I = 0; I < Row.size(); ++I)
      Width[I] = std::max(Width[I], Row[I].size());
  std::string Out;
  for (const auto &Row : Rows) {
    std::string Line;
    for (size_t I = 0; I < Row.size(); ++I) {
      Line += Row[I];
      if (I + 1 < Row.size())
        Line += std::string(Width[I] - Row[I].size() + 2, ' ');
    }
    Out += Line + "\n";
  }
  return Out;
}

int runPs(bool Json) {
  std::vector<RunningPod> Pods = runningPods();
  std::string Text = Json ? formatPodsJson(Pods) : formatPodsTable(Pods);
  fputs(Text.c_str(), stdout);
  return 0;
}

} // namespace peapod::runtime
