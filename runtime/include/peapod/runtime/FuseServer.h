//===- FuseServer.h - The stacked file system that enforces file rules -*- C++ -*-===//
//
// A FUSE file system (libfuse3 low-level API, shaped like libfuse's
// passthrough_hp example) mounted over the pod's real tree. Every operation
// that carries a decision is decided for the calling process's pea (its pid
// -> PeaLabels -> the image's lookup, AND-ed with the mode bits, language
// semantics 7) and answered EACCES on denial. docs/fuse.md is the
// specification: which operation asks for which access, the cache settings,
// hard links and renames, pid 0, passthrough.
//
// The server runs as threads of the process that starts it (the supervisor):
// start() mounts and returns once the kernel has sent INIT; stop() unmounts
// and joins. If the process dies the kernel aborts the connection and every
// access to the mount fails with ENOTCONN: the pod can never see the
// unconfined tree.
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_FUSESERVER_H
#define PEAPOD_RUNTIME_FUSESERVER_H

#include "peapod/image.h"
#include "peapod/runtime/AuditLog.h"
#include "peapod/runtime/PeaLabels.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace peapod::runtime {

/// How the mount is set up: what `peapodc --target fuse` emits per pod
/// (docs/fuse-config.md) and the runtime's own choices.
struct FuseMountOptions {
  /// Kernel cache lifetimes in seconds. 0 makes every lookup and stat reach
  /// the daemon, which is what a pod with several peas needs: the kernel's
  /// caches are shared by every caller of a mount (docs/fuse.md, caches).
  double EntryTimeout = 0, AttrTimeout = 0, NegativeTimeout = 0;
  /// Worker threads of the request loop.
  unsigned MaxThreads = 4;
  /// Largest WRITE request, bytes (the kernel caps it at its max_pages).
  unsigned MaxWrite = 1u << 20;
  /// Hand opened regular files to the kernel (FUSE_PASSTHROUGH, Linux 6.9+):
  /// reads and writes then bypass the daemon. The decision is still made at
  /// open. Falls back to copying when the kernel refuses.
  bool Passthrough = false;
  /// --complain: denials are logged, not enforced.
  bool Complain = false;
  /// Reading a caller's pea costs a read of /proc/PID/cgroup (~10-25 µs
  /// here). With an epoch the daemon caches pid -> pea until the epoch
  /// changes. Whoever sets it must increment it after moving any process
  /// of the pod to another pea (before that process runs again) and after
  /// any process of the pod exits (its pid may be reused in another pea).
  /// Null: no cache, every request reads the cgroup file.
  const std::atomic<uint64_t> *LabelEpoch = nullptr;
  /// The pod's init (its pid here), which mounts the pod's /dev and /proc
  /// on the tree and opens exec targets for the tracer: the one caller in
  /// no pea the daemon answers, and only as a reader (it may search, read
  /// and stat everything, and write, create or remove nothing). Its answers
  /// are never cached by the kernel, so no pea inherits them. 0 or null:
  /// no such caller. Set before init touches the mount, cleared once it is
  /// reaped (its pid is unique while it lives: it is the pod's PID 1).
  const std::atomic<pid_t> *RuntimeReader = nullptr;
};

/// Counters the tests and benchmarks read.
struct FuseStats {
  std::atomic<uint64_t> Requests{0};   ///< decisions made
  std::atomic<uint64_t> Denials{0};    ///< EACCES answered (or logged)
  std::atomic<uint64_t> ExecOpens{0};  ///< opens carrying __FMODE_EXEC
  std::atomic<uint64_t> NoPea{0};      ///< callers with no pea (pid 0, ...)
  std::atomic<uint64_t> LabelReads{0}; ///< /proc/PID/cgroup reads
  std::atomic<uint64_t> PassthroughOpens{0};
  std::atomic<uint64_t> Reads{0}, Writes{0}; ///< data requests served
  std::atomic<bool> PassthroughEnabled{false}; ///< the kernel agreed at INIT
};

class FuseServer {
public:
  /// Mounts the file system on `Mountpoint` (an existing directory) serving
  /// the tree under `RootFd` (a directory descriptor; duplicated, the caller
  /// keeps its own) for pod `Labels.pod()` of `Img`. `Audit` (may be null)
  /// receives one line per denial. `Img`, `Labels` and `Audit` must outlive
  /// the server. Null and `Error` set on failure (nothing left mounted).
  static std::unique_ptr<FuseServer>
  start(const std::string &Mountpoint, int RootFd, const ppi_image &Img,
        const PeaLabels &Labels, const FuseMountOptions &Options,
        AuditLog *Audit, std::string &Error);

  /// start() in two steps: mount() makes the mount and starts no thread, so
  /// the caller may still clone (a child of a multi-threaded process could
  /// inherit a lock some thread held); serve() then starts the request
  /// loop. Requests made in between wait in the kernel.
  static std::unique_ptr<FuseServer>
  mount(const std::string &Mountpoint, int RootFd, const ppi_image &Img,
        const PeaLabels &Labels, const FuseMountOptions &Options,
        AuditLog *Audit, std::string &Error);
  void serve();

  /// Unmounts (lazily, so a busy mount goes too) and joins the threads.
  /// Idempotent; the destructor calls it.
  void stop();
  ~FuseServer();

  /// The paths (pod view) the thread `Tid` opened for exec (__FMODE_EXEC)
  /// and was allowed, oldest first, since the last call for it: for an
  /// execve, the program and then its ELF interpreter. The exec tracer
  /// cross-checks it at PTRACE_EVENT_EXEC (the event's message is the
  /// former thread id when a non-leader thread executed). Recorded only
  /// while record-keeping is on (setRecordExecOpens), at most 8 per thread.
  std::vector<std::string> takeExecOpens(pid_t Tid);
  void setRecordExecOpens(bool On);

  const FuseStats &stats() const;
  const std::string &mountpoint() const;

  struct State;

private:
  explicit FuseServer(std::unique_ptr<State> S);
  std::unique_ptr<State> S;
};

} // namespace peapod::runtime

#endif // PEAPOD_RUNTIME_FUSESERVER_H
