//===- ProcessIsolation.h - Signals, ptrace and IPC across peas -*- C++ -*-===//
//
// The `namespace` rules at run time (language semantics 10): the pod's
// seccomp filter sends the calls that touch another process or a SysV IPC
// object to a user-notification listener (SECCOMP_RET_USER_NOTIF), which
// runs as a thread of the pod's init (in the pod's PID and IPC namespaces,
// so the pids and IPC ids of the calls mean there what they mean to the
// caller). docs/runtime.md, "Processes and IPC".
//
//===----------------------------------------------------------------------===//
#ifndef PEAPOD_RUNTIME_PROCESSISOLATION_H
#define PEAPOD_RUNTIME_PROCESSISOLATION_H

#include "peapod/image.h"
#include <seccomp.h>
#include <string>
#include <vector>

namespace peapod::runtime {

class AuditLog;

/// Adds to `Ctx` the rules that notify the listener (and the in-kernel
/// rules next to them: signal 0 allowed, device mknod denied). False and
/// `Error` on failure.
bool addProcessIsolationRules(scmp_filter_ctx Ctx, std::string &Error);

/// The system calls the listener decides (doctor and the docs).
const std::vector<const char *> &notifiedSyscalls();

struct ProcessListenerConfig {
  const ppi_image *Image = nullptr;
  uint32_t Pod = PPI_NONE;
  std::string PodName;
  AuditLog *Audit = nullptr;
  bool Complain = false;
};

/// Serves the notifications of the listener on a new thread of the calling
/// process (the pod's init) until the process exits. The thread runs with
/// the pod's capability set, so what it does for a caller needs no more
/// privilege than the caller has. False if the thread cannot start (the
/// descriptor is closed: every notified call then fails with ENOSYS).
/// The listener descriptor arrives on `Socket` (from CMD's child, which
/// loads the filter: sendListenerFd); `Socket` is closed by the thread.
bool startProcessListener(const ProcessListenerConfig &Config, int Socket);

/// Sends the listener descriptor `Fd` over the unix socket `Socket`
/// (SCM_RIGHTS).
bool sendListenerFd(int Socket, int Fd);

/// Whether this kernel delivers user notifications and honours
/// SECCOMP_USER_NOTIF_FLAG_CONTINUE and SECCOMP_IOCTL_NOTIF_ADDFD (with
/// SECCOMP_ADDFD_FLAG_SEND), tried in a child process. `Detail` says which
/// part failed.
bool probeUserNotification(std::string &Detail);

} // namespace peapod::runtime

#endif
