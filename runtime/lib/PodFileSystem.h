//===- PodFileSystem.h - The pod's tree under the FUSE layer ----*- C++ -*-===//
//
// The supervisor composes the pod's tree (the root and the --mount binds) in
// a private mount namespace of its own, and mounts the FUSE file system that
// enforces the file rules over it, on a directory under the run's state
// directory. The pod's init, cloned with CLONE_NEWNS, inherits that mount,
// builds /dev and /proc on top of it and pivots onto it: every path of the
// pod but /dev and /proc goes through the daemon. docs/runtime.md, "File
// rules".
//
// Also the tree-building steps the pod's init shares: mount points created
// and resolved inside a root without following symbolic links.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_PODFILESYSTEM_H
#define PEAPOD_RUNTIME_PODFILESYSTEM_H

#include "peapod/image.h"
#include "peapod/runtime/FuseServer.h"
#include "peapod/runtime/Run.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>

namespace peapod::runtime {

class AuditLog;
class PeaLabels;

/// "/proc/self/fd/N": a path naming what descriptor `Fd` names.
std::string fdPath(int Fd);

/// openat2 of `Path` under `Dir` with `Resolve` (RESOLVE_*), O_CLOEXEC added.
int openInRoot(int Dir, const char *Path, uint64_t Flags, uint64_t Resolve);

/// A directory (`Directory`) or an empty file at `Path` under `Root`,
/// created as needed, every component a real directory (no symbolic links,
/// no `..`: the pod's tree is untrusted). An O_PATH descriptor, or -1 and
/// `Error`.
int makeMountPoint(int Root, const std::string &Path, bool Directory,
                   std::string &Error);

/// The label epoch the FUSE daemon's pid -> pea cache follows
/// (FuseMountOptions::LabelEpoch), in memory shared with the pod's init:
/// its exec tracer moves processes between peas and reaps them.
struct SharedLabelEpoch {
  std::atomic<uint64_t> Value{0};
  /// After a move to another pea (before the process resumes) and after a
  /// reaped exit (before anything else runs).
  void bump() { Value.fetch_add(1, std::memory_order_acq_rel); }
};
static_assert(std::atomic<uint64_t>::is_always_lock_free,
              "the epoch is shared between processes: it must be lock-free");

class PodFileSystem {
public:
  PodFileSystem() = default;
  PodFileSystem(const PodFileSystem &) = delete;
  PodFileSystem &operator=(const PodFileSystem &) = delete;
  ~PodFileSystem();

  /// Enters a private mount namespace (nothing reaches the host; it goes
  /// when the supervisor and the pod are gone), composes the pod's tree,
  /// and mounts the FUSE file system over it at `StateDir`/fs; no thread
  /// is started yet (the caller clones next). 0, or an exit code after a
  /// message on standard error: ExitRefused if the FUSE layer cannot be
  /// mounted (the pod never runs without its file rules), ExitSetup if the
  /// tree cannot be composed.
  int mount(const RunOptions &O, const ppi_image &Img, uint32_t Pod,
            const std::string &PodCgroupPath, FuseMountOptions Options,
            const std::string &StateDir, AuditLog *Audit);

  /// Starts the request loop; `Init` (the pod's init, a host pid) is the
  /// runtime reader until initReaped().
  void serve(pid_t Init);
  void initReaped() { Reader.store(0, std::memory_order_release); }
  /// Aborts the connection, unmounts and joins (idempotent).
  void stop();

  const std::string &mountpoint() const { return Mountpoint; }
  SharedLabelEpoch *labelEpoch() const { return Epoch; }

private:
  std::unique_ptr<PeaLabels> Labels;
  std::unique_ptr<FuseServer> Server;
  std::string Mountpoint;
  SharedLabelEpoch *Epoch = nullptr; ///< MAP_SHARED, survives the clone
  std::atomic<pid_t> Reader{0};
};

} // namespace peapod::runtime

#endif
