//===- RuntimeFixture.h - Real pods for the runtime tests -------*- C++ -*-===//
//
// A pod is a temporary directory with a root (bin, lib, lib64, sbin linked
// into /usr as on Debian, /usr bound read-only, the probe at /probe, a
// writable /tmp) and a policy compiled to an image with the built peapodc.
// Everything is removed when the Pod goes, whatever the test did.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_TESTS_RUNTIMEFIXTURE_H
#define PEAPOD_TESTS_RUNTIMEFIXTURE_H

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace peapod::test {

struct Outcome {
  int Status = -1; ///< exit status, 128+N for signal N
  std::string Out, Err;
};

std::string peapodBinary();
std::string peapodcBinary();

/// Runs `Argv` to its end with standard output and error captured.
Outcome runProcess(const std::vector<std::string> &Argv);
/// Starts `Argv` with output to /dev/null; returns its pid.
pid_t startProcess(const std::vector<std::string> &Argv);
/// Exit status of a started process (128+N for signal N).
int waitProcess(pid_t Pid);

/// The text of a file ("" if it cannot be read).
std::string readFile(const std::string &Path);
bool exists(const std::string &Path);
/// Polls `Condition` every 10 ms for up to 10 s.
bool waitFor(const std::function<bool()> &Condition);

/// Whether the tests can make pods (root); the run tests skip otherwise.
bool canMakePods();

class Pod {
public:
  /// A pod from the policy `Policy` (its pod is called `box`).
  explicit Pod(const std::string &Policy);
  ~Pod();
  Pod(const Pod &) = delete;
  Pod &operator=(const Pod &) = delete;

  /// `peapod run IMAGE --pod box --pea PEA --root ROOT --mount ... EXTRA --
  /// CMD`.
  Outcome run(const std::string &Pea, const std::vector<std::string> &Cmd,
              const std::vector<std::string> &Extra = {}) const;
  std::vector<std::string> runArgv(const std::string &Pea,
                                   const std::vector<std::string> &Cmd,
                                   const std::vector<std::string> &Extra =
                                       {}) const;
  /// A file under the pod's root (host path), with `Mode`.
  void writeFile(const std::string &PodPath, const std::string &Text,
                 unsigned Mode = 0644) const;
  std::string hostPath(const std::string &PodPath) const {
    return Root + PodPath;
  }

  std::string Dir, Root, Image;
};

/// A state directory of the test's own (PEAPOD_STATE_DIR), checked empty
/// at the end.
struct StateDir {
  std::string Path;
  explicit StateDir(const Pod &P);
  ~StateDir();
  std::vector<std::string> runs() const;
  /// The one run's pod cgroup directory (its state's "cgroup" file).
  std::string podCgroup() const;
};

/// The pids in a pod cgroup and its peas' cgroups.
std::string allProcs(const std::string &Cgroup);

} // namespace peapod::test

#endif
