//===- Run.h - `peapod run`: a program in a pod, in a pea -------*- C++ -*-===//
#ifndef PEAPOD_RUNTIME_RUN_H
#define PEAPOD_RUNTIME_RUN_H

#include <string>
#include <vector>

namespace peapod::runtime {

/// A host directory made visible in the pod (`--mount HOST:POD[:ro]`).
struct BindMount {
  std::string Host, Pod;
  bool ReadOnly = false;
};

enum class NetMode { Host, None };

struct RunOptions {
  std::string Image;
  std::string Pod, Pea;
  std::string Root;
  std::vector<BindMount> Mounts;
  NetMode Net = NetMode::Host;
  std::string AuditFile;
  bool Complain = false;
  std::string FuseConfig; ///< `peapodc --target fuse` output; "": derived
  std::string BpfConfigFile; ///< --bpf-config; "": rules from the image
  std::vector<std::string> Command;
};

/// Exit codes of `peapod`: CMD's own status otherwise.
enum : int {
  ExitRefused = 1, ///< a mechanism the policy needs is missing
  ExitUsage = 2,   ///< bad options, bad image, unknown pod or pea, no root
  ExitSetup = 125, ///< the pod could not be set up (after validation)
  ExitNoExec = 127 ///< CMD could not be executed
};

/// Runs `Options.Command` in the pod and returns its exit status (128+N if
/// killed by signal N), or an Exit* code with a message on standard error.
int runPod(const RunOptions &Options);

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_RUN_H
